"""Checkers harness: the last "Current board:" grid is the position; our colour is in the prompt.

TextArena's simplified rules: Red (r, player 0) moves up, Black (b, player 1) moves down; a man
steps one square diagonally forward onto an empty square or jumps two squares forward over an
enemy piece; a king (R/B) does either in any diagonal direction. No forced captures, no multi-jumps.
The engine reads the first ``[r1 c1 r2 c2]`` (single digits separated by whitespace).
A player left without any move cannot act legally (the engine never ends the game for it), so
proposals avoid moves that would leave the opponent stuck whenever another move exists.
"""

import random
import re

GAMES = ["Checkers-v0", "Checkers-v0-long"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Checkers-v0": {
        "command": "autoharness verify Checkers-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9999,
        "actions": 10000,
        "illegal_actions": 1,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5125,
        "harness_failures": 0,
        "engine_errors": 5,
    },
    "Checkers-v0-long": {
        "command": "autoharness verify Checkers-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9999,
        "actions": 10000,
        "illegal_actions": 1,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5201,
        "harness_failures": 0,
        "engine_errors": 2,
    },
}

_ROW = re.compile(r"^ [0-7] \|((?: \S ){8})", re.MULTILINE)
_ACTION = re.compile(r"\[\s*(\d)\s+(\d)\s+(\d)\s+(\d)\s*\]")

Move = tuple[int, int, int, int]  # (from_row, from_col, to_row, to_col)


def _board(obs: str) -> list[list[str]]:
    return [row.split() for row in _ROW.findall(obs.rsplit("Current board:", 1)[-1])]


def _moves(board: list[list[str]], me: str) -> set[Move]:
    enemy, forward = ("r", 1) if me == "b" else ("b", -1)
    moves = set()
    for r, row in enumerate(board):
        for c, piece in enumerate(row):
            if piece.lower() != me:
                continue
            for dr in (-1, 1) if piece.isupper() else (forward,):
                for dc in (-1, 1):
                    r1, c1, r2, c2 = r + dr, c + dc, r + 2 * dr, c + 2 * dc
                    if 0 <= r1 < 8 and 0 <= c1 < 8 and board[r1][c1] == ".":
                        moves.add((r, c, r1, c1))
                    if (0 <= r2 < 8 and 0 <= c2 < 8 and board[r2][c2] == "."
                            and board[r1][c1].lower() == enemy):
                        moves.add((r, c, r2, c2))
    return moves


def _me(obs: str) -> str:
    return "b" if "as Black." in obs[:300] else "r"


def _legal_moves(obs: str) -> set[Move]:
    return _moves(_board(obs), _me(obs))


def _blocks_opponent(board: list[list[str]], me: str, move: Move) -> bool:
    """Would ``move`` leave the opponent with pieces but no move?

    The engine only checks the player who just moved for having no move, so a stuck opponent is
    asked to move until two invalid moves forfeit the game. Proposals avoid that while they can.
    """
    r1, c1, r2, c2 = move
    after = [list(row) for row in board]
    after[r2][c2], after[r1][c1] = after[r1][c1], "."
    if abs(r2 - r1) == 2:
        after[(r1 + r2) // 2][(c1 + c2) // 2] = "."
    enemy = "r" if me == "b" else "b"
    alive = any(cell.lower() == enemy for row in after for cell in row)
    return alive and not _moves(after, enemy)  # (kinging cannot give the opponent a move)


def propose_action(obs: str) -> str:
    board, me = _board(obs), _me(obs)
    moves = sorted(_moves(board, me))
    if not moves:
        return "[0 0 0 0]"  # no move at all: nothing is legal
    random.shuffle(moves)
    move = next((m for m in moves if not _blocks_opponent(board, me, m)), moves[0])
    return "[{} {} {} {}]".format(*move)


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action.strip())
    return bool(match) and tuple(map(int, match.groups())) in _legal_moves(obs)
