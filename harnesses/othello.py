"""Othello harness: the last "Game Board:" grid in the observation is the position (any size).

Our colour is in the prompt ("playing Black (B)"). A move is an empty cell from which a straight
line of opponent stones ends in one of ours, in any of the 8 directions. The engine reads the first
``[r, c]`` (comma optional, so "[12]" means row 1, col 2). When we have no legal move the engine
skips our turn whatever we send, so then every action is accepted.
"""

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
