"""Tak: a completed road ends the game instead of crashing it (upstream TextArena PR #179).

0.7.4 declares the winner with ``state.set_winner(player_ids=...)``, a keyword
``TwoPlayerState.set_winner`` does not take: every road-completing move makes the engine raise
``TypeError``. Upstream passes ``player_id``. The env method is long and only this call is wrong,
so the fix gives the env's state a ``set_winner`` that also takes the misspelt keyword.
"""

from __future__ import annotations

from typing import Any

import textarena as ta
from textarena.envs.Tak.env import TakEnv

UPSTREAM = "TextArena PR #179 (Fixed bug: set_winner() should use argument player_id)"


class TakState(ta.TwoPlayerState):
    def set_winner(self, player_id: int | None = None, reason: str = "", **kwargs: Any) -> None:
        if player_id is None and "player_ids" in kwargs:
            player_id = kwargs.pop("player_ids")
        if kwargs or player_id is None:
            raise TypeError(f"set_winner() got unexpected arguments {sorted(kwargs)}")
        super().set_winner(player_id=player_id, reason=reason)


class FixedTakEnv(TakEnv):
    def reset(self, num_players: int, seed: int | None = None) -> Any:
        result = super().reset(num_players=num_players, seed=seed)
        if type(self.state) is ta.TwoPlayerState:
            self.state.__class__ = TakState  # same fields; only set_winner differs
        return result
