"""Chopsticks harness: the last "Current Board:" block gives both players' hands.

The player id comes from the prompt ("You are Player N"). ``[attack M O]`` (M, O in 0/1) is legal
when my hand M and the opponent's hand O are both alive (non-zero). ``[split L R]`` is legal when
L + R equals my finger total and (L, R) differs from my current hands; the engine sets no upper
bound on L or R. The engine tries the attack pattern first (case-insensitive, anywhere in the
action) and only then the split pattern; an action without brackets is wrapped in brackets.
"""

import random
import re

GAMES = ["Chopsticks-v0", "Chopsticks-v0-medium", "Chopsticks-v0-long"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Chopsticks-v0": {
        "command": "autoharness verify Chopsticks-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5124,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Chopsticks-v0-long": {
        "command": "autoharness verify Chopsticks-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5124,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Chopsticks-v0-medium": {
        "command": "autoharness verify Chopsticks-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5124,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ME = re.compile(r"You are Player (\d+) in Chopsticks")
_HANDS = re.compile(r"^Player (\d+): \[(\d+), (\d+)\]$", re.MULTILINE)
_ATTACK = re.compile(r"\[\s*attack\s+([01])\s+([01])\s*\]", re.IGNORECASE)
_SPLIT = re.compile(r"\[\s*split\s+(\d+)\s+(\d+)\s*\]", re.IGNORECASE)


def _state(obs: str) -> tuple[list[int], list[int]]:
    """(my hands, opponent hands) from the last board."""
    me = int(_ME.search(obs).group(1))
    board = obs.rsplit("Current Board:", 1)[-1]
    hands = {int(p): [int(a), int(b)] for p, a, b in _HANDS.findall(board)}
    return hands[me], hands[1 - me]


def _legal(mine: list[int], theirs: list[int]) -> list[str]:
    acts = [f"[attack {m} {o}]" for m in (0, 1) for o in (0, 1) if mine[m] and theirs[o]]
    total = sum(mine)
    acts += [f"[split {a} {total - a}]" for a in range(total + 1) if [a, total - a] != mine]
    return acts


def propose_action(obs: str) -> str:
    acts = _legal(*_state(obs))
    attacks = [a for a in acts if "attack" in a]
    # Pick the action type first so attacks are not drowned out by the many splits.
    pool = attacks if attacks and random.random() < 0.6 else acts
    return random.choice(pool) if pool else "[attack 0 0]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    mine, theirs = _state(obs)
    m = _ATTACK.search(action)
    if m:
        a, o = map(int, m.groups())
        return bool(mine[a] and theirs[o])
    m = _SPLIT.search(action)
    if m:
        left, right = map(int, m.groups())
        return left + right == sum(mine) and [left, right] != mine
    return False
