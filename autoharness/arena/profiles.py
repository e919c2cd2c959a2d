"""Engine profiles: which TextArena engine judges the moves.

* ``stock`` — the pinned release (textarena 0.7.4), untouched. The default.
* ``fixed`` — the same release with the upstream bug fixes made after it (TextArena PRs
  #179–#183, by one of the AutoHarness paper's authors), re-written in ``arena/fixes/`` as
  subclasses of the 0.7.4 env classes. No release on the package index has them.

A profile is chosen per ``GameEnv`` (``GameEnv(game, engine="fixed")``), never globally: a worker
process builds its envs from the profile name it is given, and the oracle's copies are copies of
the patched class. Every result records the profile it was measured on (``describe``), and cache
keys use ``fingerprint``, which changes when a fix's code changes.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from dataclasses import dataclass
from importlib import resources

STOCK = "stock"
FIXED = "fixed"
PROFILES = (STOCK, FIXED)
DEFAULT_PROFILE = STOCK


@dataclass(frozen=True)
class EngineFix:
    """One upstream fix: the 0.7.4 class it replaces and where its subclass lives."""

    env_class: str  # "module:Class" of the 0.7.4 env class
    module: str  # the fix's module under autoharness.arena.fixes
    patched_class: str

    @property
    def upstream(self) -> str:
        return importlib.import_module(self.fix_module).UPSTREAM

    @property
    def fix_module(self) -> str:
        return f"autoharness.arena.fixes.{self.module}"

    def load(self) -> type:
        return getattr(importlib.import_module(self.fix_module), self.patched_class)


FIXES = (
    EngineFix("textarena.envs.Tak.env:TakEnv", "tak", "FixedTakEnv"),
    EngineFix("textarena.envs.Breakthrough.env:BreakthroughEnv", "breakthrough",
              "FixedBreakthroughEnv"),
    EngineFix("textarena.envs.Checkers.env:CheckersEnv", "checkers", "FixedCheckersEnv"),
    EngineFix("textarena.envs.UltimateTicTacToe.env:UltimateTicTacToeEnv", "ultimatetictactoe",
              "FixedUltimateTicTacToeEnv"),
    EngineFix("textarena.envs.QuantumTicTacToe.env:QuantumTicTacToeEnv", "quantumtictactoe",
              "FixedQuantumTicTacToeEnv"),
)
_BY_CLASS = {fix.env_class: fix for fix in FIXES}


class UnknownProfileError(ValueError):
    pass


def check_profile(name: str) -> str:
    """``name`` if it is a profile, else UnknownProfileError with a one-line message."""
    if name not in PROFILES:
        raise UnknownProfileError(
            f"unknown engine profile {name!r}; choose one of {', '.join(PROFILES)}")
    return name


def env_class(profile: str, stock_class: type) -> type:
    """The class to build for ``stock_class`` under ``profile`` (the class itself if unfixed)."""
    if check_profile(profile) == STOCK:
        return stock_class
    fix = _BY_CLASS.get(f"{stock_class.__module__}:{stock_class.__qualname__}")
    return fix.load() if fix is not None else stock_class


def fixes_for(profile: str) -> tuple[EngineFix, ...]:
    return FIXES if check_profile(profile) == FIXED else ()


@functools.cache
def textarena_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("textarena")
    except PackageNotFoundError:  # pragma: no cover - textarena is a dependency
        return "unknown"


def describe(profile: str) -> str:
    """What a result was measured on, for rows, cards and summaries."""
    if check_profile(profile) == STOCK:
        return f"stock (textarena {textarena_version()})"
    return f"fixed (textarena {textarena_version()} + upstream PRs #179-#183)"


@functools.cache
def fingerprint(profile: str) -> str:
    """A cache key for the profile: the name, TextArena's version and a hash of the fixes'
    source, so a changed fix re-measures every row measured on it."""
    key = f"{check_profile(profile)}:textarena-{textarena_version()}"
    if profile == STOCK:
        return key
    digest = hashlib.sha256()
    folder = resources.files("autoharness.arena.fixes")
    for fix in FIXES:
        digest.update(folder.joinpath(f"{fix.module}.py").read_bytes())
    return f"{key}:{digest.hexdigest()[:12]}"
