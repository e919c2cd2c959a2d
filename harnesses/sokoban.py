"""Sokoban harness: the last "Current Board:" grid is the position (``#`` wall, ``_`` floor,
``O`` goal, ``X`` box, ``√`` box on goal, ``P``/``S`` player).

The engine reads the first ``[up|down|left|right|w|a|s|d]`` (ignore-case) in the action. A move
is legal when the next cell is on the board and not a wall, and, if it holds a box, the cell
beyond is on the board and free floor or an empty goal (a box never pushes another box).
"""

import random
import re

GAMES = ["Sokoban-v0", "Sokoban-v0-medium"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Sokoban-v0": {
        "command": "autoharness verify Sokoban-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3982,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Sokoban-v0-medium": {
        "command": "autoharness verify Sokoban-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4223,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ACTION = re.compile(r"\[(up|down|left|right|w|a|s|d)\]", re.IGNORECASE)
_ALIAS = {"w": "up", "a": "left", "s": "down", "d": "right"}
_DELTA = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}
_ROW = re.compile(r"^[#_O√XPS](?: [#_O√XPS])*$", re.MULTILINE)


def _board(obs: str) -> list[list[str]]:
    block = obs.rsplit("Current Board:", 1)[-1].split("Available Moves", 1)[0]
    return [line.split() for line in _ROW.findall(block)]


def _legal(board: list[list[str]], move: str) -> bool:
    player = [(r, c) for r, row in enumerate(board) for c, v in enumerate(row) if v in "PS"]
    if not player or move not in _DELTA:
        return False
    (r, c), (dr, dc) = player[0], _DELTA[move]

    def cell(y: int, x: int) -> str:
        return board[y][x] if 0 <= y < len(board) and 0 <= x < len(board[y]) else "#"

    ahead = cell(r + dr, c + dc)
    if ahead in "X√":
        return cell(r + 2 * dr, c + 2 * dc) in "_O"
    return ahead in "_O"


def propose_action(obs: str) -> str:
    board = _board(obs)
    moves = [m for m in _DELTA if _legal(board, m)]
    move = random.choice(moves) if moves else "up"
    if random.random() < 0.3:  # the engine also takes the WASD aliases
        move = {v: k for k, v in _ALIAS.items()}[move]
    return f"[{move}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    m = _ACTION.search(action)
    if m is None:
        return False
    raw = m.group(1).lower()
    return _legal(_board(obs), _ALIAS.get(raw, raw))
