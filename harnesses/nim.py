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
VERIFIED = {
    "Nim-v0": {
        "command": "autoharness verify Nim-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3998,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Nim-v0-large": {
        "command": "autoharness verify Nim-v0-large --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4748,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Nim-v0-medium": {
        "command": "autoharness verify Nim-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4529,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

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


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# State: (piles, player to move). The piles are the last "Current Pile:" block; the player to move
# follows from the number of "[GAME] Player N removes ..." announcements (player 0 starts). Whoever
# takes the last object wins.

_REMOVED = re.compile(r"^\[GAME\] Player [01] removes \d+ from pile \d+\.", re.MULTILINE)


def parse_state(obs: str) -> tuple:
    return (tuple(_piles(obs)), len(_REMOVED.findall(obs)) % 2)


def is_terminal(state: tuple) -> bool:
    return not any(state[0])


def legal_actions(state: tuple) -> list[str]:
    return [f"[{i} {q}]" for i, n in enumerate(state[0]) for q in range(1, n + 1)]


def apply(state: tuple, action: str) -> tuple:
    piles, player = state
    pile, qty = map(int, _ACTION.search(action).groups())
    if not (0 <= pile < len(piles) and 1 <= qty <= piles[pile]):
        raise ValueError(f"cannot remove {qty} from pile {pile}")
    return (piles[:pile] + (piles[pile] - qty,) + piles[pile + 1:], 1 - player)


def current_player(state: tuple) -> int:
    return state[1]


def returns(state: tuple) -> list[float]:
    if not is_terminal(state):
        return [0.0, 0.0]
    winner = 1 - state[1]  # the player who just moved took the last object
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]
