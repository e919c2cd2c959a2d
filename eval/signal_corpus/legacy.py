"""The learning signal as it was at commit 84198a0 (before the probe engine), kept to compare.

Re-implemented from that commit's ``harness/verify.py`` (``_StressProbe``) and
``learn/evaluate.py``: lanes stop at their first illegal proposal; at positions sampled with
probability positions / (lanes × steps) eval_action meets a stress mix (the proposal, 3 more
proposals, mutations, 6 vocabulary actions, 3 quoted tokens, one malformed string, at most 18);
probes the engine raised on are skipped; h = (legal actions / the whole lanes × steps budget) ×
(1 − disagreements / stress checks), where a failed eval_action call is no disagreement.
Interactions are counted as that loop counted engine steps: actions played + stress checks.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from autoharness.arena.rollout import PolicyFailure, play
from autoharness.probes.candidates import mutations

_MALFORMED = ["", "[]", "pass", "[???]", "[0 0 0 0 0 0]", "move", "[-1]", "[99 99]"]
_TOKEN = re.compile(r"\[[^\[\]\n]{1,24}\]")


@dataclass
class LegacyResult:
    h: float = 0.0
    actions: int = 0
    illegal: int = 0
    stress_checks: int = 0
    disagreements: int = 0
    failures: int = 0
    interactions: int = 0
    first_found: dict[str, int] = field(default_factory=dict)  # kind -> interactions so far
    detected_at: int | None = None  # interactions at the first contradiction ``watch`` accepted
    detected_kind: str | None = None
    elapsed_s: float = 0.0

# watch(kind, observation, action, engine_legal, engine_reason) -> True: the contradiction counts
Watch = Callable[[str, str, "str | None", "bool | None", "str | None"], bool]


class _LegacyProbe:
    def __init__(self, result: LegacyResult, harness, probability: float, rng: random.Random,
                 watch: Watch | None, per_position: int = 6) -> None:
        self.result, self.harness, self.rng, self.watch = result, harness, rng, watch
        self.probability, self.per_position = probability, per_position
        self.vocabulary: list[str] = []
        self._seen: set[str] = set()

    def found(self, kind: str, observation: str, action: str | None,
              engine_legal: bool | None, reason: str | None = None) -> None:
        result = self.result
        result.first_found.setdefault(kind, result.interactions)
        if result.detected_at is None and (
                self.watch is None or self.watch(kind, observation, action, engine_legal, reason)):
            result.detected_at, result.detected_kind = result.interactions, kind

    def __call__(self, env, observation: str, player: int, action: str) -> None:
        if action not in self._seen and len(self._seen) < 5000:
            self._seen.add(action)
            self.vocabulary.append(action)
        if self.rng.random() >= self.probability:
            return
        rng, pool = self.rng, [action]
        pool += [a for a in self.harness.propose_many([observation] * 3) if isinstance(a, str)]
        pool += mutations(action, rng)
        if self.vocabulary:
            pool += rng.sample(self.vocabulary, min(len(self.vocabulary), self.per_position))
        tokens = _TOKEN.findall(observation[-3000:])
        if tokens:
            pool += rng.sample(tokens, min(len(tokens), 3))
        pool.append(rng.choice(_MALFORMED))
        candidates = list(dict.fromkeys(pool))[: self.per_position * 3]
        verdicts = self.harness.evaluate_many(observation, candidates)
        for candidate, verdict in zip(candidates, verdicts, strict=True):
            truth = env.is_legal(candidate)
            if truth.engine_error is not None:  # that commit judged neither verdict wrong
                continue
            self.result.stress_checks += 1
            self.result.interactions += 1
            if not isinstance(verdict, bool):
                self.result.failures += 1
                self.found("harness_failure", observation, candidate, truth.legal,
                           truth.reason)
            elif verdict != truth.legal:
                self.result.disagreements += 1
                self.found("false_accept" if verdict else "false_reject", observation, candidate,
                           truth.legal, truth.reason)


def _policy(harness):
    def policy(requests):
        answers = harness.propose_many([observation for observation, _ in requests])
        return [a if isinstance(a, str) else PolicyFailure(str(a)) for a in answers]

    return policy


def legacy_signal(game: str, harness, seeds: list[int], steps: int, positions: int = 200,
                  rng_seed: int = 0, watch: Watch | None = None,
                  stop_when_detected: bool = False) -> LegacyResult:
    """One evaluation of a candidate as that commit's learning loop made it. ``watch`` says
    which contradictions count as a detection (None: all)."""
    result = LegacyResult()
    budget = len(seeds) * steps
    probe = _LegacyProbe(result, harness, min(1.0, positions / max(1, budget)),
                         random.Random(rng_seed), watch)
    started = time.perf_counter()
    for record in play(game, seeds, steps, _policy(harness), stop_on_illegal=True,
                       keep_observations=True, before_step=probe):
        result.actions += 1
        result.interactions += 1
        if record.policy_failed:
            result.illegal += 1
            result.failures += 1
            probe.found("harness_failure", record.observation or "", None, None)
        elif not record.legal:
            result.illegal += 1
            probe.found("illegal_proposal", record.observation or "", record.action, False,
                        record.reason)
        if stop_when_detected and result.detected_at is not None:
            break
    result.elapsed_s = time.perf_counter() - started
    legal_share = (result.actions - result.illegal) / budget if budget else 0.0
    accuracy = (1.0 - result.disagreements / result.stress_checks if result.stress_checks
                else 0.0)
    result.h = legal_share * accuracy
    return result
