"""Scoring a candidate against the engine with the probe engine (``autoharness/probes``), through
the sandbox: h = p · v (``probes/score.py``), lanes that go on past an illegal proposal, and the
verifier probed with the engine's lists, the run's vocabulary, diversity samples and near misses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autoharness.arena.profiles import DEFAULT_PROFILE
from autoharness.harness.runtime import SandboxedHarness
from autoharness.harness.verify import Contradiction, verify
from autoharness.learn import critic
from autoharness.learn.config import LearnConfig
from autoharness.probes import SCORE_FORMULA, ProbePlan


@dataclass
class Evaluation:
    score: float  # h = p · v (probes/score.py)
    clean: bool  # no contradiction of any kind, and the verifier was probed
    counts: dict[str, int]
    figures: dict[str, Any]
    contradictions: list[Contradiction] = field(default_factory=list)
    engine_steps: int = 0  # interactions: harness answers compared with the engine


def probe_plan(config: LearnConfig) -> ProbePlan:
    return ProbePlan(positions=config.probe_positions, max_contradictions=200)


def evaluate(source: str, config: LearnConfig, seeds: list[int], name: str) -> Evaluation:
    plan = probe_plan(config)
    engine = getattr(config, "engine", DEFAULT_PROFILE)
    with SandboxedHarness(source, name=name, timeout=config.timeout, seed=config.seed,
                          engine=engine) as harness:
        report = verify(config.game, harness, seeds, config.steps, plan=plan,
                        rng_seed=config.seed, engine=engine)
    figures = report.figures()
    figures["score_formula"] = SCORE_FORMULA
    figures["probe_budget"] = plan.budget()
    figures["first_found"] = dict(report.first_found)
    figures["patterns"] = critic.pattern_counts(report.contradictions)
    return Evaluation(
        score=report.score.h, clean=report.clean and report.stress_checks > 0,
        counts=dict(report.contradiction_counts), figures=figures,
        contradictions=report.contradictions, engine_steps=report.interactions,
    )
