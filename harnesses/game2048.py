"""2048 harness: the last framed board in the observation (rows ``|  2      .   |``) is
the position.

A move is one of Up/Down/Left/Right (or W/S/A/D), any case. The engine scans the bracket groups
``[...]`` from the last one backwards and, inside each, the words from the last backwards, taking
the first direction word it meets; an action without brackets is wrapped first. A direction is
legal only if it changes the board: some tile can slide into a gap or merge with an equal one.
"""

import random
import re

GAMES = [
    "2048-v0",
    "2048-v0-easy",
    "2048-v0-extreme",
    "2048-v0-hard",
    "2048-v0-mega-easy",
    "2048-v0-super-easy",
    "2048-v0-ultra-easy",
    "2048-v0-very-easy",
    "2048-v0-very-hard",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "2048-v0": {
        "command": "autoharness verify 2048-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-easy": {
        "command": "autoharness verify 2048-v0-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-extreme": {
        "command": "autoharness verify 2048-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-hard": {
        "command": "autoharness verify 2048-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-mega-easy": {
        "command": "autoharness verify 2048-v0-mega-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3210,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-super-easy": {
        "command": "autoharness verify 2048-v0-super-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3161,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-ultra-easy": {
        "command": "autoharness verify 2048-v0-ultra-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3087,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-very-easy": {
        "command": "autoharness verify 2048-v0-very-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3214,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-very-hard": {
        "command": "autoharness verify 2048-v0-very-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_GROUP = re.compile(r"\[[^\[\]]*\]")
_WORD = re.compile(r"\b\w+\b")
_DIRECTIONS = {"UP": "Up", "W": "Up", "DOWN": "Down", "S": "Down",
               "LEFT": "Left", "A": "Left", "RIGHT": "Right", "D": "Right"}


def _board(obs: str) -> list[list[int]]:
    """The last board printed: rows between the ``+---+`` frame lines, '.' as 0."""
    frame = obs.rsplit("Score:", 1)[-1]
    rows = [line.strip()[1:-1].split() for line in frame.splitlines()
            if line.startswith("|") and line.rstrip().endswith("|")]
    return [[0 if cell == "." else int(cell) for cell in row] for row in rows]


def _line_moves(line: list[int]) -> bool:
    """Does sliding this line towards index 0 change it (a gap before a tile, or a merge)?"""
    tiles = [v for v in line if v]
    if line[: len(tiles)] != tiles:
        return True
    return any(a == b for a, b in zip(tiles, tiles[1:], strict=False))


def _legal_moves(board: list[list[int]]) -> list[str]:
    columns = [list(col) for col in zip(*board, strict=True)]
    lines = {"Left": board, "Right": [row[::-1] for row in board],
             "Up": columns, "Down": [col[::-1] for col in columns]}
    return [d for d, ls in lines.items() if any(_line_moves(line) for line in ls)]


def _parse(action: str) -> str | None:
    """The direction the engine reads from ``action``, or None."""
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    for group in reversed(_GROUP.findall(action)):
        for word in reversed(_WORD.findall(group[1:-1])):
            if word.upper() in _DIRECTIONS:
                return _DIRECTIONS[word.upper()]
    return None


def propose_action(obs: str) -> str:
    legal = _legal_moves(_board(obs))
    return f"[{random.choice(legal)}]" if legal else "[Up]"


def eval_action(obs: str, action: str) -> bool:
    direction = _parse(action)
    return direction is not None and direction in _legal_moves(_board(obs))
