"""Finding the harness file that serves a game.

The search path is a list of directories (and files): ``$AUTOHARNESS_HARNESSES`` (``os.pathsep``
separated) first, then the repository's ``harnesses/`` directory. An explicit ``search_path``
replaces that default. A directory's ``*.py`` files (not recursive; names starting with ``_`` or
``.`` skipped) are candidates; the first directory holding a file whose ``GAMES`` lists the exact
game id wins, and two files of one directory claiming the same id is an error naming both. A file
given directly is used as is.

Cards are read with ``ast`` only, never executed; results are cached per (path, mtime, size).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path

import autoharness
from autoharness.harness.card import HarnessCard, read_card
from autoharness.harness.errors import HarnessError

ENV_VAR = "AUTOHARNESS_HARNESSES"
SearchPath = str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None

_cache: dict[Path, tuple[tuple[int, int], HarnessCard | HarnessError]] = {}


def repo_harnesses_dir() -> Path:
    """The repository's ``harnesses/`` directory (next to the ``autoharness`` package)."""
    return Path(autoharness.__file__).resolve().parent.parent / "harnesses"


def default_search_path() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    return [*extra, repo_harnesses_dir()]


def _entries(search_path: SearchPath) -> list[Path]:
    if search_path is None:
        return default_search_path()
    if isinstance(search_path, str | os.PathLike):
        return [Path(search_path)]
    return [Path(p) for p in search_path]


def card_of(path: Path) -> HarnessCard:
    """The card of one harness file (cached); raises ``HarnessError`` naming the file."""
    path = Path(path)
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = _cache.get(path)
        if cached is None or cached[0] != key:
            try:
                result: HarnessCard | HarnessError = read_card(path.read_text(encoding="utf-8"))
            except HarnessError as error:
                result = error
            _cache[path] = (key, result)
            cached = _cache[path]
    except (OSError, UnicodeDecodeError) as error:
        raise HarnessError(f"{path}: cannot read: {error}") from None
    if isinstance(cached[1], HarnessError):
        raise HarnessError(f"{path}: {cached[1]}")
    return cached[1]


def _candidates(directory: Path) -> list[Path]:
    try:
        return sorted(p for p in directory.glob("*.py")
                      if p.is_file() and not p.name.startswith(("_", ".")))
    except OSError:
        return []


def _dir_cards(directory: Path) -> list[tuple[Path, HarnessCard]]:
    cards = []
    for path in _candidates(directory):
        try:
            cards.append((path, card_of(path)))
        except HarnessError as error:
            warnings.warn(f"skipping harness file: {error}", stacklevel=3)
    return cards


def find_harness(game_id: str, search_path: SearchPath = None) -> Path | None:
    """The harness file that serves ``game_id`` (exact id match), or None. Raises
    ``HarnessError`` if two files of one directory claim the id, or if the one file given as
    ``search_path`` does not serve it (or its card is unreadable). A family name or another
    spelling (``"chess"``, ``"chess-v0"``) is resolved to its id first; an unknown name finds
    nothing."""
    return _find_exact(_resolved(game_id) or game_id, search_path)


def _resolved(name: str) -> str | None:
    from autoharness.arena.catalogue import UnknownGameError, benchmark_ids, resolve_game

    if name in benchmark_ids():
        return name
    try:
        return resolve_game(name)
    except (UnknownGameError, ValueError):
        return None


def _find_exact(game_id: str, search_path: SearchPath) -> Path | None:
    direct = isinstance(search_path, str | os.PathLike)
    for entry in _entries(search_path):
        if entry.is_file():
            card = card_of(entry)
            if card.serves(game_id):
                return entry
            if direct:
                raise HarnessError(f"{entry} does not serve {game_id} (GAMES = {card.games})")
            continue
        claims = [path for path, card in _dir_cards(entry) if card.serves(game_id)]
        if len(claims) > 1:
            raise HarnessError(f"{game_id} is claimed by both {claims[0]} and {claims[1]}"
                               f"{f' (and {len(claims) - 2} more)' if len(claims) > 2 else ''}")
        if claims:
            return claims[0]
    return None


def list_harnesses(search_path: SearchPath = None) -> list[tuple[Path, HarnessCard]]:
    """Every readable harness file on the search path with its card, in search order (files with
    an unreadable card are skipped with a warning)."""
    found: list[tuple[Path, HarnessCard]] = []
    seen: set[Path] = set()
    for entry in _entries(search_path):
        pairs = [(entry, card_of(entry))] if entry.is_file() else _dir_cards(entry)
        for path, card in pairs:
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append((path, card))
    return found


def read_source(path: str | os.PathLike[str]) -> str:
    """A harness file's text; ``HarnessError`` (one line naming the file) when it is missing, a
    folder, unreadable or not UTF-8 text."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HarnessError(f"no harness file at {path}") from None
    except IsADirectoryError:
        raise HarnessError(f"{path} is a folder, not a harness file") from None
    except UnicodeDecodeError:
        raise HarnessError(f"{path} is not a text file (a harness is Python source in "
                           "UTF-8)") from None
    except OSError as error:
        raise HarnessError(f"cannot read {path}: {error.strerror or error}") from None
