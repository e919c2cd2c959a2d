"""LightsOut harness: press any cell of the grid; the size comes from "You have a NxN grid".

The action is ``[row col]`` (0-indexed). The engine strips the action and requires it to match
``\\[(\\d+)\\s+(\\d+)\\]`` in full (nothing else around it), with both numbers inside the grid;
an action without brackets is wrapped first. Every cell is pressable at every turn.
"""

import random
import re

GAMES = ["LightsOut-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "LightsOut-v0": {
        "command": "autoharness verify LightsOut-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4759,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_SIZE = re.compile(r"You have a (\d+)x\d+ grid")
_ACTION = re.compile(r"\[(\d+)\s+(\d+)\]")


def _size(obs: str) -> int:
    match = _SIZE.search(obs)
    return int(match.group(1)) if match else 5


def propose_action(obs: str) -> str:
    size = _size(obs)
    return f"[{random.randrange(size)} {random.randrange(size)}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.fullmatch(action.strip())
    size = _size(obs)
    return bool(match) and int(match.group(1)) < size and int(match.group(2)) < size
