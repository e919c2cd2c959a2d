"""Othello harness: the last "Game Board:" grid in the observation is the position (any size).

Our colour is in the prompt ("playing Black (B)"). A move is an empty cell from which a straight
line of opponent stones ends in one of ours, in any of the 8 directions. The engine reads the first
``[r, c]`` (comma optional, so "[12]" means row 1, col 2). When we have no legal move the engine
skips our turn whatever we send, so then every action is accepted.
"""

import math
import random
import re

GAMES = [
    "Othello-v0",
    "Othello-v0-big",
    "Othello-v0-hard",
    "Othello-v0-huge",
    "Othello-v0-small",
    "Othello-v0-tiny",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Othello-v0": {
        "command": "autoharness verify Othello-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5276,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Othello-v0-big": {
        "command": "autoharness verify Othello-v0-big --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5401,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Othello-v0-hard": {
        "command": "autoharness verify Othello-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5276,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Othello-v0-huge": {
        "command": "autoharness verify Othello-v0-huge --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5557,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Othello-v0-small": {
        "command": "autoharness verify Othello-v0-small --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4489,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Othello-v0-tiny": {
        "command": "autoharness verify Othello-v0-tiny --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4020,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ROW = re.compile(r"^\d+\|((?:[.BW]\|)+)$", re.MULTILINE)
_ACTION = re.compile(r"\[\s*(\d+)\s*,?\s*(\d+)\s*\]")
_DIRS = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]


def _legal_moves(obs: str) -> set[tuple[int, int]]:
    board = [row.split("|")[:-1] for row in _ROW.findall(obs.rsplit("Game Board:", 1)[-1])]
    me = "W" if "playing White (W)" in obs[:300] else "B"
    opp = "B" if me == "W" else "W"
    n = len(board)
    moves = set()
    for r in range(n):
        for c in range(n):
            if board[r][c] != ".":
                continue
            for dr, dc in _DIRS:
                rr, cc, seen = r + dr, c + dc, False
                while 0 <= rr < n and 0 <= cc < n and board[rr][cc] == opp:
                    rr, cc, seen = rr + dr, cc + dc, True
                if seen and 0 <= rr < n and 0 <= cc < n and board[rr][cc] == me:
                    moves.add((r, c))
                    break
    return moves


def propose_action(obs: str) -> str:
    moves = sorted(_legal_moves(obs))
    if not moves:
        return "[pass]"  # no move: the engine skips our turn whatever we send
    r, c = random.choice(moves)
    return f"[{r}, {c}]"


def eval_action(obs: str, action: str) -> bool:
    moves = _legal_moves(obs)
    if not moves:
        return True
    match = _ACTION.search(action if "[" in action or "]" in action else f"[{action}]")
    return bool(match) and (int(match.group(1)), int(match.group(2))) in moves


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# State: (n, cells, player to move), cells the last "Game Board:" grid as one n*n string of "B"
# (player 0), "W" (player 1) and ".". The player to move follows the last "[GAME] Player N ...
# played" or "... had to skip" line (Black starts). With no flanking move the engine takes any
# action as a skip ("[pass]"); the game ends when the board is full or neither side can move.
# ``value`` is a placed-disc heuristic for the planner.

_TURN = re.compile(r"^\[GAME\] Player ([01]) (?:\([BW]\) played \[|had to skip)", re.MULTILINE)


_WM_RAYS: dict[int, list[list[list[int]]]] = {}
_WM_MOVES: dict[tuple[str, str], tuple[tuple[int, tuple[int, ...]], ...]] = {}


def _rays(n: int) -> list[list[list[int]]]:
    """For each cell, the cells along each of the 8 directions, nearest first."""
    if n not in _WM_RAYS:
        table = []
        for index in range(n * n):
            r0, c0 = divmod(index, n)
            rays = []
            for dr, dc in _DIRS:
                ray, r, c = [], r0 + dr, c0 + dc
                while 0 <= r < n and 0 <= c < n:
                    ray.append(r * n + c)
                    r, c = r + dr, c + dc
                if len(ray) >= 2:
                    rays.append(ray)
            table.append(rays)
        _WM_RAYS[n] = table
    return _WM_RAYS[n]


def _moves(n: int, cells: str, me: str) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """(cell, cells it flips) for every move of ``me`` (cached by position)."""
    key = (cells, me)
    found = _WM_MOVES.get(key)
    if found is None:
        opp = "W" if me == "B" else "B"
        moves = []
        for index, rays in enumerate(_rays(n)):
            if cells[index] != ".":
                continue
            flipped: list[int] = []
            for ray in rays:
                run = 0
                for i in ray:
                    if cells[i] != opp:
                        break
                    run += 1
                if run and run < len(ray) and cells[ray[run]] == me:
                    flipped.extend(ray[:run])
            if flipped:
                moves.append((index, tuple(flipped)))
        if len(_WM_MOVES) > 200_000:
            _WM_MOVES.clear()
        found = _WM_MOVES[key] = tuple(moves)
    return found


def parse_state(obs: str) -> tuple:
    rows = [row.split("|")[:-1] for row in _ROW.findall(obs.rsplit("Game Board:", 1)[-1])]
    turns = _TURN.findall(obs)
    player = 1 - int(turns[-1]) if turns else 0
    return (len(rows), "".join("".join(row) for row in rows), player)


def is_terminal(state: tuple) -> bool:
    n, cells, player = state
    me, opp = ("B", "W") if player == 0 else ("W", "B")
    return "." not in cells or not (_moves(n, cells, me) or _moves(n, cells, opp))


def legal_actions(state: tuple) -> list[str]:
    n, cells, player = state
    if is_terminal(state):
        return []
    moves = _moves(n, cells, "B" if player == 0 else "W")
    return [f"[{i // n}, {i % n}]" for i, _flips in moves] if moves else ["[pass]"]


def apply(state: tuple, action: str) -> tuple:
    n, cells, player = state
    me = "B" if player == 0 else "W"
    moves = _moves(n, cells, me)
    if not moves:
        return (n, cells, 1 - player)  # the engine skips whatever was sent
    match = _ACTION.search(action)
    index = int(match.group(1)) * n + int(match.group(2))
    flipped = next((f for i, f in moves if i == index), None)
    if flipped is None:
        raise ValueError(f"{action} flanks nothing")
    board = list(cells)
    for i in (index, *flipped):
        board[i] = me
    return (n, "".join(board), 1 - player)


def current_player(state: tuple) -> int:
    return state[2]


def returns(state: tuple) -> list[float]:
    if not is_terminal(state):
        return [0.0, 0.0]
    black, white = state[1].count("B"), state[1].count("W")
    if black == white:
        return [0.0, 0.0]
    return [1.0, -1.0] if black > white else [-1.0, 1.0]


def _weight(n: int, index: int) -> float:
    r, c = divmod(index, n)
    edge_r, edge_c = min(r, n - 1 - r), min(c, n - 1 - c)
    if edge_r == 0 and edge_c == 0:
        return 20.0  # corner
    if edge_r <= 1 and edge_c <= 1:
        return -8.0 if edge_r == edge_c else -4.0  # next to a corner: gives it away
    if edge_r == 0 or edge_c == 0:
        return 3.0
    return 1.0


def value(state: tuple) -> list[float]:
    """A heuristic for the planner: discs weighted by place (corners high, their neighbours
    negative, edges above the middle) and the difference in available moves."""
    n, cells, _player = state
    score = 0.0
    for index, cell in enumerate(cells):
        if cell != ".":
            score += _weight(n, index) if cell == "B" else -_weight(n, index)
    black_moves, white_moves = len(_moves(n, cells, "B")), len(_moves(n, cells, "W"))
    score += 10.0 * (black_moves - white_moves) / (black_moves + white_moves + 1)
    black = 0.8 * math.tanh(score / 25.0)
    return [black, -black]
