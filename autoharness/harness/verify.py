"""Judging a harness against the engine: its proposals, and its verifier's verdicts.

Two measurements, both against the legality oracle, never against text:

* **legal-action rate** — the harness plays every seat with ``propose_action`` over seeds × steps
  in hint-free envs; the engine judges each action.
* **verifier soundness and completeness** — at sampled positions ``eval_action`` judges a *stress
  mix* of candidates, and the oracle judges the same candidates. A *false accept* (illegal judged
  legal) is the dangerous kind; a *false reject* (legal judged illegal) makes a wrapped agent's
  good moves bounce. Candidates: the proposal itself; actions proposed at *other* positions or
  seeds of the run (the game's vocabulary as the harness speaks it, e.g. a castling move proposed
  elsewhere); a few more proposals at the same position (other legal moves the harness can
  generate here); bracketed tokens quoted in the observation (rules examples, coordinates); small
  mutations of the proposal (one character or number nudged, brackets dropped, case changed),
  which are often legal moves the harness did not pick or illegal moves next to legal ones; and
  malformed strings. No game needs to list its moves for this: the oracle decides every candidate.

The same ``Contradiction`` records feed the learning loop's refiner prompt.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from autoharness.arena.env import GameEnv
from autoharness.arena.rollout import PolicyFailure, StepRecord, episode_seed, play

# Positions per run where eval_action meets the stress mix, unless a command says otherwise.
DEFAULT_STRESS_POSITIONS = 300

ILLEGAL_PROPOSAL = "illegal_proposal"
FALSE_ACCEPT = "false_accept"
FALSE_REJECT = "false_reject"
HARNESS_FAILURE = "harness_failure"


class Harness(Protocol):
    """What verify needs of a harness: the sandboxed runtime and the in-process one both fit."""

    def propose_many(self, observations: list[str]) -> list[Any]: ...
    def evaluate_many(self, observation: str, actions: list[str]) -> list[Any]: ...


@dataclass(frozen=True)
class Contradiction:
    """One disagreement between the harness and the engine, with what the LLM needs to fix it."""

    kind: str
    game: str
    seed: int
    step: int
    player: int
    observation: str
    action: str | None
    engine_legal: bool | None
    engine_reason: str | None
    harness_verdict: bool | None  # eval_action's answer, where it gave one
    failure: str | None = None  # the harness's timeout/crash/exception text

    def tail(self, chars: int = 1500) -> str:
        return self.observation[-chars:]


@dataclass
class VerifyReport:
    game: str
    seeds: list[int]
    steps: int
    actions: int = 0
    illegal_actions: int = 0
    episodes_finished: int = 0
    harness_failures: int = 0
    engine_errors: int = 0  # TextArena raised on an action it had not rejected (engine bugs)
    stress_engine_errors: int = 0  # stress candidates on which the engine raised: not judged
    stress_checks: int = 0
    stress_legal: int = 0
    false_accepts: int = 0
    false_rejects: int = 0
    elapsed_s: float = 0.0
    contradictions: list[Contradiction] = field(default_factory=list)
    contradiction_counts: dict[str, int] = field(default_factory=dict)

    @property
    def legal_rate(self) -> float:
        return (self.actions - self.illegal_actions) / self.actions if self.actions else 0.0

    @property
    def false_reject_rate(self) -> float:
        return self.false_rejects / self.stress_legal if self.stress_legal else 0.0

    @property
    def clean(self) -> bool:
        return (self.actions > 0 and self.illegal_actions == 0 and self.false_accepts == 0
                and self.false_rejects == 0 and self.harness_failures == 0)

    def figures(self) -> dict[str, Any]:
        """The machine-readable per-game figures (``--json``, the benchmark table, cards)."""
        return {
            "game": self.game, "legal_rate": self.legal_rate, "actions": self.actions,
            "illegal_actions": self.illegal_actions, "episodes_finished": self.episodes_finished,
            "false_accepts": self.false_accepts, "false_rejects": self.false_rejects,
            "false_reject_rate": self.false_reject_rate, "stress_checks": self.stress_checks,
            "stress_legal": self.stress_legal, "harness_failures": self.harness_failures,
            "engine_errors": self.engine_errors,
            "stress_engine_errors": self.stress_engine_errors,
            "elapsed_s": round(self.elapsed_s, 3),
        }

    def to_dict(self, contradictions: int = 20) -> dict[str, Any]:
        data = self.figures()
        data["seeds"] = self.seeds
        data["steps"] = self.steps
        data["contradiction_counts"] = dict(self.contradiction_counts)
        data["contradictions"] = [asdict(c) for c in self.contradictions[:contradictions]]
        return data


_MALFORMED = ["", "[]", "pass", "[???]", "[0 0 0 0 0 0]", "move", "[-1]", "[99 99]"]
_TOKEN = re.compile(r"\[[^\[\]\n]{1,24}\]")
_NUMBER = re.compile(r"\d+")


def mutations(action: str, rng: random.Random) -> list[str]:
    """Near misses of an action: often illegal, sometimes a legal move the harness did not pick."""
    found: list[str] = []
    numbers = list(_NUMBER.finditer(action))
    if numbers:
        spot = rng.choice(numbers)
        for delta in (-1, 1):
            value = max(0, int(spot.group()) + delta)
            found.append(action[:spot.start()] + str(value) + action[spot.end():])
    letters = [i for i, ch in enumerate(action) if ch.isalpha()]
    if letters:
        i = rng.choice(letters)
        shifted = chr(ord(action[i]) + rng.choice((-1, 1)))
        if shifted.isalpha():
            found.append(action[:i] + shifted + action[i + 1:])
        found.append(action.swapcase())
    if action.startswith("[") and action.endswith("]"):
        found.append(action[1:-1])
    found.append(action + action)
    return [m for m in found if m != action]


class _StressProbe:
    """Collects the stress mix at sampled positions and judges it with harness and oracle."""

    def __init__(self, report: VerifyReport, harness: Harness, positions: int, budget: int,
                 max_contradictions: int, rng: random.Random, per_position: int) -> None:
        self.report, self.harness, self.rng = report, harness, rng
        self.probability = min(1.0, positions / max(1, budget))
        self.per_position = per_position
        self.extra_proposals = 3
        self.max_contradictions = max_contradictions
        self.vocabulary: list[str] = []
        self._seen_vocabulary: set[str] = set()

    def learn_word(self, action: str) -> None:
        if action not in self._seen_vocabulary and len(self._seen_vocabulary) < 5000:
            self._seen_vocabulary.add(action)
            self.vocabulary.append(action)

    def candidates(self, observation: str, action: str) -> list[str]:
        rng, pool = self.rng, [action]
        more = self.harness.propose_many([observation] * self.extra_proposals)
        pool += [a for a in more if isinstance(a, str)]
        pool += mutations(action, rng)
        if self.vocabulary:
            pool += rng.sample(self.vocabulary, min(len(self.vocabulary), self.per_position))
        tokens = _TOKEN.findall(observation[-3000:])
        if tokens:
            pool += rng.sample(tokens, min(len(tokens), 3))
        pool.append(rng.choice(_MALFORMED))
        unique = list(dict.fromkeys(pool))
        return unique[: self.per_position * 3]

    def __call__(self, env: GameEnv, observation: str, player: int, action: str) -> None:
        self.learn_word(action)
        if self.rng.random() >= self.probability:
            return
        candidates = self.candidates(observation, action)
        verdicts = self.harness.evaluate_many(observation, candidates)
        for candidate, verdict in zip(candidates, verdicts, strict=True):
            truth = env.is_legal(candidate)
            if truth.engine_error is not None:  # the engine crashed: neither verdict is wrong
                self.report.stress_engine_errors += 1
                continue
            self.report.stress_checks += 1
            self.report.stress_legal += truth.legal
            if not isinstance(verdict, bool):
                self.report.harness_failures += 1
                self.add(HARNESS_FAILURE, env.seed, player, observation, candidate, truth.legal,
                         truth.reason, None, str(verdict))
            elif verdict and not truth.legal:
                self.report.false_accepts += 1
                self.add(FALSE_ACCEPT, env.seed, player, observation, candidate, False,
                         truth.reason, True)
            elif not verdict and truth.legal:
                self.report.false_rejects += 1
                self.add(FALSE_REJECT, env.seed, player, observation, candidate, True, None, False)

    def add(self, kind: str, seed: int | None, player: int, observation: str,
            action: str | None, engine_legal: bool | None, reason: str | None,
            verdict: bool | None, failure: str | None = None, step: int = -1) -> None:
        counts = self.report.contradiction_counts
        counts[kind] = counts.get(kind, 0) + 1
        if len(self.report.contradictions) < self.max_contradictions:
            self.report.contradictions.append(Contradiction(
                kind, self.report.game, -1 if seed is None else seed, step, player,
                observation, action, engine_legal, reason, verdict, failure))


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
    stress_per_position: int = 6,
    stop_on_illegal: bool = False,
    max_contradictions: int = 50,
    rng_seed: int = 0,
    progress: Any = None,
) -> VerifyReport:
    """Play the harness on every seat and probe its verifier; see the module docstring.

    ``stress_positions`` is roughly how many positions get a stress mix over the whole run
    (sampled uniformly); ``progress(records_done)`` is called as actions complete.
    """
    report = VerifyReport(game_id, list(seeds), steps)
    rng = random.Random(rng_seed)
    probe = _StressProbe(report, harness, stress_positions, len(report.seeds) * steps,
                         max_contradictions, rng, stress_per_position)
    started = time.perf_counter()
    record: StepRecord
    for record in play(game_id, report.seeds, steps, harness_policy(harness),
                       stop_on_illegal=stop_on_illegal, keep_observations=True,
                       before_step=probe):
        report.actions += 1
        report.episodes_finished += record.episode_done
        report.engine_errors += record.engine_error is not None
        if record.policy_failed:
            report.harness_failures += 1
            report.illegal_actions += 1
            probe.add(HARNESS_FAILURE, episode_seed(record.seed, record.episode), record.player,
                      record.observation or "",
                      None, None, None, None, record.reason, record.step)
        elif not record.legal:
            report.illegal_actions += 1
            probe.add(ILLEGAL_PROPOSAL, episode_seed(record.seed, record.episode), record.player,
                      record.observation or "",
                      record.action, False, record.reason, None, step=record.step)
        if progress is not None:
            progress(report.actions)
    report.elapsed_s = time.perf_counter() - started
    return report
