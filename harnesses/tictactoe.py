"""TicTacToe harness: the last board printed in the observation is the position.

A cell is playable when the board shows its number rather than an X or an O. Actions are the cell
number in brackets, e.g. ``[4]``. The engine reads the first bracketed number anywhere in the
action, and an action without any bracket is wrapped in brackets before it arrives.
"""

import random
import re

GAMES = ["TicTacToe-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "TicTacToe-v0": {
        "command": "autoharness verify TicTacToe-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3963,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_BOARD_ROW = re.compile(r"^ ?(\S) \| (\S) \| (\S) ?$", re.MULTILINE)
_ACTION = re.compile(r"\[\s*(\d+)\s*\]")


def _free_cells(obs: str) -> list[int]:
    board = obs.rsplit("Current Board:", 1)[-1]
    cells = [c for row in _BOARD_ROW.findall(board)[:3] for c in row]
    return [i for i, c in enumerate(cells) if c.isdigit()]


def propose_action(obs: str) -> str:
    free = _free_cells(obs)
    return f"[{random.choice(free)}]" if free else "[0]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and int(match.group(1)) in _free_cells(obs)


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# State: (cells, player to move), cells a 9-character string of "O" (player 0), "X" (player 1) and
# "." (empty), rebuilt from the engine's "[GAME] Player N placed their symbol (M) in cell K." lines.

_PLACED = re.compile(r"^\[GAME\] Player [01] placed their symbol \(([XO])\) in cell (\d)\.",
                     re.MULTILINE)
_LINES = ((0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6))


def _winner(cells: str) -> int | None:
    for a, b, c in _LINES:
        if cells[a] != "." and cells[a] == cells[b] == cells[c]:
            return 0 if cells[a] == "O" else 1
    return None


def parse_state(obs: str) -> tuple:
    cells = ["."] * 9
    for mark, cell in _PLACED.findall(obs):
        cells[int(cell)] = mark
    return ("".join(cells), (9 - cells.count(".")) % 2)


def is_terminal(state: tuple) -> bool:
    cells = state[0]
    return "." not in cells or _winner(cells) is not None


def legal_actions(state: tuple) -> list[str]:
    if is_terminal(state):
        return []
    return [f"[{i}]" for i, mark in enumerate(state[0]) if mark == "."]


def apply(state: tuple, action: str) -> tuple:
    cells, player = state
    cell = int(_ACTION.search(action).group(1))
    if cells[cell] != ".":
        raise ValueError(f"cell {cell} is taken")
    return (cells[:cell] + ("O" if player == 0 else "X") + cells[cell + 1:], 1 - player)


def current_player(state: tuple) -> int:
    return state[1]


def returns(state: tuple) -> list[float]:
    winner = _winner(state[0])
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]
