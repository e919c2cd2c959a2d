"""RushHour harness: the last 6x6 letter grid in the observation is the position (``.`` empty,
a letter per vehicle cell, ``>`` marks the exit at the right of row 2).

A vehicle's orientation is read from its cells (all vehicles are 2 or 3 long). ``[V+]`` moves it
one cell right/down, ``[V-]`` one cell left/up; the cell in front must be on the board and empty
(``X`` may also leave through the exit). The engine ``fullmatch``es
``\\[([A-Z])([+-])\\]`` (ignore-case) against the stripped action and upper-cases the letter.
"""

import random
import re
from collections import deque

GAMES = ["RushHour-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "RushHour-v0": {
        "command": "autoharness verify RushHour-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4604,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_LINE = re.compile(r"^[A-Z.](?: [A-Z.]){5}(?: >)?$", re.MULTILINE)
_ACTION = re.compile(r"\[(?P<id>[A-Z])(?P<dir>[+-])\]", re.I)
_N = 6


def _grid(obs: str) -> list[list[str]]:
    lines = _LINE.findall(obs[-400:])[-_N:]
    return [line.split()[:_N] for line in lines]


def _can_move(grid: list[list[str]], vid: str, forward: bool) -> bool:
    cells = [(r, c) for r in range(len(grid)) for c in range(_N) if grid[r][c] == vid]
    if not cells:
        return False
    horizontal = len({r for r, _ in cells}) == 1 and len(cells) > 1
    r, c = max(cells) if forward else min(cells)
    dr, dc = (0, 1) if horizontal else (1, 0)
    if not forward:
        dr, dc = -dr, -dc
    rr, cc = r + dr, c + dc
    if not (0 <= rr < _N and 0 <= cc < _N):
        return vid == "X" and horizontal and forward and cc == _N  # drive out of the exit
    return grid[rr][cc] == "."


def propose_action(obs: str) -> str:
    grid = _grid(obs)
    vids = sorted({v for row in grid for v in row if v != "."})
    moves = [(v, f) for v in vids for f in (True, False) if _can_move(grid, v, f)]
    vid, forward = random.choice(moves) if moves else ("X", True)
    return f"[{vid}{'+' if forward else '-'}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    m = _ACTION.fullmatch(action.strip())
    return m is not None and _can_move(_grid(obs), m.group("id").upper(), m.group("dir") == "+")


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# Breadth-first search over vehicle positions (one cell per action, as the engine moves them) to
# the first position with the red car X at the exit (its left end in column 4); a shortest
# solution. The search is capped; found plans are cached, so later moves cost a lookup.

_MAX_STATES = 60_000
_PLAN: dict = {}


def _vehicles(grid: list[list[str]]) -> dict[str, tuple[bool, int, int, int]] | None:
    """vehicle -> (horizontal, fixed row/column, first cell along its axis, length)."""
    cells: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v != ".":
                cells.setdefault(v, []).append((r, c))
    vehicles = {}
    for vid, spots in cells.items():
        rows, cols = {r for r, _ in spots}, {c for _, c in spots}
        if len(spots) < 2 or (len(rows) != 1 and len(cols) != 1):
            return None
        horizontal = len(rows) == 1
        along = sorted(c for _, c in spots) if horizontal else sorted(r for r, _ in spots)
        if along != list(range(along[0], along[0] + len(spots))):
            return None
        vehicles[vid] = (horizontal, next(iter(rows if horizontal else cols)), along[0], len(spots))
    return vehicles if "X" in vehicles and vehicles["X"][0] else None


def _solve(vehicles: dict[str, tuple[bool, int, int, int]]) -> list[str] | None:
    names = sorted(vehicles)
    shape = [vehicles[v] for v in names]
    x = names.index("X")
    exit_at = _N - shape[x][3]

    def occupied(state: tuple[int, ...]) -> set[tuple[int, int]]:
        taken = set()
        for (horizontal, line, _, length), start in zip(shape, state, strict=True):
            for i in range(length):
                taken.add((line, start + i) if horizontal else (start + i, line))
        return taken

    start = tuple(s[2] for s in shape)
    parent: dict = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state[x] >= exit_at:
            moves = []
            while parent[state] is not None:
                state, move = parent[state]
                moves.append(move)
            return moves[::-1]
        if len(parent) > _MAX_STATES:
            return None
        taken = occupied(state)
        for i, (horizontal, line, _, length) in enumerate(shape):
            for step, sign in ((1, "+"), (-1, "-")):
                front = state[i] + (length if step == 1 else -1)
                if not 0 <= front < _N:
                    continue
                if ((line, front) if horizontal else (front, line)) in taken:
                    continue
                child = state[:i] + (state[i] + step,) + state[i + 1:]
                if child not in parent:
                    parent[child] = (state, f"[{names[i]}{sign}]")
                    queue.append(child)
    return None


def choose_action(obs: str) -> str:
    grid = _grid(obs)
    vehicles = _vehicles(grid) if len(grid) == _N and all(len(r) == _N for r in grid) else None
    if vehicles is None:
        return propose_action(obs)
    key = tuple(sorted(vehicles.items()))
    if key not in _PLAN:
        moves = _solve(vehicles)
        if not moves:
            return propose_action(obs)
        if len(_PLAN) > 5000:
            _PLAN.clear()
        state = dict(vehicles)
        for move in moves:  # remember the next move of every position along the plan
            _PLAN[tuple(sorted(state.items()))] = move
            vid, sign = move[1], move[2]
            horizontal, line, first, length = state[vid]
            state[vid] = (horizontal, line, first + (1 if sign == "+" else -1), length)
    move = _PLAN[key]
    return move if eval_action(obs, move) else propose_action(obs)
