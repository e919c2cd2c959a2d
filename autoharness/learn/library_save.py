"""Where ``learn --games`` saves each learned harness, decided before any work starts.

Each game gets its own file in the ``--out`` folder, ``<game id>.py`` in lower case
(``chess-v0.py``): variants of one family are learned separately, so they cannot share a file.
A file of that folder that already serves the game is never overwritten without ``--replace``
(one line before anything runs). With ``--replace``, a file serving only that game is
overwritten; a file serving it among others (a family file of the library) keeps serving the
others: the game is taken off its ``GAMES`` when the learned harness is saved, so the two never
both claim it. Files this run wrote itself (``saved.jsonl``) are replaced freely on resume.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from autoharness.harness.card import read_card, write_card
from autoharness.harness.errors import HarnessError
from autoharness.learn.config import LearnConfig
from autoharness.learn.library_dir import LibraryDir, write_atomic


class TargetError(ValueError):
    """A harness file in the way of a learned one (the message is one line for the user)."""


def file_name(game: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "_", game.lower()) + ".py"


def plan_targets(games: tuple[str, ...], out: Path, replace: bool,
                 library: LibraryDir) -> tuple[dict[str, str], dict[str, str]]:
    """(game -> file to save as, game -> file that gives the game up on save)."""
    from autoharness.harness.library import card_of, find_harness

    targets: dict[str, str] = {}
    takeovers: dict[str, str] = {}
    for game in games:
        try:
            existing = find_harness(game, search_path=[out]) if out.is_dir() else None
        except HarnessError as error:
            raise TargetError(f"--out {out}: {error}") from None
        own = out / file_name(game)
        if existing is not None and not library.wrote(existing):
            if not replace:
                raise TargetError(f"{existing} already serves {game}: pass --replace to "
                                  f"overwrite it, or choose another --out folder")
            if card_of(existing).games == [game]:
                own = existing
            else:
                takeovers[game] = str(existing)
        elif existing is not None:
            own = existing
        if own.exists() and own != existing and not library.wrote(own):
            raise TargetError(f"{own} is in the way of the harness learned for {game} (it does "
                              f"not serve {game}); choose another --out folder")
        targets[game] = str(own)
    return targets, takeovers


def saved_source(result: Any, config: LearnConfig) -> str:
    """The best candidate with its card (``save.learned_card_source``). When the best is the
    root, nothing was learned: a seed harness keeps its own PROVENANCE (a hand-written file
    confirmed clean stays hand-written), with the figures of this run's check."""
    from autoharness.learn.save import learned_card_source

    source = learned_card_source(result, config)
    if result.best is None or result.best.llm_call is not None:
        return source
    original = read_card(result.best_source).provenance
    if original.get("method") == "learned" and original.get("run") == result.run.name:
        return source  # our own skeleton root
    card = read_card(source)
    card.provenance = {**original, "checked_by": f"autoharness learn --games run "
                                                  f"{result.run.parent.parent.name}"}
    return write_card(source, card)


_TAKING_OVER = threading.Lock()  # games of one family file finish in different threads


def take_over(game: str, path: Path) -> None:
    """Take ``game`` off the card of the file at ``path`` (it is served by a learned one now)."""
    with _TAKING_OVER:
        _take_over(game, path)


def _take_over(game: str, path: Path) -> None:
    try:
        source = path.read_text(encoding="utf-8")
        card = read_card(source)
    except (OSError, UnicodeDecodeError, HarnessError):
        return
    if game not in card.games:
        return
    card.games = [g for g in card.games if g != game]
    write_atomic(path, write_card(source, card))
