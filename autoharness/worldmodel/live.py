"""The env a match is playing, for agents that plan on the engine itself (``mcts-engine``).

``play_game`` sets it around each ``act``; an agent that needs it reads ``current_env()``. Other
agents never see the engine."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

_LIVE: ContextVar[Any] = ContextVar("autoharness_live_env", default=None)


@contextlib.contextmanager
def live_env(env: Any) -> Iterator[None]:
    token = _LIVE.set(env)
    try:
        yield
    finally:
        _LIVE.reset(token)


def current_env() -> Any:
    """The env being played now, or None outside a match."""
    return _LIVE.get()
