"""UltimateTicTacToe harness: the last board printed in the observation is the position.

The board shows every empty cell as ``[macro,micro]`` and every taken cell as its mark; a won
mini-board is filled with the winner's mark, so the shown tokens are exactly the open cells. The
last "Player N must now play in micro board K" (or "any micro board") restricts the macro index.
The engine reads the first ``[m,c]`` / ``[m c]`` / ``[mc]`` (single digits) in the action.
Engine quirk: a full mini-board nobody won stays open on the macro board, so the draw check never
fires and a filled board without a winner is a game with no legal move. The harness plays both
seats, so a proposal plays a move from which the game can still end (a line of three won
mini-boards, or every mini-board won), found by a bounded depth-first search.
"""

import functools
import random
import re

GAMES = ["UltimateTicTacToe-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "UltimateTicTacToe-v0": {
        "command": "autoharness verify UltimateTicTacToe-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9934,
        "actions": 10000,
        "illegal_actions": 66,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4954,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}


_CELL = re.compile(r"\[(\d),(\d)\]")
_FORCED = re.compile(r"must now play in (any micro board|micro board (\d))\.")
_ACTION = re.compile(r"\[\s*(\d)\s*,?\s*(\d)\s*\]")  # the engine's own regex


def _legal_cells(obs: str) -> list[tuple[int, int]]:
    board = "\n".join(obs.rsplit("Current board:\n", 1)[-1].split("\n")[:11])
    cells = [(int(m), int(c)) for m, c in _CELL.findall(board)]
    forced = None
    tail = obs.rsplit("must now play in ", 1)
    if len(tail) == 2:
        match = _FORCED.match("must now play in " + tail[1])
        if match and match.group(2):
            forced = int(match.group(2))
    return [cell for cell in cells if forced is None or cell[0] == forced]


# -- proposals: steer clear of a filled board without a winner ---------------------------------
SEARCH_BUDGET = 400  # positions one proposal may expand; beyond it a line counts as open
SEARCH_FROM_EMPTY = 30  # empty cells left when the search starts
_LINES = ((0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6))
Boards = tuple[str, ...]  # the nine mini-boards, nine characters each (" " = empty)


def _has_line(cells, mark: str) -> bool:
    return any(cells[a] == cells[b] == cells[c] == mark for a, b, c in _LINES)


def _parse(obs: str) -> tuple[Boards, int | None, str]:
    """(the nine mini-boards; the forced mini-board or None; our mark)."""
    lines = [line for line in obs.rsplit("Current board:\n", 1)[-1].split("\n")[:11]
             if "|" in line]
    cells = [" "] * 81
    for row, line in enumerate(lines[:9]):
        for macro_col, group in enumerate(line.split("|")):
            for micro_col, token in enumerate(group.split()):
                macro = row // 3 * 3 + macro_col
                cells[macro * 9 + row % 3 * 3 + micro_col] = " " if token.startswith("[") else token
    forced = None
    tail = obs.rsplit("must now play in ", 1)
    if len(tail) == 2 and tail[1].startswith("micro board "):
        forced = int(tail[1][len("micro board ")])
    mark = "X" if "You are `X`" in obs[:2000] else "O"
    return tuple("".join(cells[m * 9:m * 9 + 9]) for m in range(9)), forced, mark


@functools.lru_cache(maxsize=50_000)
def _winner(board: str) -> str:
    """A won mini-board is filled with its winner's mark."""
    return board[0] if board[0] != " " and board.count(board[0]) == 9 else " "


@functools.lru_cache(maxsize=50_000)
def _winnable(board: str, mark: str) -> bool:
    """Can ``mark`` still complete a line on this open mini-board?"""
    return any(board[a] in (" ", mark) and board[b] in (" ", mark) and board[c] in (" ", mark)
               for a, b, c in _LINES)


@functools.lru_cache(maxsize=100_000)
def _mark_cell(board: str, cell: int, mark: str) -> str:
    after = board[:cell] + mark + board[cell + 1:]
    return mark * 9 if _has_line(after, mark) else after


def _moves(boards: Boards, forced: int | None) -> list[tuple[int, int]]:
    picks = [forced] if forced is not None else range(9)
    return [(m, c) for m in picks for c in range(9) if boards[m][c] == " "]


def _play(boards: Boards, move: tuple[int, int], mark: str) -> tuple[Boards, int | None, bool]:
    """(boards after, forced board for the reply, game over) as the engine computes them."""
    m, c = move
    after = boards[:m] + (_mark_cell(boards[m], c, mark),) + boards[m + 1:]
    macro = [_winner(b) for b in after]
    over = _has_line(macro, mark) or " " not in macro
    nxt = c if macro[c] == " " and " " in after[c] else None
    return after, nxt, over


@functools.lru_cache(maxsize=50_000)
def _may_end(boards: Boards) -> bool:
    """A quick necessary condition for the game to be able to end: a macro line that one side
    has won or can still win board by board, or every mini-board still winnable by someone."""
    macro = [_winner(b) for b in boards]
    open_for = {mark: [macro[m] == mark or macro[m] == " " and _winnable(boards[m], mark)
                       for m in range(9)] for mark in "XO"}
    if any(ok[a] and ok[b] and ok[c] for ok in open_for.values() for a, b, c in _LINES):
        return True
    return all(macro[m] != " " or open_for["X"][m] or open_for["O"][m] for m in range(9))


def _can_end(boards: Boards, forced: int | None, mark: str, seen: dict,
             budget: list[int]) -> bool:
    """Can play go on from here (``mark`` to move) to a game that ends?"""
    key = (boards, forced, mark)
    if key in seen:
        return seen[key]
    if budget[0] <= 0:
        return True
    budget[0] -= 1
    if not _may_end(boards):
        seen[key] = False
        return False
    other = "O" if mark == "X" else "X"
    moves = _moves(boards, forced)
    random.shuffle(moves)
    # Moves that win a mini-board first: a line that ends the game is then found quickly.
    moves.sort(key=lambda mv: _winner(_mark_cell(boards[mv[0]], mv[1], mark)) != mark)
    found = False
    for move in moves:
        after, nxt, over = _play(boards, move, mark)
        if over or _can_end(after, nxt, other, seen, budget):
            found = True
            break
    seen[key] = found
    return found


def propose_action(obs: str) -> str:
    boards, forced, mark = _parse(obs)
    moves = _moves(boards, forced)
    if not moves:
        return "[0 0]"  # a filled board without a winner: nothing is legal
    random.shuffle(moves)
    other = "O" if mark == "X" else "X"
    outcomes = [(move, *_play(boards, move, mark)) for move in moves]
    for move, _after, _nxt, over in outcomes:
        if over:
            return "[{} {}]".format(*move)
    # Early on a quick check is enough; once the board fills up, search for a line that ends.
    hopeful = [o for o in outcomes if _may_end(o[1])] or outcomes
    if sum(b.count(" ") for b in boards) > SEARCH_FROM_EMPTY:
        return "[{} {}]".format(*hopeful[0][0])
    seen: dict = {}
    budget = [SEARCH_BUDGET]
    for move, after, nxt, _over in hopeful:
        if _can_end(after, nxt, other, seen, budget):
            return "[{} {}]".format(*move)
    return "[{} {}]".format(*hopeful[0][0])


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and (int(match.group(1)), int(match.group(2))) in _legal_cells(obs)
