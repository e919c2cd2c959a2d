"""FifteenPuzzle harness: the last "Current Board:" block (4 rows, ``__`` = the gap) is the
position.

A move names the direction a tile slides into the gap: ``[up]`` moves the tile below the gap up,
``[down]`` the tile above it down, ``[left]`` the tile right of it left, ``[right]`` the tile left
of it right. The engine takes the first ``\\[([a-zA-Z]+)\\]`` in the action and needs exactly one
of those four lower-case words with a tile on that side of the gap; an action without brackets is
wrapped first.
"""

import random
import re

GAMES = ["FifteenPuzzle-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "FifteenPuzzle-v0": {
        "command": "autoharness verify FifteenPuzzle-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3227,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ACTION = re.compile(r"\[([a-zA-Z]+)\]")


def _legal_moves(obs: str) -> list[str]:
    rows = obs.rsplit("Current Board:", 1)[-1].split("\n[", 1)[0].split()
    if "__" not in rows:
        return []
    r, c = divmod(rows.index("__"), 4)
    moves = {"up": r < 3, "down": r > 0, "left": c < 3, "right": c > 0}
    return [move for move, ok in moves.items() if ok]


def propose_action(obs: str) -> str:
    legal = _legal_moves(obs)
    return f"[{random.choice(legal)}]" if legal else "[up]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and match.group(1) in _legal_moves(obs)
