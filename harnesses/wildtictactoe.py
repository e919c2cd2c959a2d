"""WildTicTacToe harness: the last board printed in the observation is the position.

Either player may put an X or an O on any empty cell (cells 0-8, row by row); a cell is empty
while the board shows its number. The engine reads the first ``[X 4]``-style token (mark X or O,
any case, then whitespace, then the cell) in the action.
"""

import random
import re

GAMES = ["WildTicTacToe-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "WildTicTacToe-v0": {
        "command": "autoharness verify WildTicTacToe-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5209,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}


_BOARD_ROW = re.compile(r"^ ?(\S) \| (\S) \| (\S) ?$", re.MULTILINE)
_ACTION = re.compile(r"\[\s*([XO])\s+(\d+)\s*\]", re.IGNORECASE)  # the engine's own regex


def _free_cells(obs: str) -> list[int]:
    board = obs.rsplit("Current Board:", 1)[-1]
    cells = [c for row in _BOARD_ROW.findall(board)[:3] for c in row]
    return [i for i, c in enumerate(cells) if c.isdigit()]


def propose_action(obs: str) -> str:
    free = _free_cells(obs)
    return f"[{random.choice('XO')} {random.choice(free) if free else 0}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and int(match.group(2)) in _free_cells(obs)
