"""Breakthrough harness: the last board diagram is the position; the size is in the prompt.

Breakthrough-v0-blind shows no board, so the announced moves ("Player 0 moves [a2a3] (W).") are
replayed from the start position (two home rows each). White (W) moves up a rank, Black (B) down:
straight ahead onto an empty square, or diagonally forward onto an enemy piece (capturing it).
The engine lower-cases the action and reads the first ``[<file><1-2 digits><file><1-2 digits>]``.
A player left without any move cannot act legally (the engine has no rule for it), so proposals
avoid moves that would leave the opponent stuck whenever another move exists.
"""

import random
import re

GAMES = [
    "Breakthrough-v0",
    "Breakthrough-v0-blind",
    "Breakthrough-v0-large",
    "Breakthrough-v0-long",
    "Breakthrough-v0-small",
    "Breakthrough-v0-tiny",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Breakthrough-v0": {
        "command": "autoharness verify Breakthrough-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5656,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Breakthrough-v0-blind": {
        "command": "autoharness verify Breakthrough-v0-blind --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5694,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Breakthrough-v0-large": {
        "command": "autoharness verify Breakthrough-v0-large --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5633,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Breakthrough-v0-long": {
        "command": "autoharness verify Breakthrough-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5656,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Breakthrough-v0-small": {
        "command": "autoharness verify Breakthrough-v0-small --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9998,
        "actions": 10000,
        "illegal_actions": 2,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5224,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Breakthrough-v0-tiny": {
        "command": "autoharness verify Breakthrough-v0-tiny --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.998,
        "actions": 10000,
        "illegal_actions": 20,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5685,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_SIZE = re.compile(r"on an (\d+)x\d+ board")
_ROW = re.compile(r"^ ?\d+ \| ([.WB](?: [.WB])*)$", re.MULTILINE)
_PLAYED = re.compile(r"\n\[GAME\] Player [01] moves \[([a-z])(\d+)([a-z])(\d+)\]")

Move = tuple[int, int, int, int]  # (from_row, from_col, to_row, to_col), row 0 = rank 1


def _position(obs: str) -> tuple[int, str, list[list[str]]]:
    """Board size, our colour, and board[row][col] with row 0 = rank 1."""
    head = obs[:1500]
    n = int(_SIZE.search(head).group(1))
    me = "B" if "You are playing Black" in head else "W"
    rows = _ROW.findall(obs.rsplit("\n[GAME] \n", 1)[-1])
    if len(rows) == n:  # open variants: the last diagram, printed top rank first
        return n, me, [row.split() for row in reversed(rows)]
    board = [["W"] * n] * 2 + [["."] * n for _ in range(n - 4)] + [["B"] * n] * 2
    board = [list(row) for row in board]
    for f1, r1, f2, r2 in _PLAYED.findall(obs):  # blind: replay every announced move
        piece = board[int(r1) - 1][ord(f1) - 97]
        board[int(r1) - 1][ord(f1) - 97] = "."
        board[int(r2) - 1][ord(f2) - 97] = piece
    return n, me, board


def _moves(board: list[list[str]], me: str) -> set[Move]:
    n = len(board)
    enemy, dr = ("B", 1) if me == "W" else ("W", -1)
    moves = set()
    for r in range(n):
        for c in range(n):
            if board[r][c] != me or not 0 <= r + dr < n:
                continue
            if board[r + dr][c] == ".":
                moves.add((r, c, r + dr, c))
            for dc in (-1, 1):
                if 0 <= c + dc < n and board[r + dr][c + dc] == enemy:
                    moves.add((r, c, r + dr, c + dc))
    return moves


def _legal_moves(obs: str) -> set[Move]:
    _n, me, board = _position(obs)
    return _moves(board, me)


def _blocks_opponent(board: list[list[str]], me: str, move: Move) -> bool:
    """Would ``move`` leave the opponent with no move in a game that goes on?

    The engine has no rule for a player without a move: it asks them to move until two invalid
    moves forfeit the game. Proposals steer clear of that dead end while they can.
    """
    r1, c1, r2, c2 = move
    enemy = "B" if me == "W" else "W"
    if r2 in (0, len(board) - 1) or board[r2][c2] == enemy and sum(
            row.count(enemy) for row in board) == 1:
        return False  # reaching the far row or taking the last piece wins at once
    after = [list(row) for row in board]
    after[r1][c1], after[r2][c2] = ".", me
    return not _moves(after, enemy)


def propose_action(obs: str) -> str:
    _n, me, board = _position(obs)
    moves = sorted(_moves(board, me))
    if not moves:
        return "[a1a2]"  # no move at all: nothing is legal
    random.shuffle(moves)
    move = next((m for m in moves if not _blocks_opponent(board, me, m)), moves[0])
    r1, c1, r2, c2 = move
    return f"[{chr(97 + c1)}{r1 + 1}{chr(97 + c2)}{r2 + 1}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    n = int(_SIZE.search(obs[:1500]).group(1))
    files = f"[a-{chr(96 + n)}]"
    match = re.search(rf"\[({files})(\d{{1,2}})({files})(\d{{1,2}})\]", action.strip().lower())
    if not match:
        return False
    f1, r1, f2, r2 = match.groups()
    return (int(r1) - 1, ord(f1) - 97, int(r2) - 1, ord(f2) - 97) in _legal_moves(obs)
