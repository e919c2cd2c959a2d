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


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# Lights Out is linear over GF(2): pressing a set of cells flips the XOR of their neighbourhoods.
# Gaussian elimination gives one solution and the null space; the lightest solution over all its
# cosets is pressed one cell at a time (re-solved every turn, so any position works).

_ROW = re.compile(r"^(\d+): ([O.](?: [O.])*)$", re.MULTILINE)
_MAX_NULLITY = 12  # 2**12 cosets at most to search for the lightest solution


def _lights(obs: str, size: int) -> list[int] | None:
    block = obs.rsplit("Current grid state", 1)[-1]
    rows = {int(r): cells.split() for r, cells in _ROW.findall(block)}
    if sorted(rows) != list(range(size)) or any(len(v) != size for v in rows.values()):
        return None
    return [1 if rows[r][c] == "O" else 0 for r in range(size) for c in range(size)]


def _lightest_solution(size: int, lights: list[int]) -> list[int] | None:
    n = size * size
    rows = []  # (press mask over the n cells, light parity) per equation
    for r in range(size):
        for c in range(size):
            mask = 0
            for dr, dc in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)):
                if 0 <= r + dr < size and 0 <= c + dc < size:
                    mask |= 1 << ((r + dr) * size + c + dc)
            rows.append([mask, lights[r * size + c]])
    pivots, rank = [], 0
    for col in range(n):
        pick = next((i for i in range(rank, n) if rows[i][0] >> col & 1), None)
        if pick is None:
            continue
        rows[rank], rows[pick] = rows[pick], rows[rank]
        for i in range(n):
            if i != rank and rows[i][0] >> col & 1:
                rows[i][0] ^= rows[rank][0]
                rows[i][1] ^= rows[rank][1]
        pivots.append(col)
        rank += 1
    if any(rows[i][1] for i in range(rank, n)):
        return None  # not solvable
    free = [col for col in range(n) if col not in pivots]
    if len(free) > _MAX_NULLITY:
        free = free[:0]
    best = None
    for combo in range(1 << len(free)):
        chosen = {free[k] for k in range(len(free)) if combo >> k & 1}
        x = [1 if col in chosen else 0 for col in range(n)]
        for i, col in enumerate(pivots):
            bit = rows[i][1]
            for f in chosen:
                bit ^= rows[i][0] >> f & 1
            x[col] = bit
        if best is None or sum(x) < sum(best):
            best = x
    return best


def choose_action(obs: str) -> str:
    size = _size(obs)
    lights = _lights(obs, size)
    solution = _lightest_solution(size, lights) if lights is not None else None
    if not solution or not any(solution):
        return propose_action(obs)
    cell = solution.index(1)
    return f"[{cell // size} {cell % size}]"
