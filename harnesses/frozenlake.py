"""FrozenLake harness: the last "Current Board:" grid is the position (``P`` = the player,
``H`` = hole, ``G`` = goal); the grid size is the number of rows drawn.

The engine takes the first ``[up]``/``[down]``/``[left]``/``[right]`` or ``[w]``/``[a]``/``[s]``/
``[d]`` in the action (case-insensitive, spaces allowed inside the brackets); an action without
brackets is wrapped first. A move is legal when it stays on the grid; stepping into a hole is
legal (it ends the game), so proposals only prefer safe squares.
"""

import random
import re

GAMES = ["FrozenLake-v0", "FrozenLake-v0-hardcore", "FrozenLake-v0-random"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "FrozenLake-v0": {
        "command": "autoharness verify FrozenLake-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4093,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "FrozenLake-v0-hardcore": {
        "command": "autoharness verify FrozenLake-v0-hardcore --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3882,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "FrozenLake-v0-random": {
        "command": "autoharness verify FrozenLake-v0-random --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3858,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ACTION = re.compile(r"\[\s*(up|down|left|right|w|a|s|d)\s*\]", re.IGNORECASE)
_KEYS = {"w": "up", "a": "left", "s": "down", "d": "right"}
_STEPS = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}
_SPELLINGS = {"up": ["[up]", "[w]"], "down": ["[down]", "[s]"],
              "left": ["[left]", "[a]"], "right": ["[right]", "[d]"]}


def _grid(obs: str) -> list[list[str]]:
    board = obs.rsplit("Current Board:", 1)[-1].split("Available Actions:", 1)[0]
    return [[cell.strip() for cell in line.strip()[1:-1].split("|")]
            for line in board.splitlines() if line.startswith("|")]


def _moves(grid: list[list[str]]) -> dict[str, str]:
    """Direction → the cell it leads to, for every move that stays on the grid."""
    size = len(grid)
    spots = [(r, c) for r, row in enumerate(grid) for c, cell in enumerate(row) if "P" in cell]
    if not spots:
        return {}
    r, c = spots[0]
    return {d: grid[r + dr][c + dc] for d, (dr, dc) in _STEPS.items()
            if 0 <= r + dr < size and 0 <= c + dc < size}


def propose_action(obs: str) -> str:
    moves = _moves(_grid(obs))
    safe = [d for d, cell in moves.items() if cell != "H"]
    options = safe if safe and random.random() < 0.9 else list(moves)
    return random.choice(_SPELLINGS[random.choice(options)]) if options else "[down]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    if not match:
        return False
    word = match.group(1).lower()
    return _KEYS.get(word, word) in _moves(_grid(obs))
