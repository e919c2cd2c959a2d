"""Minesweeper harness: the last "Game Board:" / "Current Board:" grid is the position
(``.`` hidden, digits = revealed counts); rows and columns are 0-based.

``[row col]`` (first match of ``\\[(\\d+)\\s(\\d+)\\]``) is legal when in bounds and not yet
revealed, EXCEPT that the engine also rejects revealing a mine ("You hit a mine"), which depends on
hidden information. So eval_action rejects what the observation proves to be a mine (a mine hit
earlier in the history, or a cell forced by the revealed numbers) and accepts every other hidden
cell; a hidden cell that is a mine but not yet provable is a false accept no harness can avoid.
propose_action plays a provably safe cell when there is one, else the least risky hidden cell.
"""

import random
import re

GAMES = ["Minesweeper-v0", "Minesweeper-v0-small", "Minesweeper-v0-medium", "Minesweeper-v0-hard"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Minesweeper-v0": {
        "command": "autoharness verify Minesweeper-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9902,
        "actions": 10000,
        "illegal_actions": 98,
        "false_accepts": 133,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4969,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Minesweeper-v0-hard": {
        "command": "autoharness verify Minesweeper-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9823,
        "actions": 10000,
        "illegal_actions": 177,
        "false_accepts": 215,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4582,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Minesweeper-v0-medium": {
        "command": "autoharness verify Minesweeper-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9856,
        "actions": 10000,
        "illegal_actions": 144,
        "false_accepts": 221,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5170,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Minesweeper-v0-small": {
        "command": "autoharness verify Minesweeper-v0-small --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9564,
        "actions": 10000,
        "illegal_actions": 436,
        "false_accepts": 220,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4366,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ACTION = re.compile(r"\[(\d+)\s(\d+)\]")
_ROW = re.compile(r"^ *(\d+) ((?: +[.\d*])+) *$", re.MULTILINE)
_HIT = re.compile(r"You hit a mine at \((\d+), (\d+)\)")
_CACHE: dict = {}

Cell = tuple[int, int]


def _board(obs: str) -> list[list[str]]:
    block = obs.rsplit("Board:", 1)[-1]
    rows = []
    for _, cells in _ROW.findall(block):
        rows.append(cells.split())
    width = max((len(r) for r in rows), default=0)
    return [r for r in rows if len(r) == width]


def _neighbours(board: list[list[str]], r: int, c: int) -> list[Cell]:
    return [(r + dr, c + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
            if (dr or dc) and 0 <= r + dr < len(board) and 0 <= c + dc < len(board[0])]


def _deduce(obs: str, board: list[list[str]]) -> tuple[set[Cell], set[Cell]]:
    """(proven mines, proven safe cells) among the hidden cells, by single and subset rules."""
    mines = {(int(r), int(c)) for r, c in _HIT.findall(obs)}
    key = (str(board), frozenset(mines))
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = _solve(board, mines)
    return _CACHE[key]


def _solve(board: list[list[str]], mines: set[Cell]) -> tuple[set[Cell], set[Cell]]:
    safe: set[Cell] = set()
    frontier = []  # (count, hidden neighbours) of every revealed number that touches the unknown
    for r, row in enumerate(board):
        for c, v in enumerate(row):
            if v.isdigit():
                hidden = [n for n in _neighbours(board, r, c) if board[n[0]][n[1]] == "."]
                if hidden:
                    frontier.append((int(v), hidden))
    changed = True
    while changed:
        changed = False
        constraints = []
        for count, hidden in frontier:
            unknown = frozenset(n for n in hidden if n not in mines and n not in safe)
            left = count - sum(n in mines for n in hidden)
            if not unknown:
                continue
            if left == 0:
                safe |= unknown
                changed = True
            elif left == len(unknown):
                mines |= unknown
                changed = True
            else:
                constraints.append((unknown, left))
        if changed:
            continue
        for a, na in constraints:  # subset rule: A within B => B-A holds nb-na mines
            for b, nb in constraints:
                if a < b:
                    rest = b - a
                    if nb - na == 0:
                        safe |= rest
                        changed = True
                    elif nb - na == len(rest):
                        mines |= rest
                        changed = True
    return mines, safe


def propose_action(obs: str) -> str:
    board = _board(obs)
    hidden = [(r, c) for r, row in enumerate(board) for c, v in enumerate(row) if v == "."]
    if not hidden:
        return "[0 0]"
    mines, safe = _deduce(obs, board)
    if safe:
        r, c = random.choice(sorted(safe))
        return f"[{r} {c}]"
    candidates = [h for h in hidden if h not in mines] or hidden
    # Least risky guess: a hidden cell with no revealed number next to it, else the cell whose
    # neighbouring numbers have the lowest mines-left-per-hidden-cell ratio.

    def risk(cell: Cell) -> float:
        worst = 0.0
        for r, c in _neighbours(board, *cell):
            if board[r][c].isdigit():
                around = [n for n in _neighbours(board, r, c) if board[n[0]][n[1]] == "."]
                left = int(board[r][c]) - sum(n in mines for n in around)
                unknown = sum(n not in mines for n in around)
                worst = max(worst, left / unknown if unknown else 1.0)
        return worst if worst else 0.2

    best = min(risk(h) for h in candidates)
    r, c = random.choice([h for h in candidates if risk(h) <= best + 1e-9])
    return f"[{r} {c}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    m = _ACTION.search(action)
    if m is None:
        return False
    r, c = int(m.group(1)), int(m.group(2))
    board = _board(obs)
    if not (0 <= r < len(board) and 0 <= c < len(board[0])) or board[r][c] != ".":
        return False
    return (r, c) not in _deduce(obs, board)[0]
