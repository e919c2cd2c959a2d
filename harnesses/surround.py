"""Surround harness: any action holding a direction token is legal; moving into a wall is legal.

The engine scans the lower-cased action for ``[up]``/``[down]``/``[left]``/``[right]`` or
``[w]``/``[s]``/``[a]``/``[d]`` (an action without brackets is wrapped first); with none the player
dies for an invalid move, so that is the only illegality. To play sensibly, propose_action reads
the last board printed (top row = highest y; the own head is the player's hex id,
trails ``#``) and prefers a step onto a free square, else any direction.
"""

import random
import re

GAMES = ["Surround-v0", "Surround-v0-standard", "Surround-v0-large"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Surround-v0": {
        "command": "autoharness verify Surround-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4351,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Surround-v0-large": {
        "command": "autoharness verify Surround-v0-large --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4015,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Surround-v0-standard": {
        "command": "autoharness verify Surround-v0-standard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4345,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}


_TOKENS = ("up", "w", "down", "s", "left", "a", "right", "d")  # the engine's own list
_MOVES = {  # every spelling the engine takes: long or wasd token, any case, brackets optional
    "up": ("[up]", "[w]", "[UP]", "up"), "down": ("[down]", "[s]", "[Down]", "down"),
    "left": ("[left]", "[a]", "[LEFT]", "left"), "right": ("[right]", "[d]", "[Right]", "right"),
}
_STEP = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}  # (printed row, col)
_ME = re.compile(r"You are player (\d+)\.")


def _safe_directions(obs: str) -> list[str]:
    me = _ME.search(obs)
    grid = [line[2:-2].split(" ") for line in obs.rsplit("Board", 1)[-1].split("\n")
            if line.startswith("| ") and line.endswith(" |")]
    head = format(int(me.group(1)), "X") if me else "?"
    for r, row in enumerate(grid):
        if head in row:
            c = row.index(head)
            return [d for d, (dr, dc) in _STEP.items()
                    if 0 <= r + dr < len(grid) and 0 <= c + dc < len(row)
                    and grid[r + dr][c + dc] == "."]
    return []


def propose_action(obs: str) -> str:
    direction = random.choice(_safe_directions(obs) or list(_MOVES))
    return random.choice(_MOVES[direction])


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    lower = action.lower()
    return any(f"[{token}]" in lower for token in _TOKENS)
