"""Alquerque harness: the last "Move #N" diagram is the 5x5 position; our piece is in the prompt.

TextArena's rules: Red (R, player 0) moves up, Black (B, player 1) down. A move is one step to an
empty adjacent point straight or diagonally forward, or a jump over an adjacent enemy piece (any of
the 8 directions, diagonals from every point) onto the empty point beyond. Squares are written as
coordinates (a1..e5, any case) or as cell numbers 0..24 (row-major from the top-left, a5 = 0); the
engine reads the first ``[from to]`` pair separated by whitespace.
"""

import random
import re

GAMES = ["Alquerque-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Alquerque-v0": {
        "command": "autoharness verify Alquerque-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5625,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ROW = re.compile(r"^[1-5] \| ([.RB](?: [.RB]){4})$", re.MULTILINE)
_ACTION = re.compile(r"\[\s*([a-eA-E][1-5]|\d+)\s+([a-eA-E][1-5]|\d+)\s*\]")
_DIRS = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc]


def _legal_moves(obs: str) -> set[tuple[int, int]]:
    """Legal (from_cell, to_cell) pairs, cell = row * 5 + col with row 0 = rank 5."""
    board = [row.split() for row in _ROW.findall(obs.rsplit("Move #", 1)[-1])]
    me, enemy, fwd = ("B", "R", 1) if "You are Player 1 (B)" in obs[:300] else ("R", "B", -1)
    moves = set()
    for r in range(5):
        for c in range(5):
            if board[r][c] != me:
                continue
            for dr, dc in _DIRS:
                r1, c1, r2, c2 = r + dr, c + dc, r + 2 * dr, c + 2 * dc
                if dr == fwd and 0 <= r1 < 5 and 0 <= c1 < 5 and board[r1][c1] == ".":
                    moves.add((r * 5 + c, r1 * 5 + c1))
                if 0 <= r2 < 5 and 0 <= c2 < 5 and board[r2][c2] == "." and board[r1][c1] == enemy:
                    moves.add((r * 5 + c, r2 * 5 + c2))
    return moves


def _cell(text: str) -> int:
    if text.isdigit():
        return int(text)  # out-of-range numbers simply match no legal move
    return (5 - int(text[1])) * 5 + "abcde".index(text[0].lower())


def _name(cell: int) -> str:
    return f"{'abcde'[cell % 5]}{5 - cell // 5}"


def propose_action(obs: str) -> str:
    moves = sorted(_legal_moves(obs))
    if not moves:
        return "[a1 a2]"
    frm, to = random.choice(moves)
    if random.random() < 0.2:  # the engine also takes cell numbers
        return f"[{frm} {to}]"
    return f"[{_name(frm)} {_name(to)}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and (_cell(match.group(1)), _cell(match.group(2))) in _legal_moves(obs)
