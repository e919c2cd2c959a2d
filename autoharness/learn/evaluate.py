"""Scoring a candidate against the engine: rollouts that stop at the first illegal proposal,
plus the verifier probed with the stress mix, all through the sandbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autoharness.harness.runtime import SandboxedHarness
from autoharness.harness.verify import Contradiction, verify
from autoharness.learn.config import LearnConfig


@dataclass
class Evaluation:
    score: float  # h: share of the action budget played legally × the verifier's accuracy
    clean: bool  # every lane played all its steps legally and the verifier never disagreed
    counts: dict[str, int]
    figures: dict[str, Any]
    contradictions: list[Contradiction] = field(default_factory=list)
    engine_steps: int = 0  # actions played + stress checks (each a step of an engine copy)


def evaluate(source: str, config: LearnConfig, seeds: list[int], name: str) -> Evaluation:
    with SandboxedHarness(source, name=name, timeout=config.timeout, seed=config.seed) as harness:
        report = verify(config.game, harness, seeds, config.steps,
                        stress_positions=config.probe_positions, stop_on_illegal=True,
                        max_contradictions=200, rng_seed=config.seed)
    budget = len(seeds) * config.steps
    legal_share = (report.actions - report.illegal_actions) / budget if budget else 0.0
    disagreements = report.false_accepts + report.false_rejects
    verifier_accuracy = 1.0 - disagreements / report.stress_checks if report.stress_checks else 0.0
    figures = report.figures()
    figures["legal_share"] = legal_share
    figures["verifier_accuracy"] = verifier_accuracy
    clean = (legal_share == 1.0 and disagreements == 0 and report.harness_failures == 0
             and report.stress_checks > 0)
    return Evaluation(
        score=legal_share * verifier_accuracy, clean=clean,
        counts=dict(report.contradiction_counts), figures=figures,
        contradictions=report.contradictions,
        engine_steps=report.actions + report.stress_checks,
    )
