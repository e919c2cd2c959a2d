"""Benchmark rows for a proposing agent (``noisy:P`` or an LLM), with and without the harness.

The agent plays every seat for seeds × steps. Wrapped, its proposals go through
``HarnessedAgent`` (propose → verify → retry → the harness's own move); unwrapped, they go to the
engine as they are. Both runs see the same seeds, so the table shows the two legal-action rates
side by side. The verifier's own soundness is measured as in the harness agent's rows.
"""

from __future__ import annotations

from typing import Any

from autoharness.arena.rollout import PolicyFailure, play
from autoharness.bench.tasks import GameTask, checked_harness
from autoharness.harness.verify import verify


def _agent_policy(player: Any, totals: dict[str, int]):
    def policy(requests):
        answers: list[str | PolicyFailure] = []
        for observation, seat in requests:
            record = player.act(observation, seat)
            totals["retries"] += record.retries
            totals["fallbacks"] += record.fallback is not None
            totals["tokens"] += record.input_tokens + record.output_tokens
            answers.append(record.action)
        return answers

    return policy


def _legal_rate(task: GameTask, player: Any, totals: dict[str, int]) -> tuple[float, int, int]:
    actions = illegal = 0
    for record in play(task.game, task.seeds, task.steps, _agent_policy(player, totals)):
        actions += 1
        illegal += not record.legal
    return (actions - illegal) / actions if actions else 0.0, actions, illegal


def run_wrapped_agent(task: GameTask) -> dict[str, Any]:
    from autoharness.harness.runtime import SandboxedHarness
    from autoharness.play import HarnessedAgent, Unwrapped, build_agent

    path, source = checked_harness(task)
    row: dict[str, Any] = {"harness": path.name}
    with SandboxedHarness(source, name=path.name, timeout=task.timeout, seed=0) as harness:
        baseline: dict[str, int] = {"retries": 0, "fallbacks": 0, "tokens": 0}
        unwrapped = Unwrapped(build_agent(task.agent, harness=harness, seed=1))
        row["unwrapped_legal_rate"], _, _ = _legal_rate(task, unwrapped, baseline)
        totals: dict[str, int] = {"retries": 0, "fallbacks": 0, "tokens": 0}
        wrapped = HarnessedAgent(build_agent(task.agent, harness=harness, seed=1), harness)
        rate, actions, illegal = _legal_rate(task, wrapped, totals)
        report = verify(task.game, harness, task.seeds, min(task.steps, 200),
                        stress_positions=task.stress_positions)
    row.update(status="ok", legal_rate=rate, actions=actions, illegal_actions=illegal,
               retries=totals["retries"], fallbacks=totals["fallbacks"],
               tokens=totals["tokens"] + baseline["tokens"],
               false_accepts=report.false_accepts, false_rejects=report.false_rejects,
               false_reject_rate=report.false_reject_rate, stress_checks=report.stress_checks,
               harness_failures=report.harness_failures)
    return row
