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
VERIFIED = {}

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
