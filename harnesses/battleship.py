"""Battleship harness: the last "Player N's View" printed to the player is the position.

Each view row reads ``<row letter> <own grid cells> <row letter> <tracking grid cells>``; on the
tracking grid (the right half) ``~`` marks a square not yet fired upon, ``X``/``O`` a hit/miss.
A shot ``[<row letter><col>]`` (letter any case) is legal on any ``~`` square of that grid; the
engine reads the first ``[A-Z]\\d+`` token in brackets. The grid size is the number of rows.
"""

import random
import re

GAMES = ["Battleship-v0", "Battleship-v0-standard", "Battleship-v0-large", "Battleship-v0-extreme"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Battleship-v0": {
        "command": "autoharness verify Battleship-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5172,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Battleship-v0-extreme": {
        "command": "autoharness verify Battleship-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5169,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Battleship-v0-large": {
        "command": "autoharness verify Battleship-v0-large --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 6098,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Battleship-v0-standard": {
        "command": "autoharness verify Battleship-v0-standard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5562,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}


_ACTION = re.compile(r"\[([A-Z])(\d+)\]", re.IGNORECASE)  # the engine's own regex


def _open_squares(obs: str) -> set[tuple[int, int]]:
    """(row, col) squares of the tracking grid not fired upon yet."""
    view = obs.rsplit("'s View", 1)[-1].split("\n")[3:]  # skip the title and header lines
    rows = []
    for line in view:
        tokens = line.split()
        if not tokens or len(tokens) % 2 or tokens[0] != chr(ord("A") + len(rows)):
            break
        rows.append(tokens[len(tokens) // 2 + 1:])
    return {(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row) if cell == "~"}


def propose_action(obs: str) -> str:
    squares = sorted(_open_squares(obs))
    row, col = random.choice(squares) if squares else (0, 0)
    return f"[{chr(ord('A') + row)}{col}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    if not match:
        return False
    square = (ord(match.group(1).upper()) - ord("A"), int(match.group(2)))
    return square in _open_squares(obs)
