"""TowerOfHanoi harness: the last "Current Board:" block (``A: [3, 2, 1]`` etc.) is the position.

A move is ``[X Y]`` (source, target among A/B/C, any case, optional comma/spaces). The engine
executes EVERY ``[X Y]`` match in the action in turn, so an action is legal only when each of its
moves is: the source is non-empty and its top disk is not larger than the target's top disk
(``[A A]`` on a non-empty tower is accepted: the disk is lifted and put back).
"""

import random
import re

GAMES = [
    "TowerOfHanoi-v0",
    "TowerOfHanoi-v0-medium",
    "TowerOfHanoi-v0-hard",
    "TowerOfHanoi-v0-hardcore",
    "TowerOfHanoi-v0-extreme",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "TowerOfHanoi-v0": {
        "command": "autoharness verify TowerOfHanoi-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3686,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "TowerOfHanoi-v0-extreme": {
        "command": "autoharness verify TowerOfHanoi-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3870,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "TowerOfHanoi-v0-hard": {
        "command": "autoharness verify TowerOfHanoi-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3586,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "TowerOfHanoi-v0-hardcore": {
        "command": "autoharness verify TowerOfHanoi-v0-hardcore --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3743,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "TowerOfHanoi-v0-medium": {
        "command": "autoharness verify TowerOfHanoi-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3742,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_TOWER = re.compile(r"^([ABC]): \[([\d, ]*)\]$", re.MULTILINE)
_MOVE = re.compile(r"\[([ABCabc])\s*,?\s*([ABCabc])\]")


def _towers(obs: str) -> dict[str, list[int]]:
    board = obs.rsplit("Current Board:", 1)[-1]
    towers = {"A": [], "B": [], "C": []}
    for name, disks in _TOWER.findall(board)[:3]:
        towers[name] = [int(d) for d in disks.split(",") if d.strip()]
    return towers


def _ok(towers: dict[str, list[int]], src: str, dst: str) -> bool:
    return bool(towers[src]) and not (towers[dst] and towers[dst][-1] < towers[src][-1])


def propose_action(obs: str) -> str:
    towers = _towers(obs)
    moves = [(s, d) for s in "ABC" for d in "ABC" if s != d and _ok(towers, s, d)]
    src, dst = random.choice(moves) if moves else ("A", "C")
    return f"[{src} {dst}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    moves = _MOVE.findall(action)
    if not moves:
        return False
    towers = _towers(obs)
    for src, dst in moves:  # the engine applies them one after another
        src, dst = src.upper(), dst.upper()
        if not _ok(towers, src, dst):
            return False
        towers[dst].append(towers[src].pop())
    return True


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# The optimal recursion, from any position: to bring disks 1..n onto a tower, leave disk n alone
# if it is already there, else first bring 1..n-1 onto the third tower, then move disk n.

_DISKS = re.compile(r"Tower of Hanoi with (\d+) disks")


def _next_move(where: dict[int, str], n: int, target: str) -> tuple[str, str] | None:
    while n > 0:
        peg = where[n]
        if peg == target:
            n -= 1
            continue
        spare = ({"A", "B", "C"} - {peg, target}).pop()
        sub = _next_move(where, n - 1, spare)
        return sub if sub is not None else (peg, target)
    return None


def choose_action(obs: str) -> str:
    towers = _towers(obs)
    where = {disk: name for name, disks in towers.items() for disk in disks}
    match = _DISKS.search(obs)
    n = int(match.group(1)) if match else max(where, default=0)
    if sorted(where) != list(range(1, n + 1)):
        return propose_action(obs)  # a board this parser does not understand: any legal move
    move = _next_move(where, n, "C")
    if move is None or not _ok(towers, *move):
        return propose_action(obs)
    return f"[{move[0]} {move[1]}]"
