"""Sudoku harness: the last "Game Board:" / "Board state:" grid (rows ``R1``..``R9``, ``.`` = empty)
is the position.

The engine accepts ``[row col num]`` (first ``\\[(\\d+)\\s(\\d+)\\s(\\d+)\\]``, 1-based) only
when the cell is empty AND ``num`` equals the hidden solution grid there. The generator keeps only
puzzles with a unique solution and the board only ever receives correct digits, so that solution
is fully determined by the visible grid: we solve it (bitmask DFS, most-constrained cell first)
and cache the answer per grid.
"""

import random
import re

GAMES = ["Sudoku-v0", "Sudoku-v0-very-easy", "Sudoku-v0-easy", "Sudoku-v0-medium", "Sudoku-v0-hard"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Sudoku-v0": {
        "command": "autoharness verify Sudoku-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5323,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Sudoku-v0-easy": {
        "command": "autoharness verify Sudoku-v0-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5147,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Sudoku-v0-hard": {
        "command": "autoharness verify Sudoku-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5446,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Sudoku-v0-medium": {
        "command": "autoharness verify Sudoku-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5849,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Sudoku-v0-very-easy": {
        "command": "autoharness verify Sudoku-v0-very-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5159,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ROW = re.compile(r"^R([1-9]) +(.*)$", re.MULTILINE)
_ACTION = re.compile(r"\[(\d+)\s(\d+)\s(\d+)\]")
_ALL = 0x3FE  # bits 1..9
_CACHE: dict[str, list[int] | None] = {}


def _grid(obs: str) -> list[int]:
    start = max(obs.rfind("Game Board:"), obs.rfind("Board state:"))
    grid = [0] * 81
    for r, cells in _ROW.findall(obs[start:])[:9]:
        values = [c for c in cells.split() if c != "|"]
        for c, v in enumerate(values[:9]):
            grid[(int(r) - 1) * 9 + c] = int(v) if v.isdigit() else 0
    return grid


def _peers(i: int) -> list[int]:
    r, c = divmod(i, 9)
    br, bc = r - r % 3, c - c % 3
    box = [(br + a) * 9 + bc + b for a in range(3) for b in range(3)]
    return sorted({r * 9 + k for k in range(9)} | {k * 9 + c for k in range(9)} | set(box) - {i})


_PEERS = [_peers(i) for i in range(81)]


def _solve(grid: list[int]) -> list[int] | None:
    grid = grid[:]

    def search() -> bool:
        best, best_mask, best_n = -1, 0, 10
        for i in range(81):
            if grid[i]:
                continue
            used = 0
            for p in _PEERS[i]:
                used |= 1 << grid[p]
            mask = _ALL & ~used
            n = bin(mask).count("1")
            if n < best_n:
                best, best_mask, best_n = i, mask, n
                if n <= 1:
                    break
        if best < 0:
            return True
        for d in range(1, 10):
            if best_mask >> d & 1:
                grid[best] = d
                if search():
                    return True
        grid[best] = 0
        return False

    return grid if search() else None


def _solution(obs: str) -> tuple[list[int], list[int] | None]:
    grid = _grid(obs)
    key = "".join(map(str, grid))
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = _solve(grid)
    return grid, _CACHE[key]


def propose_action(obs: str) -> str:
    grid, solution = _solution(obs)
    empty = [i for i in range(81) if not grid[i]]
    if not empty or solution is None:
        return "[1 1 1]"
    i = random.choice(empty)
    return f"[{i // 9 + 1} {i % 9 + 1} {solution[i]}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    m = _ACTION.search(action)
    if m is None:
        return False
    row, col, num = map(int, m.groups())
    if not (1 <= row <= 9 and 1 <= col <= 9 and 1 <= num <= 9):
        return False
    grid, solution = _solution(obs)
    i = (row - 1) * 9 + col - 1
    return not grid[i] and solution is not None and solution[i] == num


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# Every correct digit is legal and every legal move is correct, so any order of filling wins: fill
# the empty cells of the (unique) solution in reading order. The solution found for an earlier
# board is reused while the board still agrees with it.

_SOLVED: list[list[int]] = []


def choose_action(obs: str) -> str:
    grid = _grid(obs)
    empty = [i for i in range(81) if not grid[i]]
    if not empty:
        return propose_action(obs)
    solution = next((s for s in _SOLVED
                     if all(g in (0, v) for g, v in zip(grid, s, strict=True))), None)
    if solution is None:
        _, solution = _solution(obs)
        if solution is None:
            return propose_action(obs)
        _SOLVED[:] = [solution] + _SOLVED[:7]
    i = empty[0]
    return f"[{i // 9 + 1} {i % 9 + 1} {solution[i]}]"
