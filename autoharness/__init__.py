"""autoharness: code harnesses that keep LLM agents' moves legal in TextArena games.

The library's public API (loaded on first use, so ``import autoharness`` stays light)::

    from autoharness import HarnessedAgent, find_harness, play_games

    agent = HarnessedAgent(lambda observation: "[e2e4]", find_harness("chess"))
    print(play_games("Chess-v0", agent, opponent="harness", games=2).results())

- ``find_harness(game)``: the library's harness file for a game id or family name, or None.
- ``load_harness(path_or_source, sandbox=True)``: a loaded harness (``propose``/``evaluate``).
- ``HarnessedAgent(agent, harness)``: any callable ``observation -> action`` (or agent) whose
  moves the harness checks: propose → verify → retry → the harness's own move.
- ``play_games(game, agent, opponent=...)``: a match; agents may be objects, callables or specs
  ("harness", "noisy:0.3", "openai/gpt-4o-mini").
- ``verify(game, harness)``: the harness against the engine (``VerifyReport``).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_WHERE = {
    "HarnessedAgent": "autoharness.play.harnessed",
    "Unwrapped": "autoharness.play.harnessed",
    "MoveRecord": "autoharness.play.harnessed",
    "play_games": "autoharness.play.match",
    "play_game": "autoharness.play.match",
    "MatchResults": "autoharness.play.match",
    "load_harness": "autoharness.harness.runtime",
    "SandboxedHarness": "autoharness.harness.runtime",
    "InProcessHarness": "autoharness.harness.runtime",
    "CallFailure": "autoharness.harness.runtime",
    "find_harness": "autoharness.harness.library",
    "verify": "autoharness.harness.verify",
    "VerifyReport": "autoharness.harness.verify",
    "GameEnv": "autoharness.arena.env",
    "resolve_game": "autoharness.arena.catalogue",
}

__all__ = ["__version__", *sorted(_WHERE)]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
