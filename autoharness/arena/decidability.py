"""Whether the visible information decides a verdict.

The oracle knows the whole state; a player (and a harness) knows only the observation. Where
legality depends on something hidden — a Minesweeper cell is illegal when it holds a mine — some
verdicts are not determined by what the player has seen: every harness must guess there, and a
wrong guess is reported apart from the errors a harness could have avoided.

A game opts in with a ``Decider`` registered for its family; every other game's verdicts are
decided by the observation (legality in them depends only on the visible position and rules).
``verdict_decided(env, observation, action)``: is the action's verdict the same in every state
consistent with what the player has seen? ``forced_guess(env, observation)``: does the player
know no action to be legal, so that any move is a guess?
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Protocol

from autoharness.arena.catalogue import family_of
from autoharness.arena.mine_constraints import Deductions, deduce

if TYPE_CHECKING:
    from autoharness.arena.env import GameEnv


class Decider(Protocol):
    def verdict_decided(self, env: GameEnv, observation: str, action: str) -> bool: ...
    def forced_guess(self, env: GameEnv, observation: str) -> bool: ...


class Minesweeper:
    """Hidden cells are decided by complete constraint propagation over the revealed numbers and
    the mines the player has hit ("You hit a mine at (r, c)" in the history). The first reveal
    is always safe (the engine lays the mines after it). Malformed, out-of-bounds and revealed
    cells are decided by the board."""

    _ACTION = re.compile(r"\[(\d+)\s(\d+)\]")  # the engine's own pattern
    _HIT = re.compile(r"You hit a mine at \((\d+), (\d+)\)")

    def verdict_decided(self, env: GameEnv, observation: str, action: str) -> bool:
        raw = env.raw_env
        match = self._ACTION.search(env.format_action(action))
        if match is None or raw.first_move:
            return True
        cell = (int(match.group(1)), int(match.group(2)))
        if not (0 <= cell[0] < raw.rows and 0 <= cell[1] < raw.cols) or raw.revealed[cell[0]][
                cell[1]]:
            return True
        known = self.deductions(env, observation)
        return cell in known.mines or cell in known.safe

    def forced_guess(self, env: GameEnv, observation: str) -> bool:
        return not env.raw_env.first_move and not self.deductions(env, observation).safe

    def deductions(self, env: GameEnv, observation: str) -> Deductions:
        raw = env.raw_env
        revealed = tuple(tuple(row) for row in raw.revealed)
        numbers = tuple((r, c, raw.grid[r][c]) for r in range(raw.rows) for c in range(raw.cols)
                        if raw.revealed[r][c])
        hits = frozenset((int(r), int(c)) for r, c in self._HIT.findall(observation))
        return _deduce(raw.rows, raw.cols, revealed, numbers, hits)


@functools.lru_cache(maxsize=256)
def _deduce(rows: int, cols: int, revealed: tuple, numbers: tuple, hits: frozenset) -> Deductions:
    hidden = {(r, c) for r in range(rows) for c in range(cols) if not revealed[r][c]}
    return deduce({(r, c): n for r, c, n in numbers}, hidden, set(hits) & hidden, rows, cols)


DECIDERS: dict[str, Decider] = {"Minesweeper": Minesweeper()}


def decider(game_id: str) -> Decider | None:
    return DECIDERS.get(family_of(game_id))


def verdict_decided(env: GameEnv, observation: str, action: str) -> bool:
    found = decider(env.game_id)
    return True if found is None else found.verdict_decided(env, observation, action)


def forced_guess(env: GameEnv, observation: str) -> bool:
    found = decider(env.game_id)
    return False if found is None else found.forced_guess(env, observation)
