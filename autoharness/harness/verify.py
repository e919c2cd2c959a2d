"""Judging a harness against the engine: its proposals, and its verifier's verdicts.

``verify`` runs the probe engine (``autoharness/probes/``), the one implementation that
``learn``, ``verify`` and ``bench`` share; every verdict comes from the legality oracle, never
from text:

* **legal-action rate** — the harness plays every seat with ``propose_action`` over seeds × steps
  in hint-free envs; the engine judges each proposal. An illegal one is counted and the lane goes
  on with a known legal action (it ends only where none is known: a *stuck* position).
* **verifier soundness and completeness** — ``eval_action`` judges probes and the oracle judges
  the same actions: the proposal; the engine's own move lists where TextArena prints them (kept
  oracle-side, never shown to the harness); the run's vocabulary (every action the engine
  accepted anywhere in the run); k more proposals at sampled positions; near misses of the
  proposal, tokens quoted in the observation and malformed strings. A *false accept* (illegal
  judged legal) is the dangerous kind; a *false reject* (legal judged illegal) bounces a wrapped
  agent's good moves.
* **proposal diversity** — the k samples must cover the legal actions: a proposer that keeps
  producing one action, or never a legal action it should, is a *narrow proposer*.

An action the engine raises on is illegal (accepting it is a false accept; ``engine_errors`` and
``engine_error_accepts`` count them apart as well). A disagreement on a verdict the observation
cannot decide (``arena/decidability.py``: a Minesweeper cell the visible board does not prove)
is counted apart (``undecidable_false_*``), and so are illegal forced guesses.

The same ``Contradiction`` records feed the learning loop's refiner prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autoharness.arena.profiles import DEFAULT_PROFILE
from autoharness.arena.rollout import PolicyFailure
from autoharness.defaults import DEFAULT_STRESS_POSITIONS
from autoharness.probes import (
    FALSE_ACCEPT,
    FALSE_REJECT,
    HARNESS_FAILURE,
    ILLEGAL_PROPOSAL,
    NARROW_PROPOSER,
    Contradiction,
    Harness,
    ProbePlan,
    ProbeReport,
    run_probes,
)
from autoharness.probes.candidates import mutations

VerifyReport = ProbeReport

__all__ = [
    "DEFAULT_STRESS_POSITIONS", "FALSE_ACCEPT", "FALSE_REJECT", "HARNESS_FAILURE",
    "ILLEGAL_PROPOSAL", "NARROW_PROPOSER", "Contradiction", "Harness", "ProbePlan",
    "VerifyReport", "harness_policy", "mutations", "verify",
]


def harness_policy(harness: Harness):
    """The rollout policy that plays ``propose_action`` in every seat, one round trip a round."""

    def policy(requests: Sequence[tuple[str, int]]) -> list[str | PolicyFailure]:
        answers = harness.propose_many([observation for observation, _player in requests])
        return [a if isinstance(a, str) else PolicyFailure(str(a)) for a in answers]

    return policy


def verify(
    game_id: str,
    harness: Harness,
    seeds: Sequence[int] = range(10),
    steps: int = 1000,
    *,
    stress_positions: int = DEFAULT_STRESS_POSITIONS,
    plan: ProbePlan | None = None,
    stop_on_illegal: bool = False,
    max_contradictions: int = 50,
    rng_seed: int = 0,
    progress: Any = None,
    engine: str = DEFAULT_PROFILE,
) -> VerifyReport:
    """Play the harness on every seat and probe its verifier; see the module docstring.

    ``stress_positions`` is how many positions get the full probe over the run (sampled
    uniformly), unless ``plan`` says everything; ``stop_on_illegal`` ends a lane at its first
    illegal proposal instead of going on; ``progress(positions_done)`` is called as the run
    goes; ``engine`` is the engine profile.
    """
    if plan is None:
        plan = ProbePlan(positions=stress_positions, max_contradictions=max_contradictions,
                         continue_after_illegal=not stop_on_illegal)
    return run_probes(game_id, harness, seeds, steps, plan=plan, rng_seed=rng_seed,
                      engine=engine, progress=progress)
