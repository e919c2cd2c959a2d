"""Nim harness: the last "Current Pile:" block in the observation lists every pile's size.

A move removes 1..n objects from one pile holding n, written ``[pile quantity]`` (e.g. ``[0 3]``).
The engine reads the first ``[<int> <int>]`` anywhere in the action; an action without brackets is
wrapped in brackets before it arrives.
"""

import random
import re

GAMES = ["Nim-v0", "Nim-v0-medium", "Nim-v0-large"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {}

_PILE = re.compile(r"^  pile (\d+): (\d+)$", re.MULTILINE)
_ACTION = re.compile(r"\[\s*(\d+)\s+(\d+)\s*\]")


def _piles(obs: str) -> list[int]:
    board = obs.rsplit("Current Pile:", 1)[-1]
    return [int(n) for _, n in _PILE.findall(board)]


def propose_action(obs: str) -> str:
    piles = _piles(obs)
    moves = [i for i, n in enumerate(piles) if n > 0]
    if not moves:
        return "[0 1]"
    i = random.choice(moves)
    return f"[{i} {random.randint(1, piles[i])}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action.strip())
    if not match:
        return False
    pile, qty = map(int, match.groups())
    piles = _piles(obs)
    return 0 <= pile < len(piles) and 1 <= qty <= piles[pile]
