"""Offline players: the harness's own ``propose_action`` (``harness``) and a seeded stand-in for
an unreliable LLM (``noisy:P``)."""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from autoharness.play.base import PlayAgent, Proposal, Rejection


def _failed(result: object) -> bool:
    from autoharness.harness.runtime import CallFailure

    return isinstance(result, CallFailure)


class HarnessAgent(PlayAgent):
    """A random legal player: the harness's ``propose_action``."""

    def __init__(self, harness: Any, seed: int = 0, name: str = "harness") -> None:
        self.harness = harness
        self.name = name
        self.rng = random.Random(seed)

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        began = time.perf_counter()
        if candidates:
            action = self.rng.choice(list(candidates))
            return Proposal(action, raw=action, latency_s=time.perf_counter() - began)
        result = self.harness.propose(observation)
        latency = time.perf_counter() - began
        if _failed(result):
            return Proposal(None, failure=f"harness propose_action failed: {result}",
                            latency_s=latency)
        return Proposal(result, raw=result, latency_s=latency)


_MALFORMED = ("I will make my move now.", "[]", "[???]", "<move></move>", "pass", "[move]",
              "Let me think about the best move here.", "[0 0 0 0 0]", "[z9z9]", "[-1]")


class NoisyAgent(PlayAgent):
    """A stand-in for an unreliable LLM: with probability ``p`` it proposes a plausible illegal
    action — a mutation of a legal action, an action it played in an earlier position, or
    malformed text — that the harness's own ``eval_action`` rejects (no oracle involved); otherwise
    a legal one from ``propose_action``. Seeded; it ignores feedback, as a bad model might."""

    def __init__(self, harness: Any, p: float, seed: int = 0, name: str | None = None) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"noisy:P needs 0 <= P <= 1, not {p}")
        self.harness = harness
        self.p = p
        self.rng = random.Random(seed)
        self.name = name or f"noisy:{p:g}"
        self.seen: deque[str] = deque(maxlen=32)  # earlier legal proposals, for stale moves
        self.illegal_proposed = 0

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        began = time.perf_counter()
        noisy = self.rng.random() < self.p
        if candidates and not noisy:
            action: str | None = self.rng.choice(list(candidates))
        else:
            legal = self.harness.propose(observation)
            action = None if _failed(legal) else legal
            if action is not None and action not in self.seen:
                self.seen.append(action)
            if noisy:
                bad = self._illegal(observation, action)
                if bad is not None:
                    self.illegal_proposed += 1
                    action = bad
        latency = time.perf_counter() - began
        if action is None:
            return Proposal(None, failure="harness propose_action failed", latency_s=latency)
        return Proposal(action, raw=action, latency_s=latency)

    def _illegal(self, observation: str, legal: str | None) -> str | None:
        """A plausible action the harness rejects here, or None when none was found."""
        pools = []
        if legal is not None:
            pools.append([self._mutate(legal) for _ in range(8)])
        pools.append([a for a in self.seen if a != legal])
        pools.append(list(_MALFORMED))
        first = self.rng.choice(range(len(pools)))
        for pool in pools[first:] + pools[:first]:
            pool = list(dict.fromkeys(a for a in pool if a))
            self.rng.shuffle(pool)
            pool = pool[:8]
            if not pool:
                continue
            verdicts = self.harness.evaluate_many(observation, pool)
            rejected = [a for a, v in zip(pool, verdicts, strict=True)
                        if v is False]  # a failed call says nothing about legality
            if rejected:
                return rejected[0]
        return None

    def _mutate(self, action: str) -> str:
        """A near miss: one digit or letter changed, a bracket dropped, or a token repeated."""
        chars = list(action)
        spots = [i for i, c in enumerate(chars) if c.isalnum()]
        if not spots:
            return action + "?"
        i = self.rng.choice(spots)
        c = chars[i]
        roll = self.rng.random()
        if roll < 0.7:
            if c.isdigit():
                chars[i] = str(self.rng.choice([d for d in range(10) if str(d) != c]))
            elif c.isalpha():
                pool = "abcdefgh" if c.islower() else "ABCDEFGH"
                chars[i] = self.rng.choice([x for x in pool if x != c] or ["z"])
            return "".join(chars)
        if roll < 0.85:
            return "".join(chars).replace("[", "(").replace("]", ")")
        return "".join(chars[:i + 1] + chars[i:])


