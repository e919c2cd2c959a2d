"""Benchmark rows for a proposing agent (``noisy:P`` or an LLM), with and without the harness.

The agent plays every seat for seeds × steps. Wrapped, its proposals go through
``HarnessedAgent`` (propose → verify → retry → the harness's own move); unwrapped, they go to the
engine as they are. Both runs see the same seeds, so the table shows the two legal-action rates
side by side. The verifier's own soundness is measured as in the harness agent's rows.
"""

from __future__ import annotations

import random
from typing import Any

from autoharness.arena.rollout import PolicyFailure, play
from autoharness.bench.tasks import GameTask, RowStatus, checked_harness
from autoharness.harness.stuck import IllegalClassifier
from autoharness.harness.verify import verify


def _agent_policy(player: Any, totals: dict[str, Any]):
    def policy(requests):
        answers: list[str | PolicyFailure] = []
        for observation, seat in requests:
            record = player.act(observation, seat)
            totals["retries"] += record.retries
            totals["fallbacks"] += record.fallback is not None
            totals["tokens"] += record.input_tokens + record.output_tokens
            for attempt in record.attempts:
                if attempt.source == "agent":
                    totals["attempts"] = totals.get("attempts", 0) + 1
                    if attempt.agent_failure and attempt.agent_failure.startswith("llm "):
                        totals["llm_failures"] = totals.get("llm_failures", 0) + 1
                        totals.setdefault("first_failure", attempt.agent_failure)
            answers.append(record.action)
        return answers

    return policy


def _legal_rate(task: GameTask, player: Any, totals: dict[str, Any],
                harness: Any = None) -> tuple[float, int, int]:
    """Engine-judged: an action the engine raises on is illegal (also counted in
    ``totals["engine_errors"]``). With ``harness``, each illegal action is classified at its
    position (``harness/stuck.py``) into ``totals["illegal_stuck"]`` / ``["illegal_undecidable"]``.
    """
    vocabulary: list[str] = []  # the run's legal actions, which the classifier probes
    seen: set[str] = set()
    classify = (IllegalClassifier(harness, vocabulary, random.Random(0))
                if harness is not None else None)
    actions = illegal = 0
    for key in ("engine_errors", "illegal_stuck", "illegal_undecidable"):
        totals.setdefault(key, 0)
    for record in play(task.game, task.seeds, task.steps, _agent_policy(player, totals),
                       engine=task.engine, classify_illegal=classify):
        actions += 1
        illegal += not record.legal
        totals["engine_errors"] += record.engine_error is not None
        totals["illegal_stuck"] += bool(record.stuck)
        totals["illegal_undecidable"] += bool(record.undecidable)
        if record.legal and record.action not in seen and len(seen) < 5000:
            seen.add(record.action)
            vocabulary.append(record.action)
    return (actions - illegal) / actions if actions else 0.0, actions, illegal


def _raise_on_provider_failure(totals: dict) -> None:
    """An LLM agent whose every call failed measured nothing (the harness played for it)."""
    attempts, failures = totals.get("attempts", 0), totals.get("llm_failures", 0)
    if attempts and failures == attempts:
        raise RowStatus("error", f"the agent's every call failed ({failures}): "
                                 f"{totals.get('first_failure')}")


def run_wrapped_agent(task: GameTask) -> dict[str, Any]:
    """The agent unwrapped and wrapped by the harness (``--harness none``: unwrapped only; an
    offline agent still proposes through the library's harness, which checks nothing)."""
    from autoharness.harness.runtime import SandboxedHarness
    from autoharness.play import HarnessedAgent, Unwrapped, build_agent, parse_agent_spec

    if task.harness == "none" and not parse_agent_spec(task.agent).needs_harness:
        alone: dict[str, Any] = {"retries": 0, "fallbacks": 0, "tokens": 0}
        rate, actions, illegal = _legal_rate(task, Unwrapped(build_agent(task.agent, seed=1)),
                                             alone)
        _raise_on_provider_failure(alone)
        return {"harness": "none", "status": "ok", "legal_rate": rate, "actions": actions,
                "illegal_actions": illegal, "unwrapped_legal_rate": rate,
                "tokens": alone["tokens"]}
    path, source = checked_harness(task)
    row: dict[str, Any] = {"harness": "none" if task.harness == "none" else path.name}
    with SandboxedHarness(source, name=path.name, timeout=task.timeout, seed=0,
                          engine=task.engine) as harness:
        baseline: dict[str, Any] = {"retries": 0, "fallbacks": 0, "tokens": 0}
        unwrapped = Unwrapped(build_agent(task.agent, harness=harness, seed=1))
        rate, actions, illegal = _legal_rate(task, unwrapped, baseline)
        _raise_on_provider_failure(baseline)
        row["unwrapped_legal_rate"] = rate
        if task.harness == "none":
            row.update(status="ok", legal_rate=rate, actions=actions, illegal_actions=illegal,
                       tokens=baseline["tokens"])
            return row
        totals: dict[str, Any] = {"retries": 0, "fallbacks": 0, "tokens": 0}
        wrapped = HarnessedAgent(build_agent(task.agent, harness=harness, seed=1), harness)
        rate, actions, illegal = _legal_rate(task, wrapped, totals, harness)
        _raise_on_provider_failure(totals)
        report = verify(task.game, harness, task.seeds, min(task.steps, 200),
                        stress_positions=task.stress_positions, engine=task.engine)
    row.update(status="ok", legal_rate=rate, actions=actions, illegal_actions=illegal,
               retries=totals["retries"], fallbacks=totals["fallbacks"],
               tokens=totals["tokens"] + baseline["tokens"],
               false_accepts=report.false_accepts, false_rejects=report.false_rejects,
               false_reject_rate=report.false_reject_rate, stress_checks=report.stress_checks,
               harness_failures=report.harness_failures,
               engine_errors=totals["engine_errors"], illegal_stuck=totals["illegal_stuck"],
               illegal_undecidable=totals["illegal_undecidable"],
               engine_error_accepts=report.engine_error_accepts,
               undecidable_false_accepts=report.undecidable_false_accepts,
               undecidable_false_rejects=report.undecidable_false_rejects)
    return row
