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
