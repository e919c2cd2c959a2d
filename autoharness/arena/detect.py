"""Seeing the engine reject an action, at its source.

TextArena signals an invalid move by calling ``State.set_invalid_move(reason)``; by the time
``env.step`` returns, ``state.made_invalid_move`` is already reset, and a game-ending invalid move
leaves no "attempted an invalid move" text. So we hook ``set_invalid_move`` on every State class
(at class level: a patched instance method would leak into deep copies) and record the reason on
the instance. Snake and Surround never call it: an invalid move kills the player, which we read
off the player's ``death_reason``.
"""

from __future__ import annotations

import functools
from typing import Any

import textarena as ta

REJECTION_ATTR = "_autoharness_rejection"


def _record_rejection(original):
    @functools.wraps(original)
    def set_invalid_move(self, *args: Any, **kwargs: Any):
        reason = kwargs.get("reason", args[0] if args else None)
        setattr(self, REJECTION_ATTR, str(reason) if reason is not None else "invalid move")
        return original(self, *args, **kwargs)

    set_invalid_move.__autoharness_hook__ = True
    return set_invalid_move


def _all_subclasses(cls: type) -> list[type]:
    found, stack = [], [cls]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.append(sub)
            stack.append(sub)
    return found


def install_hooks(extra_classes: tuple[type, ...] = ()) -> None:
    """Wrap ``set_invalid_move`` on every State class defining one (idempotent).

    Call after the env's module is imported: env-specific State subclasses appear only then.
    """
    for cls in [ta.State, *_all_subclasses(ta.State), *extra_classes]:
        method = cls.__dict__.get("set_invalid_move")
        if method is not None and not getattr(method, "__autoharness_hook__", False):
            cls.set_invalid_move = _record_rejection(method)


def clear_rejection(state: Any) -> None:
    state.__dict__[REJECTION_ATTR] = None


def rejection_of(state: Any) -> str | None:
    return state.__dict__.get(REJECTION_ATTR)


# Games where an invalid move kills instead of calling set_invalid_move: where the players live.
_DEATH_ON_INVALID = {"SnakeEnv": "snakes", "SurroundEnv": "players"}


def death_watch(raw_env: Any) -> str | None:
    """The game_state key holding the players, for the games that kill on an invalid move."""
    return _DEATH_ON_INVALID.get(type(raw_env).__name__)


def killed_for_invalid_move(raw_env: Any, players_key: str, player: int) -> bool:
    player_state = raw_env.state.game_state[players_key][player]
    return getattr(player_state, "death_reason", None) == "invalid move"
