"""Golf harness: the turn phase comes from the player's own latest draw/take message.

A turn is ``[draw]`` or ``[take]`` (the discard pile is never empty then), followed by
``[swap R C]`` (1-based row/column on the grid, rows counted in the last "Your hand:" block) or
``[discard]`` (only after a draw, not after a take). The player is mid-turn when their last
"You drew:"/"You took:" message is newer than every "Player N swapped/discarded" message. The
engine searches each of [draw] [take] [swap n n] [discard] [knock] [peek n n] (case-insensitive)
and needs exactly one kind to be present; [knock] and [peek] parse but are never accepted.
An action without brackets is wrapped in brackets first.
"""

import random
import re

GAMES = ["Golf-v0", "Golf-v0-medium"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Golf-v0": {
        "command": "autoharness verify Golf-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4341,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Golf-v0-medium": {
        "command": "autoharness verify Golf-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4380,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_PATTERNS = {  # the engine's own patterns
    "draw": re.compile(r"\[draw\]", re.I),
    "take": re.compile(r"\[take\]", re.I),
    "swap": re.compile(r"\[swap (\d+) (\d+)\]", re.I),
    "discard": re.compile(r"\[discard\]", re.I),
    "knock": re.compile(r"\[knock\]", re.I),
    "peek": re.compile(r"\[peek (\d+) (\d+)\]", re.I),
}
_TURN_ENDS = ("swapped", "discarded")
_COLUMNS = 3  # both variants deal three columns


def _state(obs: str) -> tuple[str, int]:
    """(phase, rows): phase is "draw", "drew" (may discard) or "took" (must swap)."""
    rows = obs[obs.rfind("[GAME] Your hand:") :].count("\nRow ")
    turn_end = max(obs.rfind(f"[GAME] Player {p} {verb} ") for p in (0, 1) for verb in _TURN_ENDS)
    drew, took = obs.rfind("[GAME] You drew: "), obs.rfind("[GAME] You took: ")
    if max(drew, took) <= turn_end:  # no draw/take yet this turn
        return "draw", rows
    return ("drew" if drew > took else "took"), rows


def propose_action(obs: str) -> str:
    phase, rows = _state(obs)
    if phase == "draw":
        return random.choice(["[draw]", "[take]"])
    if phase == "drew" and random.random() < 0.3:
        return "[discard]"
    return f"[swap {random.randint(1, max(rows, 1))} {random.randint(1, _COLUMNS)}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    found = [(name, m) for name, rx in _PATTERNS.items() if (m := rx.search(action))]
    if len(found) != 1:
        return False
    (name, match), (phase, rows) = found[0], _state(obs)
    if phase == "draw":
        return name in ("draw", "take")
    if name == "swap":
        return 1 <= int(match.group(1)) <= rows and 1 <= int(match.group(2)) <= _COLUMNS
    return name == "discard" and phase == "drew"
