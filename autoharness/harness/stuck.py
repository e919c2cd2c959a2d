"""Classifying an illegal action by its position: stuck, or a forced guess.

Two kinds of illegal action are reported apart from the rest, because at that position the
harness had no good move it could know of:

* **stuck** — no legal action is known among the probes: the engine's own move list where it
  prints one (``arena/movelists.py``), a few more of the harness's proposals, the run's
  vocabulary (every action proposed anywhere in the run) and the bracketed tokens of the
  observation. 0.7.4's Checkers and Breakthrough leave a player with no legal move this way. A
  stuck position may still have been avoidable by steering away from it earlier.
* **undecidable** — a forced guess: the player knows no action to be legal (``arena/
  decidability.py``: in Minesweeper no hidden cell is provably safe) and the action's verdict is
  not decided by the observation. Any harness can only guess there.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Any

from autoharness.arena import decidability
from autoharness.arena.env import GameEnv
from autoharness.arena.movelists import listed_moves
from autoharness.arena.rollout import IllegalKind

_TOKEN = re.compile(r"\[[^\[\]\n]{1,40}\]")


class IllegalClassifier:
    """``classify_illegal`` for ``rollout.play``: judges each illegal action at the position
    before it. ``vocabulary`` is the caller's growing list of the run's proposals (read, never
    written); at most ``vocabulary_limit`` of them are tried per position."""

    def __init__(self, harness: Any, vocabulary: Sequence[str], rng: random.Random,
                 proposals: int = 5, vocabulary_limit: int = 300) -> None:
        self.harness = harness
        self.vocabulary = vocabulary
        self.rng = rng
        self.proposals = proposals
        self.vocabulary_limit = vocabulary_limit

    def __call__(self, env: GameEnv, observation: str, player: int, action: str) -> IllegalKind:
        undecidable = (decidability.forced_guess(env, observation)
                       and not decidability.verdict_decided(env, observation, action))
        return IllegalKind(stuck=self.stuck(env, observation, action), undecidable=undecidable)

    def candidates(self, env: GameEnv, observation: str, action: str):
        """The probes, cheapest and likeliest first (a generator: the search stops at the first
        legal one)."""
        seen = {action}

        def fresh(actions):
            for candidate in actions:
                if isinstance(candidate, str) and candidate not in seen:
                    seen.add(candidate)
                    yield candidate

        yield from fresh(listed_moves(env) or [])
        yield from fresh(self.harness.propose_many([observation] * self.proposals))
        words = list(self.vocabulary)
        if len(words) > self.vocabulary_limit:
            words = self.rng.sample(words, self.vocabulary_limit)
        yield from fresh(words)
        yield from fresh(_TOKEN.findall(observation[-3000:]))

    def stuck(self, env: GameEnv, observation: str, action: str) -> bool:
        return not any(env.is_legal(c).legal for c in self.candidates(env, observation, action))
