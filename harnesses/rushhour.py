"""RushHour harness: the last 6x6 letter grid in the observation is the position (``.`` empty,
a letter per vehicle cell, ``>`` marks the exit at the right of row 2).

A vehicle's orientation is read from its cells (all vehicles are 2 or 3 long). ``[V+]`` moves it
one cell right/down, ``[V-]`` one cell left/up; the cell in front must be on the board and empty
(``X`` may also leave through the exit). The engine ``fullmatch``es
``\\[([A-Z])([+-])\\]`` (ignore-case) against the stripped action and upper-cases the letter.
"""

import random
import re

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
