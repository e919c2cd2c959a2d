"""Checkers harness: the last "Current board:" grid is the position; our colour is in the prompt.

TextArena's simplified rules: Red (r, player 0) moves up, Black (b, player 1) moves down; a man
steps one square diagonally forward onto an empty square or jumps two squares forward over an
enemy piece; a king (R/B) does either in any diagonal direction. No forced captures, no multi-jumps.
The engine reads the first ``[r1 c1 r2 c2]`` (single digits separated by whitespace).
The two engine profiles (module constant ``ENGINE_PROFILE``, "stock" when absent):
* stock (textarena 0.7.4): after each move the engine checks whether the MOVER has a move left,
  and if not it calls ``set_winners(player_id=...)``, which raises: a move that leaves its own
  side without a move (while the opponent still has pieces) crashes the engine, so eval_action
  rejects it. The engine never notices an opponent left without a move, who then cannot act
  legally. The harness plays both seats, so proposals look a few plies ahead for a line on which
  neither happens.
* fixed (upstream PR #181): after each move a player to move without a move loses, else a mover
  without a move loses: every move is legal and no position is a dead end, so proposals take a
  move that wins at once (last piece taken, opponent blocked) and avoid one that loses at once.
"""

import math
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
        "date": "2026-12-03",
        "engine": "stock",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 19673,
        "harness_failures": 0,
        "engine_errors": 0,
        "engine_error_accepts": 0,
        "illegal_stuck": 0,
        "illegal_undecidable": 0,
        "undecidable_false_accepts": 0,
        "undecidable_false_rejects": 0,
        "h": 1.0,
        "proposer_legal_rate": 1.0,
        "verifier_agreement": 1.0,
        "narrow_proposer": 0,
        "probe_budget": {
            "positions": 300,
            "vocabulary_probes": 4800,
            "diversity_samples": 16,
            "new_listed": 12,
        },
        "engine_fixed": {
            "command": "autoharness verify Checkers-v0 --seeds 10 --steps 1000 --engine fixed",
            "date": "2026-12-03",
            "engine": "fixed",
            "legal_rate": 1.0,
            "actions": 10000,
            "illegal_actions": 0,
            "false_accepts": 0,
            "false_rejects": 0,
            "false_reject_rate": 0.0,
            "stress_checks": 19708,
            "harness_failures": 0,
            "engine_errors": 0,
            "engine_error_accepts": 0,
            "illegal_stuck": 0,
            "illegal_undecidable": 0,
            "undecidable_false_accepts": 0,
            "undecidable_false_rejects": 0,
            "h": 1.0,
            "proposer_legal_rate": 1.0,
            "verifier_agreement": 1.0,
            "narrow_proposer": 0,
            "probe_budget": {
                "positions": 300,
                "vocabulary_probes": 4800,
                "diversity_samples": 16,
                "new_listed": 12,
            },
        },
    },
    "Checkers-v0-long": {
        "command": "autoharness verify Checkers-v0-long --seeds 10 --steps 1000",
        "date": "2026-12-03",
        "engine": "stock",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 19305,
        "harness_failures": 0,
        "engine_errors": 0,
        "engine_error_accepts": 0,
        "illegal_stuck": 0,
        "illegal_undecidable": 0,
        "undecidable_false_accepts": 0,
        "undecidable_false_rejects": 0,
        "h": 1.0,
        "proposer_legal_rate": 1.0,
        "verifier_agreement": 1.0,
        "narrow_proposer": 0,
        "probe_budget": {
            "positions": 300,
            "vocabulary_probes": 4800,
            "diversity_samples": 16,
            "new_listed": 12,
        },
        "engine_fixed": {
            "command": "autoharness verify Checkers-v0-long --seeds 10 --steps 1000 --engine fixed",
            "date": "2026-12-03",
            "engine": "fixed",
            "legal_rate": 1.0,
            "actions": 10000,
            "illegal_actions": 0,
            "false_accepts": 0,
            "false_rejects": 0,
            "false_reject_rate": 0.0,
            "stress_checks": 19488,
            "harness_failures": 0,
            "engine_errors": 0,
            "engine_error_accepts": 0,
            "illegal_stuck": 0,
            "illegal_undecidable": 0,
            "undecidable_false_accepts": 0,
            "undecidable_false_rejects": 0,
            "h": 1.0,
            "proposer_legal_rate": 1.0,
            "verifier_agreement": 1.0,
            "narrow_proposer": 0,
            "probe_budget": {
                "positions": 300,
                "vocabulary_probes": 4800,
                "diversity_samples": 16,
                "new_listed": 12,
            },
        },
    },
}

_ROW = re.compile(r"^ [0-7] \|((?: \S ){8})", re.MULTILINE)
_ACTION = re.compile(r"\[\s*(\d)\s+(\d)\s+(\d)\s+(\d)\s*\]")

Move = tuple[int, int, int, int]  # (from_row, from_col, to_row, to_col)
_PROFILE = globals().get("ENGINE_PROFILE", "stock")  # the runtime defines it; plain import: stock


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


def _after(board: list[list[str]], move: Move) -> list[list[str]]:
    """The board after ``move``, with the jumped piece removed and a man reaching the end kinged."""
    r1, c1, r2, c2 = move
    after = [list(row) for row in board]
    after[r2][c2], after[r1][c1] = after[r1][c1], "."
    if abs(r2 - r1) == 2:
        after[(r1 + r2) // 2][(c1 + c2) // 2] = "."
    if after[r2][c2] == "r" and r2 == 0 or after[r2][c2] == "b" and r2 == 7:
        after[r2][c2] = after[r2][c2].upper()
    return after


def _alive(board: list[list[str]], side: str) -> bool:
    return any(cell.lower() == side for row in board for cell in row)


def _strands_mover(board: list[list[str]], me: str, move: Move) -> bool:
    """Does ``move`` leave its own side without a move while the game goes on?"""
    after = _after(board, move)
    return _alive(after, "r" if me == "b" else "b") and not _moves(after, me)


def _crashes_engine(board: list[list[str]], me: str, move: Move) -> bool:
    """On stock the engine's check for a stranded mover calls ``set_winners`` with a keyword it
    does not take; the fixed engine ends the game there instead."""
    return _PROFILE != "fixed" and _strands_mover(board, me, move)


def _blocks_opponent(board: list[list[str]], me: str, move: Move) -> bool:
    """Would ``move`` leave the opponent with pieces but no move?

    The stock engine only checks the player who just moved for having no move, so a stuck
    opponent is asked to move until two invalid moves forfeit the game: proposals avoid that
    while they can. On the fixed engine the stuck opponent loses at once.
    """
    r1, c1, r2, c2 = move
    after = [list(row) for row in board]
    after[r2][c2], after[r1][c1] = after[r1][c1], "."
    if abs(r2 - r1) == 2:
        after[(r1 + r2) // 2][(c1 + c2) // 2] = "."
    enemy = "r" if me == "b" else "b"
    alive = any(cell.lower() == enemy for row in after for cell in row)
    return alive and not _moves(after, enemy)  # (kinging cannot give the opponent a move)


LOOKAHEAD_PLIES = 6
SEARCH_BUDGET = 3000  # positions one proposal may expand; beyond it a line counts as open


def _can_go_on(board: list[list[str]], mover: str, plies: int, budget: list[int]) -> bool:
    """Is there a line of ``plies`` moves from here (``mover`` to move) on which every move is
    accepted and leaves both sides a move, or that ends the game by taking the last piece?"""
    if plies == 0 or budget[0] <= 0:
        return True
    budget[0] -= 1
    enemy = "r" if mover == "b" else "b"
    moves = sorted(_moves(board, mover))
    random.shuffle(moves)
    for move in moves:
        after = _after(board, move)
        if not _alive(after, enemy):
            return True
        if (_moves(after, mover) and _moves(after, enemy)
                and _can_go_on(after, enemy, plies - 1, budget)):
            return True
    return False


def _fixed_engine_move(board: list[list[str]], me: str, moves: list[Move]) -> Move:
    """On the fixed engine every move is legal: one that wins at once, else one that does not
    lose at once, else any."""
    enemy = "r" if me == "b" else "b"
    wins = [m for m in moves
            if not _alive(_after(board, m), enemy) or _blocks_opponent(board, me, m)]
    safe = [m for m in moves if not _strands_mover(board, me, m)]
    return (wins or safe or moves)[0]


def propose_action(obs: str) -> str:
    board, me = _board(obs), _me(obs)
    moves = sorted(_moves(board, me))
    if not moves:
        return "[0 0 0 0]"  # no move at all: nothing is legal
    random.shuffle(moves)
    if _PROFILE == "fixed":
        return "[{} {} {} {}]".format(*_fixed_engine_move(board, me, moves))
    accepted = [m for m in moves if not _crashes_engine(board, me, m)] or moves
    enemy = "r" if me == "b" else "b"
    budget = [SEARCH_BUDGET]
    for move in accepted:
        after = _after(board, move)
        if not _alive(after, enemy) or (
                _moves(after, enemy) and _can_go_on(after, enemy, LOOKAHEAD_PLIES, budget)):
            return "[{} {} {} {}]".format(*move)
    move = next((m for m in accepted if not _blocks_opponent(board, me, m)), accepted[0])
    return "[{} {} {} {}]".format(*move)


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action.strip())
    if not match:
        return False
    move = tuple(map(int, match.groups()))
    board, me = _board(obs), _me(obs)
    return move in _moves(board, me) and not _crashes_engine(board, me, move)


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# Separate from the legality code above (its own helpers, prefixed _wm_). State: (cells, player to
# move, moves played, turn limit, result): cells the last "Current board:" grid as one 64-char
# string ("r"/"R" player 0 moving up, "b"/"B" player 1 moving down, "."), result None, 0, 1 or
# "draw". The engine's rules: a man steps or captures diagonally forward, a king both ways, one
# jump at a time, no forced captures; reaching the far row kings. After a move a side without
# pieces loses, then, by profile (``_PROFILE``):
# * stock: a move that leaves the mover without a move (both sides keeping pieces) makes the
#   engine raise, so it is not listed as legal (``apply`` gives it the fixed engine's meaning: the
#   mover loses); at the turn limit it is a draw; a player to move without a move is stuck and
#   forfeits (the game goes on in the engine until the forfeit).
# * fixed: every move is legal; a player to move without a move loses, else a mover without a
#   move loses, else at the turn limit it is a draw.
# The turn limit is not in the observation: the model takes Checkers-v0's (a draw
# once a 101st move is played) and switches to Checkers-v0-long's 300 when a game goes past 101
# moves, so on Checkers-v0-long the 101st move of a game is mispredicted (the observations are
# identical). ``value`` is a material count for the planner.

_WM_ROW = re.compile(r"^ [0-7] \|((?: \S ){8})", re.MULTILINE)
_WM_MOVED = re.compile(r"^\[GAME\] Player [01] moved \(\d,\d\) -> \(\d,\d\)\.", re.MULTILINE)
_WM_ACTION = re.compile(r"\[\s*(\d)\s+(\d)\s+(\d)\s+(\d)\s*\]")


def _wm_moves(cells: str, player: int) -> list[tuple[int, int, int, int]]:
    me, enemy, forward = ("r", "b", -1) if player == 0 else ("b", "r", 1)
    moves = []
    for index, piece in enumerate(cells):
        if piece.lower() != me:
            continue
        r, c = divmod(index, 8)
        for dr in ((-1, 1) if piece.isupper() else (forward,)):
            for dc in (-1, 1):
                r1, c1, r2, c2 = r + dr, c + dc, r + 2 * dr, c + 2 * dc
                if 0 <= r1 < 8 and 0 <= c1 < 8 and cells[r1 * 8 + c1] == ".":
                    moves.append((r, c, r1, c1))
                if (0 <= r2 < 8 and 0 <= c2 < 8 and cells[r2 * 8 + c2] == "."
                        and cells[r1 * 8 + c1].lower() == enemy):
                    moves.append((r, c, r2, c2))
    return moves


def _wm_result(cells: str, mover: int, played: int, limit: int) -> int | str | None:
    """How the engine ends the game after the ``played``-th move (by ``mover``), if it does."""
    lowered = cells.lower()
    if "r" not in lowered:
        return 1
    if "b" not in lowered:
        return 0
    if _PROFILE == "fixed" and not _wm_can_move(cells, 1 - mover):
        return mover
    if not _wm_can_move(cells, mover):
        return 1 - mover
    if played > limit:
        return "draw"
    return None


def _wm_limit(played: int) -> int:
    # After 101 moves Checkers-v0 is over (a draw); a game that went on is Checkers-v0-long.
    return 100 if played <= 101 else 300


def parse_state(obs: str) -> tuple:
    rows = _WM_ROW.findall(obs.rsplit("Current board:", 1)[-1])
    cells = "".join("".join(row.split()) for row in rows)
    played = len(_WM_MOVED.findall(obs))
    limit = _wm_limit(played)
    result = _wm_result(cells, 1 - played % 2, played, limit) if played else None
    return (cells, played % 2, played, limit, result)


def _wm_after(cells: str, move: tuple[int, int, int, int]) -> str:
    r1, c1, r2, c2 = move
    board = list(cells)
    piece = board[r1 * 8 + c1]
    board[r1 * 8 + c1] = "."
    if abs(r2 - r1) == 2:
        board[(r1 + r2) // 2 * 8 + (c1 + c2) // 2] = "."
    if piece == "r" and r2 == 0 or piece == "b" and r2 == 7:
        piece = piece.upper()
    board[r2 * 8 + c2] = piece
    return "".join(board)


def _wm_can_move(cells: str, player: int) -> bool:
    me, enemy, forward = ("r", "b", -1) if player == 0 else ("b", "r", 1)
    for index, piece in enumerate(cells):
        if piece.lower() != me:
            continue
        r, c = divmod(index, 8)
        for dr in ((-1, 1) if piece.isupper() else (forward,)):
            for dc in (-1, 1):
                r1, c1, r2, c2 = r + dr, c + dc, r + 2 * dr, c + 2 * dc
                if 0 <= r1 < 8 and 0 <= c1 < 8 and (cells[r1 * 8 + c1] == "." or (
                        0 <= r2 < 8 and 0 <= c2 < 8 and cells[r2 * 8 + c2] == "."
                        and cells[r1 * 8 + c1].lower() == enemy)):
                    return True
    return False


_WM_LEGAL: dict[tuple[str, int], list[tuple[int, int, int, int]]] = {}


def _wm_legal(cells: str, player: int) -> list[tuple[int, int, int, int]]:
    """The moves the engine accepts: on stock not those that leave both sides with pieces and the
    mover without a move (it raises there, which counts as illegal). Cached by position."""
    key = (cells, player)
    legal = _WM_LEGAL.get(key)
    if legal is None:
        legal = []
        for move in _wm_moves(cells, player):
            after = _wm_after(cells, move)
            lowered = after.lower()
            if (_PROFILE != "fixed" and "r" in lowered and "b" in lowered
                    and not _wm_can_move(after, player)):
                continue
            legal.append(move)
        if len(_WM_LEGAL) > 200_000:
            _WM_LEGAL.clear()
        _WM_LEGAL[key] = legal
    return legal


def is_terminal(state: tuple) -> bool:
    return state[4] is not None or not _wm_legal(state[0], state[1])


def legal_actions(state: tuple) -> list[str]:
    if state[4] is not None:
        return []
    return [f"[{a} {b} {c} {d}]" for a, b, c, d in _wm_legal(state[0], state[1])]


def apply(state: tuple, action: str) -> tuple:
    cells, player, played, limit, _result = state
    move = tuple(int(x) for x in _WM_ACTION.search(action).groups())
    if move not in _wm_legal(cells, player) and move not in _wm_moves(cells, player):
        raise ValueError(f"{action} is not a legal move")
    after = _wm_after(cells, move)
    limit = max(limit, _wm_limit(played + 1))
    return (after, 1 - player, played + 1, limit, _wm_result(after, player, played + 1, limit))


def current_player(state: tuple) -> int:
    return state[1]


def returns(state: tuple) -> list[float]:
    result = state[4]
    if result is None and is_terminal(state):
        result = 1 - state[1]  # the player to move is stuck and forfeits
    if result is None or result == "draw":
        return [0.0, 0.0]
    return [1.0, -1.0] if result == 0 else [-1.0, 1.0]


def value(state: tuple) -> list[float]:
    """A heuristic for the planner: men 1, kings 1.6, men's progress towards the far row, and,
    for the side ahead, the other side's shortage of moves (blocking wins too) and its kings
    close to the remaining enemy pieces."""
    cells = state[0]
    score = 0.0
    for index, piece in enumerate(cells):
        if piece == ".":
            continue
        row = index // 8
        worth = 1.6 if piece.isupper() else 1.0 + 0.04 * ((7 - row) if piece == "r" else row)
        score += worth if piece.lower() == "r" else -worth
    if abs(score) >= 2:  # the side ahead: hunt down and block the rest
        behind = 1 if score > 0 else 0
        prey = [i for i, p in enumerate(cells) if p.lower() == ("b" if behind else "r")]
        kings = [i for i, p in enumerate(cells) if p == ("R" if behind else "B")]
        chase = sum(min(max(abs(k // 8 - i // 8), abs(k % 8 - i % 8)) for i in prey)
                    for k in kings) / max(len(kings), 1) if prey and kings else 0.0
        squeeze = 1.5 * (1.0 - min(len(_wm_moves(cells, behind)), 8) / 8.0) - 0.15 * chase
        score += squeeze if behind == 1 else -squeeze
    red = 0.85 * math.tanh(score / 5.0)
    return [red, -red]
