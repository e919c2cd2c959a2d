"""Breakthrough harness: the last board diagram is the position; the size is in the prompt.

Breakthrough-v0-blind shows no board, so the announced moves ("Player 0 moves [a2a3] (W).") are
replayed from the start position (two home rows each). White (W) moves up a rank, Black (B) down:
straight ahead onto an empty square, or diagonally forward onto an enemy piece (capturing it).
The engine lower-cases the action and reads the first ``[<file><1-2 digits><file><1-2 digits>]``.
A player left without any move cannot act legally (the engine has no rule for it). The harness
plays both seats, so a proposal plays a winning move when it has one, and otherwise a move after
which the two sides together can still reach a win without either being left without a move (a
bounded depth-first search; pieces only move forward, so every line ends).
"""

import math
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


# -- proposals: steer clear of dead ends --------------------------------------------------------
SEARCH_BUDGET = 4000  # positions one proposal may expand (a few ms); beyond it lines count as open
Board = tuple[tuple[str, ...], ...]


def _wins(board: Board, me: str, move: Move) -> bool:
    """Does ``move`` end the game at once: the far row reached or the last enemy piece taken?"""
    enemy = "B" if me == "W" else "W"
    r2, c2 = move[2], move[3]
    if r2 == (len(board) - 1 if me == "W" else 0):
        return True
    return board[r2][c2] == enemy and sum(row.count(enemy) for row in board) == 1


def _play(board: Board, move: Move) -> Board:
    r1, c1, r2, c2 = move
    rows = [list(row) for row in board]
    rows[r2][c2], rows[r1][c1] = rows[r1][c1], "."
    return tuple(tuple(row) for row in rows)


def _progress(me: str):
    """Search order: the most advanced piece first, so a line to a win is found quickly."""
    return (lambda m: -m[2]) if me == "W" else (lambda m: m[2])


def _can_finish(board: Board, mover: str, seen: dict, budget: list[int]) -> bool:
    """Can play go on from here (``mover`` to move) to a win with every mover having a move?

    Beyond the budget a line counts as open: a proposal then falls back on a one-move check.
    """
    key = (board, mover)
    if key in seen:
        return seen[key]
    if budget[0] <= 0:
        return True
    budget[0] -= 1
    moves = sorted(_moves([list(row) for row in board], mover), key=_progress(mover))
    enemy = "B" if mover == "W" else "W"
    found = bool(moves) and (any(_wins(board, mover, m) for m in moves)
                             or any(_can_finish(_play(board, m), enemy, seen, budget)
                                    for m in moves))
    seen[key] = found
    return found


def _square(move: Move) -> str:
    r1, c1, r2, c2 = move
    return f"[{chr(97 + c1)}{r1 + 1}{chr(97 + c2)}{r2 + 1}]"


def propose_action(obs: str) -> str:
    _n, me, rows = _position(obs)
    moves = sorted(_moves(rows, me))
    if not moves:
        return "[a1a2]"  # no move at all: nothing is legal
    board = tuple(tuple(row) for row in rows)
    winning = [m for m in moves if _wins(board, me, m)]
    if winning:
        return _square(random.choice(winning))
    random.shuffle(moves)
    enemy = "B" if me == "W" else "W"
    seen: dict = {}
    budget = [SEARCH_BUDGET]
    for move in moves:
        if _can_finish(_play(board, move), enemy, seen, budget):
            return _square(move)
    # Every line is closed (or unknown): at least do not leave the opponent without a move now.
    return _square(next((m for m in moves if not _blocks_opponent(rows, me, m)), moves[0]))


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


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# Separate from the legality code above (its own helpers, prefixed _wm_). State: (n, cells, player
# to move, winner), cells an n*n string with row 0 = rank 1 ("W" player 0, "B" player 1, "."),
# rebuilt by replaying every "[GAME] Player N moves [a2a3]" line from the start position (so the
# blind variant works too). Stock-engine semantics: the game ends when a piece reaches the far row
# or a side has no pieces left; a player to move with no legal move is stuck (the engine refuses
# every answer until two invalid moves forfeit) — the world model calls that the end, the stuck
# player losing, which is how the engine ends it. ``value`` is a heuristic for the planner.

_WM_SIZE = re.compile(r"on an (\d+)x\d+ board")
_WM_MOVED = re.compile(r"^\[GAME\] Player [01] moves \[([a-z])(\d+)([a-z])(\d+)\]", re.MULTILINE)
_WM_ACTION = re.compile(r"\[([a-z])(\d{1,2})([a-z])(\d{1,2})\]")


def _wm_moves(n: int, cells: str, player: int) -> list[tuple[int, int]]:
    me, enemy, step = ("W", "B", 1) if player == 0 else ("B", "W", -1)
    moves = []
    for index, cell in enumerate(cells):
        if cell != me:
            continue
        row, col = divmod(index, n)
        ahead = row + step
        if not 0 <= ahead < n:
            continue
        if cells[ahead * n + col] == ".":
            moves.append((index, ahead * n + col))
        for c in (col - 1, col + 1):
            if 0 <= c < n and cells[ahead * n + c] == enemy:
                moves.append((index, ahead * n + c))
    return moves


def _wm_winner(n: int, cells: str) -> int | None:
    if "W" in cells[(n - 1) * n:]:
        return 0
    if "B" in cells[:n]:
        return 1
    if "W" not in cells:
        return 1
    if "B" not in cells:
        return 0
    return None


def parse_state(obs: str) -> tuple:
    n = int(_WM_SIZE.search(obs).group(1))
    state = (n, "W" * 2 * n + "." * (n - 4) * n + "B" * 2 * n, 0, None)
    for f1, r1, f2, r2 in _WM_MOVED.findall(obs):
        state = apply(state, f"[{f1}{r1}{f2}{r2}]")
    return state


def is_terminal(state: tuple) -> bool:
    n, cells, player, winner = state
    return winner is not None or not _wm_moves(n, cells, player)


def legal_actions(state: tuple) -> list[str]:
    n, cells, player, winner = state
    if winner is not None:
        return []
    return [f"[{chr(97 + a % n)}{a // n + 1}{chr(97 + b % n)}{b // n + 1}]"
            for a, b in _wm_moves(n, cells, player)]


def apply(state: tuple, action: str) -> tuple:
    n, cells, player, _winner = state
    f1, r1, f2, r2 = _WM_ACTION.search(action.strip().lower()).groups()
    move = ((int(r1) - 1) * n + ord(f1) - 97, (int(r2) - 1) * n + ord(f2) - 97)
    if move not in _wm_moves(n, cells, player):
        raise ValueError(f"{action} is not a legal move")
    board = list(cells)
    board[move[1]], board[move[0]] = board[move[0]], "."
    after = "".join(board)
    return (n, after, 1 - player, _wm_winner(n, after))


def current_player(state: tuple) -> int:
    return state[2]


def returns(state: tuple) -> list[float]:
    winner = state[3]
    if winner is None and is_terminal(state):
        winner = 1 - state[2]  # the player to move is stuck and forfeits
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def value(state: tuple) -> list[float]:
    """A heuristic for the planner: pieces, and how far they have advanced."""
    n, cells, _player, _winner = state
    score = 0.0
    for index, cell in enumerate(cells):
        row = index // n
        if cell == "W":
            score += 1.0 + 0.15 * row
        elif cell == "B":
            score -= 1.0 + 0.15 * (n - 1 - row)
    white = math.tanh(score / 4.0)
    return [white, -white]

