"""The engine's own legal-move lists, for the oracle side only.

Some TextArena games print the moves that are legal in the current position; ``hints.py`` removes
those lists from everything a harness sees. The probe engine still wants them: every listed move is
a legal action to ask the verifier about. They reach us two ways:

* games that print the list in a message (TicTacToe, Stratego, SimpleTak, KuhnPoker, Golf, ...):
  ``GameEnv.hidden`` keeps the messages of the latest observation that the stripping changed, and
  the bracketed tokens in the removed text are the list;
* games whose ``show_valid`` switch we turned off (Chess, Othello, SantoriniBaseFixed): the list
  the engine would have printed, from the engine function it prints it with.

A list is the engine's statement, not a verdict: the probe engine has the oracle judge what it
acts on. Templates in a list ("[bet X]") are tokens like any other; the oracle rejects them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from autoharness.arena.catalogue import family_of
from autoharness.arena.env import GameEnv
from autoharness.arena.hints import env_overrides

_TOKEN = re.compile(r"\[[^\[\]\n]{1,40}\]")


def _removed(raw: str, kept: str | None) -> str:
    """The text the stripping cut out of ``raw`` (one contiguous cut, as hints.py makes)."""
    if kept is None:
        return raw
    start = 0
    limit = min(len(raw), len(kept))
    while start < limit and raw[start] == kept[start]:
        start += 1
    end = 0
    while end < limit - start and raw[-1 - end] == kept[-1 - end]:
        end += 1
    return raw[start:len(raw) - end]


def _chess(env: GameEnv) -> list[str]:
    board = env.raw_env.state.game_state["board"]
    return [f"[{move.uci()}]" for move in board.legal_moves]


def _othello(env: GameEnv) -> list[str]:
    raw = env.raw_env
    piece = "B" if env.current_player == 0 else "W"
    return [f"[{r}, {c}]" for r, c in raw._valid_moves(piece)]


def _santorini(env: GameEnv) -> list[str]:
    return _TOKEN.findall(env.raw_env._get_valid_moves(env.current_player))


_SWITCHED_OFF: dict[str, Callable[[GameEnv], list[str]]] = {
    "Chess": _chess, "Othello": _othello, "Santorini": _santorini,
    "SantoriniBaseFixed": _santorini,
}


def _printed_by_switch(env: GameEnv) -> bool:
    """Whether the engine would have printed its list had we not switched ``show_valid`` off."""
    if "show_valid" not in env_overrides(env.game_id):
        return False
    from textarena.envs.registration import ENV_REGISTRY

    return bool(ENV_REGISTRY[env.game_id].kwargs.get("show_valid", True))


def listed_moves(env: GameEnv) -> list[str] | None:
    """The moves the engine lists as legal for the player to move now, or None where this game
    prints no list (or the env is over). Never part of what a harness sees."""
    if env.done:
        return None
    lister = _SWITCHED_OFF.get(family_of(env.game_id))
    if lister is not None and env.fast and _printed_by_switch(env):
        try:
            return list(dict.fromkeys(lister(env)))
        except Exception:  # noqa: BLE001 - an engine internal we rely on changed
            return None
    if not env.hidden:
        return None
    # The latest list is the current position's; a pull also holds the lists printed for the
    # other seats' turns since this player last moved.
    raw, kept = env.hidden[-1]
    return list(dict.fromkeys(_TOKEN.findall(_removed(raw, kept)))) or None
