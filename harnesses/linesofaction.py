"""Lines of Action harness: the last "Board:" grid in the observation is the 8x8 position.

Our pieces are named in the prompt ('O' for player 0, 'X' for player 1). A piece moves in a straight
line (8 directions) exactly as many squares as there are pieces of either colour on that whole
line; it may pass over its own pieces but not enemy ones, and may land on an enemy (capturing it)
but not on its own. The engine matches ``\\[?<from>[\\s>]*<to>\\]?`` at the END of the action only
(``re.search`` with ``$``, case-insensitive), so "[b1b3]", "b1 b3" and "b1>b3" all count.
"""

import random
import re

GAMES = ["LinesOfAction-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "LinesOfAction-v0": {
        "command": "autoharness verify LinesOfAction-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5943,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ROW = re.compile(r"^([1-8]) \|(.*)\| \1$", re.MULTILINE)
_ACTION = re.compile(r"\s*\[?([a-h][1-8])[\s>]*([a-h][1-8])\]?\s*$", re.I)  # the engine's own
_DIRS = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc]

Move = tuple[int, int, int, int]  # (from_row, from_col, to_row, to_col), row 0 = rank 8


def _legal_moves(obs: str) -> set[Move]:
    grid = _ROW.findall(obs.rsplit("Board:", 1)[-1])
    board = [[cell.strip() or "." for cell in row.split("|")] for _, row in grid]
    me = "X" if "Your pieces are 'X'" in obs[:300] else "O"
    enemy = "O" if me == "X" else "X"

    def inside(r: int, c: int) -> bool:
        return 0 <= r < 8 and 0 <= c < 8

    moves = set()
    for r in range(8):
        for c in range(8):
            if board[r][c] != me:
                continue
            for dr, dc in _DIRS:
                # pieces on the whole line through (r, c): both directions plus the mover
                count = 1
                for sign in (1, -1):
                    rr, cc = r + sign * dr, c + sign * dc
                    while inside(rr, cc):
                        count += board[rr][cc] != "."
                        rr, cc = rr + sign * dr, cc + sign * dc
                tr, tc = r + count * dr, c + count * dc
                if not inside(tr, tc) or board[tr][tc] == me:
                    continue
                if all(board[r + k * dr][c + k * dc] != enemy for k in range(1, count)):
                    moves.add((r, c, tr, tc))
    return moves


def _name(r: int, c: int) -> str:
    return f"{'abcdefgh'[c]}{8 - r}"


def propose_action(obs: str) -> str:
    moves = sorted(_legal_moves(obs))
    if not moves:
        return "[a1a2]"
    r1, c1, r2, c2 = random.choice(moves)
    return f"[{_name(r1, c1)}{_name(r2, c2)}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    if not match:
        return False
    (f1, r1), (f2, r2) = match.group(1).lower(), match.group(2).lower()
    move = (8 - int(r1), "abcdefgh".index(f1), 8 - int(r2), "abcdefgh".index(f2))
    return move in _legal_moves(obs)
