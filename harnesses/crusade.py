"""Crusade harness: the last "Move #N" diagram is the 8x8 position; our piece is in the prompt.

Every piece moves like a chess knight onto an empty square or an enemy piece (capturing it). The
engine shows each player the board before their own turn. Squares are written as coordinates
(a1..h8, any case) or as cell numbers 0..63 (row-major from the top-left, a8 = 0); the engine
reads the first ``[from to]`` pair separated by whitespace.
"""

import random
import re

GAMES = ["Crusade-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Crusade-v0": {
        "command": "autoharness verify Crusade-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5666,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ROW = re.compile(r"^[1-8] \| ([.WB](?: [.WB]){7})$", re.MULTILINE)
_ACTION = re.compile(r"\[\s*([a-hA-H][1-8]|\d+)\s+([a-hA-H][1-8]|\d+)\s*\]")
_KNIGHT = [(2, 1), (2, -1), (-2, 1), (-2, -1), (1, 2), (1, -2), (-1, 2), (-1, -2)]


def _legal_moves(obs: str) -> set[tuple[int, int]]:
    """Legal (from_cell, to_cell) pairs, cell = row * 8 + col with row 0 = rank 8."""
    board = [row.split() for row in _ROW.findall(obs.rsplit("Move #", 1)[-1])]
    me = "B" if "You are Player 1 (B)" in obs[:300] else "W"
    moves = set()
    for r, row in enumerate(board):
        for c, piece in enumerate(row):
            if piece != me:
                continue
            for dr, dc in _KNIGHT:
                r2, c2 = r + dr, c + dc
                if 0 <= r2 < 8 and 0 <= c2 < 8 and board[r2][c2] != me:
                    moves.add((r * 8 + c, r2 * 8 + c2))
    return moves


def _cell(text: str) -> int:
    if text.isdigit():
        return int(text)  # out-of-range numbers simply match no legal move
    return (8 - int(text[1])) * 8 + "abcdefgh".index(text[0].lower())


def _name(cell: int) -> str:
    return f"{'abcdefgh'[cell % 8]}{8 - cell // 8}"


def propose_action(obs: str) -> str:
    moves = sorted(_legal_moves(obs))
    if not moves:
        return "[b1 c3]"
    frm, to = random.choice(moves)
    if random.random() < 0.2:  # the engine also takes cell numbers
        return f"[{frm} {to}]"
    return f"[{_name(frm)} {_name(to)}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and (_cell(match.group(1)), _cell(match.group(2))) in _legal_moves(obs)
