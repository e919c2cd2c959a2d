"""MemoryGame harness: the last printed board ("Current board:" / "Current Game Board:") is read.

Matched cards show their letter, face-down cards show ``.``; the header row gives the grid size.
An action is ``[r1 c1 r2 c2]``: the engine searches for the first ``[n n n n]`` (single spaces),
and accepts it when both cells are on the grid, distinct and not yet matched. An action without
brackets is wrapped in brackets first. Proposals sometimes flip a pair whose letters were seen.
"""

import random
import re

GAMES = ["MemoryGame-v0", "MemoryGame-v0-medium", "MemoryGame-v0-hard"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "MemoryGame-v0": {
        "command": "autoharness verify MemoryGame-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5271,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "MemoryGame-v0-hard": {
        "command": "autoharness verify MemoryGame-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5492,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "MemoryGame-v0-medium": {
        "command": "autoharness verify MemoryGame-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5016,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ACTION = re.compile(r"\[([0-9]+) ([0-9]+) ([0-9]+) ([0-9]+)\]")  # the engine's own pattern
_SEEN = re.compile(r"Cards at positions \[(\d+) (\d+)\] and \[(\d+) (\d+)\] are (\S+) and (\S+)")


def _board(obs: str) -> tuple[int, set[tuple[int, int]]]:
    """(grid size, face-down cells) from the last board."""
    lines = obs[obs.rfind("oard:\n") + 6 :].split("\n")
    size = len(lines[0].split())
    hidden = set()
    for line in lines[1 : size + 1]:
        cells = line.split()
        r = int(cells[0])
        hidden.update((r, c) for c, v in enumerate(cells[1:]) if v == ".")
    return size, hidden


def propose_action(obs: str) -> str:
    _, hidden = _board(obs)
    if len(hidden) < 2:
        return "[0 0 0 1]"
    if random.random() < 0.5:  # a pair whose letters were both revealed earlier
        where: dict[str, set[tuple[int, int]]] = {}
        for r1, c1, r2, c2, s1, s2 in _SEEN.findall(obs):
            where.setdefault(s1, set()).add((int(r1), int(c1)))
            where.setdefault(s2, set()).add((int(r2), int(c2)))
        pairs = [sorted(cells & hidden) for cells in where.values() if len(cells & hidden) == 2]
        if pairs:
            (a, b), (c, d) = random.choice(pairs)
            return f"[{a} {b} {c} {d}]"
    (a, b), (c, d) = random.sample(sorted(hidden), 2)
    return f"[{a} {b} {c} {d}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    if not match:
        return False
    r1, c1, r2, c2 = map(int, match.groups())
    _, hidden = _board(obs)
    return (r1, c1) != (r2, c2) and (r1, c1) in hidden and (r2, c2) in hidden
