"""Removing legal-move hints from what agents and harnesses see.

A harness must earn its knowledge of the rules: no observation may carry a list of the moves that
are legal *in this position*. Where the env has a ``show_valid`` switch we turn it off; elsewhere
we cut exactly the listing out of the engine's message and leave every other byte alone. Fixed
menus that are part of the rules (2048's directions, Poker's action tokens, Blotto's field names)
are not position-dependent and stay.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

from textarena.envs.registration import ENV_REGISTRY

from autoharness.arena.catalogue import family_of

MessageFilter = Callable[[str], "str | None"]

# "Available Moves: [a0 a1], [b2 b3]" printed at the end of the board message every turn.
_AVAILABLE_MOVES = re.compile(r"\n+Available Moves:[^\n]*$")
# Chess and Santorini list their legal moves after the board unless show_valid=False; kept as a
# safety net in case an engine path ignores the switch.
_VALID_MOVES_TAIL = re.compile(r"\nValid moves:[^\n]*$")
# Othello's rejection reason spells out the legal squares: "Illegal move. Valid moves: [[2, 3]]".
_OTHELLO_REASON = re.compile(r" Valid moves: \[(?:\[\d+, \d+\](?:, )?)*\]")
# KuhnPoker: the legal action tokens for this node of the betting tree, announced every turn and
# repeated in the rejection reason (lower-case keys; the fixed format reminder is capitalised).
_KUHN_ACTIONS = re.compile(r"^Your available actions are: [^\n]*$")
_KUHN_REASON = re.compile(r"Action must be \[[a-z]+\](?:, \[[a-z]+\])*\.")
# IndianPoker names the legal betting actions for this spot (check/bet or call/raise/fold).
_INDIAN_ACTIONS = re.compile(r"^Your possible actions: [^\n]*$")
# Golf lists what the player may do in this phase of the turn.
_GOLF_OPTIONS = re.compile(r"\n(?:Final turns! )?Your options: [^\n]*$|\nYou must: [^\n]*$")


def _cut(pattern: re.Pattern[str], trigger: str) -> MessageFilter:
    """Remove ``pattern``; ``trigger`` is a substring every match contains (a cheap pre-check:
    this runs on every message of every game)."""

    def strip(message: str) -> str | None:
        if trigger not in message:
            return message
        stripped = pattern.sub("", message)
        return stripped if stripped.strip() else None  # a message that was only a listing goes

    return strip


def _keep(message: str) -> str:
    return message


_available = _cut(_AVAILABLE_MOVES, "Available Moves:")
_valid_tail = _cut(_VALID_MOVES_TAIL, "Valid moves:")
_FILTERS: dict[str, MessageFilter] = {
    "Stratego": _available,
    "SimpleTak": _available,
    "TicTacToe": _available,
    "ReverseTicTacToe": _available,
    "WildTicTacToe": _available,
    "Crusade": _available,
    "SpiteAndMalice": _available,
    "FifteenPuzzle": _available,
    "Othello": _cut(_OTHELLO_REASON, "Valid moves:"),
    "Chess": _valid_tail,
    "Santorini": _valid_tail,
    "SantoriniBaseFixed": _valid_tail,
    "Golf": _cut(_GOLF_OPTIONS, "You"),
}


def _kuhn(message: str) -> str | None:
    if _KUHN_ACTIONS.match(message):
        return None
    return _KUHN_REASON.sub("", message)


def _indian(message: str) -> str | None:
    return None if _INDIAN_ACTIONS.match(message) else message


_FILTERS["KuhnPoker"] = _kuhn
_FILTERS["IndianPoker"] = _indian


def message_filter(game_id: str, strip_hints: bool = True) -> MessageFilter:
    """The per-message stripping for a game: returns the kept text, or None to drop the message."""
    return _FILTERS.get(family_of(game_id), _keep) if strip_hints else _keep


def env_overrides(game_id: str, strip_hints: bool = True) -> dict[str, object]:
    """Constructor arguments that switch the engine's own listing off."""
    if not strip_hints:
        return {}
    spec = ENV_REGISTRY[game_id]
    entry = spec.entry_point
    if isinstance(entry, str):
        import importlib

        module_path, class_name = entry.split(":")
        entry = getattr(importlib.import_module(module_path), class_name)
    parameters = inspect.signature(entry.__init__).parameters
    return {"show_valid": False} if "show_valid" in parameters else {}
