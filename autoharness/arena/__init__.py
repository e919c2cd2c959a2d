"""Everything that knows TextArena: the catalogue, hint-free envs and the legality oracle.

Names are loaded on first use (PEP 562), so importing the catalogue does not import TextArena
(``autoharness --help`` stays fast)."""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "GameInfo": "catalogue", "UnknownGameError": "catalogue", "benchmark_games": "catalogue",
    "benchmark_ids": "catalogue", "num_players": "catalogue", "resolve_game": "catalogue",
    "GameEnv": "env", "StepResult": "env", "Verdict": "env",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
