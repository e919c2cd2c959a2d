"""SimpleTak harness: the last board printed in the observation is the position.

The board is an N x N grid of ``| .. |`` rows; an empty cell shows its index (row-major from 0),
a taken one shows O or X. A move places a stone on any empty cell: ``[12]``. The engine reads the
first ``[ N ]`` (spaces allowed inside the brackets) in the action.
"""

import random
import re

GAMES = ["SimpleTak-v0", "SimpleTak-v0-medium", "SimpleTak-v0-large", "SimpleTak-v0-extreme"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "SimpleTak-v0": {
        "command": "autoharness verify SimpleTak-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4451,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "SimpleTak-v0-extreme": {
        "command": "autoharness verify SimpleTak-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5258,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "SimpleTak-v0-large": {
        "command": "autoharness verify SimpleTak-v0-large --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4846,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "SimpleTak-v0-medium": {
        "command": "autoharness verify SimpleTak-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4897,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}


_ACTION = re.compile(r"\[\s*(\d+)\s*\]")  # the engine's own regex


def _free_cells(obs: str) -> list[int]:
    board = obs.rsplit("Current Board:", 1)[-1]
    cells = [cell.strip() for line in board.split("\n") if line.startswith("|")
             for cell in line.strip("|").split("|")]
    return [int(cell) for cell in cells if cell.isdigit()]


def propose_action(obs: str) -> str:
    free = _free_cells(obs)
    return f"[{random.choice(free)}]" if free else "[0]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and int(match.group(1)) in _free_cells(obs)
