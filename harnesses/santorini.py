"""Santorini (fixed workers) harness: the last board printed in the observation is the position.

Board cells read ``<height> <worker>`` (height 0-3, 4 = dome; workers N1/N2 Navy, W1/W2 White,
G1/G2 Grey); the player's colour comes from the prompt. A move ``[<worker><src><dst><build>]``,
e.g. ``[N1C2C3B3]``, moves one's own worker from src to an adjacent square that holds no worker
and no dome and is at most one level higher, then builds on a square adjacent to dst holding no
worker (the source is free by then) and no dome. The engine reads the first such token, any case.
"""

import random
import re

GAMES = ["SantoriniBaseFixed-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "SantoriniBaseFixed-v0": {
        "command": "autoharness verify SantoriniBaseFixed-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5339,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}


_ACTION = re.compile(r"\[(N[12]|W[12]|G[12])([A-E][1-5])([A-E][1-5])([A-E][1-5])\]", re.I)
_ROW = re.compile(r"^([A-E]) │(.*)│ \1$", re.M)
_COLOUR = re.compile(r"You are playing (\w+) in a game of Santorini")

Square = tuple[int, int]


def _position(obs: str) -> tuple[str, dict[Square, int], dict[Square, str]]:
    """The player's colour letter, the heights and the workers ("N1", ...) by (row, col)."""
    colour = _COLOUR.search(obs)
    heights: dict[Square, int] = {}
    workers: dict[Square, str] = {}
    for row_label, cells in _ROW.findall(obs.rsplit("┌", 1)[-1]):
        r = ord(row_label) - 65
        for c, cell in enumerate(cells.split("│")):
            height, _, worker = cell.strip().partition(" ")
            heights[r, c] = int(height)
            if worker.strip():
                workers[r, c] = worker.strip()
    return (colour.group(1)[0] if colour else "N"), heights, workers


def _near(square: Square) -> list[Square]:
    r, c = square
    return [(r + dr, c + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
            if (dr or dc) and 0 <= r + dr < 5 and 0 <= c + dc < 5]


def _is_legal(heights: dict[Square, int], workers: dict[Square, str],
              worker: str, src: Square, dst: Square, build: Square) -> bool:
    if workers.get(src) != worker or dst not in _near(src) or build not in _near(dst):
        return False
    if dst in workers or heights[dst] == 4 or heights[dst] - heights[src] > 1:
        return False
    return (build == src or build not in workers) and heights[build] < 4


def _name(square: Square) -> str:
    return f"{chr(65 + square[0])}{square[1] + 1}"


def propose_action(obs: str) -> str:
    colour, heights, workers = _position(obs)
    moves = [f"[{w}{_name(src)}{_name(dst)}{_name(build)}]"
             for src, w in workers.items() if w[0] == colour
             for dst in _near(src) for build in _near(dst)
             if _is_legal(heights, workers, w, src, dst, build)]
    return random.choice(moves) if moves else f"[{colour}1A1A2A3]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action.strip())
    if not match:
        return False
    colour, heights, workers = _position(obs)
    worker, src, dst, build = (g.upper() for g in match.groups())
    if worker[0] != colour:
        return False
    def square(name: str) -> Square:
        return ord(name[0]) - 65, int(name[1]) - 1
    return _is_legal(heights, workers, worker, square(src), square(dst), square(build))
