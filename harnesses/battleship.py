"""Battleship harness: the last "Player N's View" printed to the player is the position.

Each view row reads ``<row letter> <own grid cells> <row letter> <tracking grid cells>``; on the
tracking grid (the right half) ``~`` marks a square not yet fired upon, ``X``/``O`` a hit/miss.
A shot ``[<row letter><col>]`` (letter any case) is legal on any ``~`` square of that grid; the
engine reads the first ``[A-Z]\\d+`` token in brackets. The grid size is the number of rows.
"""

import math
import random
import re

GAMES = ["Battleship-v0", "Battleship-v0-standard", "Battleship-v0-large", "Battleship-v0-extreme"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Battleship-v0": {
        "command": "autoharness verify Battleship-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5172,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Battleship-v0-extreme": {
        "command": "autoharness verify Battleship-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5169,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Battleship-v0-large": {
        "command": "autoharness verify Battleship-v0-large --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 6098,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Battleship-v0-standard": {
        "command": "autoharness verify Battleship-v0-standard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5562,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}


_ACTION = re.compile(r"\[([A-Z])(\d+)\]", re.IGNORECASE)  # the engine's own regex


def _open_squares(obs: str) -> set[tuple[int, int]]:
    """(row, col) squares of the tracking grid not fired upon yet."""
    view = obs.rsplit("'s View", 1)[-1].split("\n")[3:]  # skip the title and header lines
    rows = []
    for line in view:
        tokens = line.split()
        if not tokens or len(tokens) % 2 or tokens[0] != chr(ord("A") + len(rows)):
            break
        rows.append(tokens[len(tokens) // 2 + 1:])
    return {(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row) if cell == "~"}


def propose_action(obs: str) -> str:
    squares = sorted(_open_squares(obs))
    row, col = random.choice(squares) if squares else (0, 0)
    return f"[{chr(ord('A') + row)}{col}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    if not match:
        return False
    square = (ord(match.group(1).upper()) - ord("A"), int(match.group(2)))
    return square in _open_squares(obs)


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# State: (n, board of player 0, board of player 1, player to move). A board is a tuple of n*n
# cells, row by row, as the engine keeps them: a ship letter (A, B, S, D, P) where a ship is not
# hit, "X" where it was hit, "O" a miss, "~" open water, None where the observing player cannot
# see (the opponent's unfired cells; a player's own board before the engine first shows it).
# Shots alternate (player 0 first); firing on a letter makes it "X", on water "O"; the shooter
# wins when no letter is left on the opponent's board (all 17 ship cells hit). ``sample_state``
# places the hidden ships (A5 B4 S3 D3 P2, straight, not touching "O", covering every "X", a ship
# wholly hit exactly where the engine announced a sinking) by randomised backtracking.

_WM_SHIPS = (("A", 5), ("B", 4), ("S", 3), ("D", 3), ("P", 2))
_WM_SHIP_CELLS = sum(length for _name, length in _WM_SHIPS)
_WM_ME = re.compile(r"You are Player ([01])\.")
_WM_SHOT = re.compile(r"^\[GAME\] (?:Hit! You hit|Miss! You missed|Sunk! You sunk|Opponent hit|"
                      r"Opponent missed|Opponent sunk)", re.MULTILINE)
_WM_ECHO = re.compile(r"^\[Player ([01])\] (.*)$", re.MULTILINE)


def _wm_grids(obs: str) -> tuple[int | None, list | None, list | None]:
    """The last view: (n, own cells, tracking cells), each row by row; (None, None, None) if the
    engine has not shown this player a view yet."""
    if "'s View" not in obs:
        return None, None, None
    own, tracking = [], []
    for line in obs.rsplit("'s View", 1)[-1].split("\n")[3:]:
        tokens = line.split()
        if not tokens or len(tokens) % 2 or tokens[0] != chr(ord("A") + len(own)):
            break
        half = len(tokens) // 2
        own.append(tokens[1:half])
        tracking.append(tokens[half + 1:])
    return len(own), [c for row in own for c in row], [c for row in tracking for c in row]


def parse_state(obs: str) -> tuple:
    me = int(_WM_ME.search(obs).group(1))
    n, own, tracking = _wm_grids(obs)
    boards: list = [None, None]
    if n:
        boards[me] = tuple(own)
        boards[1 - me] = tuple(c if c in ("X", "O") else None for c in tracking)
    return (n, boards[0], boards[1], len(_WM_SHOT.findall(obs)) % 2)


def _wm_lost(board: tuple | None) -> bool:
    if board is None:
        return False
    return board.count("X") >= _WM_SHIP_CELLS or not any(
        c is None or c in "ABSDP" for c in board)


def is_terminal(state: tuple) -> bool:
    return _wm_lost(state[1]) or _wm_lost(state[2])


def current_player(state: tuple) -> int:
    return state[3]


def legal_actions(state: tuple) -> list[str]:
    n, player = state[0], state[3]
    target = state[2 - player]
    if is_terminal(state) or not n:
        return []
    cells = target if target is not None else (None,) * (n * n)
    return [f"[{chr(65 + i // n)}{i % n}]" for i, c in enumerate(cells) if c not in ("X", "O")]


def apply(state: tuple, action: str) -> tuple:
    n, board0, board1, player = state
    match = _ACTION.search(action)
    row, col = ord(match.group(1).upper()) - 65, int(match.group(2))
    target = list(board1 if player == 0 else board0 or (None,) * (n * n))
    index = row * n + col
    if not (0 <= row < n and 0 <= col < n) or target[index] in ("X", "O"):
        raise ValueError(f"{action} cannot be fired at")
    cell = target[index]
    target[index] = None if cell is None else ("O" if cell == "~" else "X")
    boards = [board0, board1]
    boards[1 - player] = tuple(target)
    return (n, boards[0], boards[1], 1 - player)


def returns(state: tuple) -> list[float]:
    if _wm_lost(state[2]):
        return [1.0, -1.0]
    if _wm_lost(state[1]):
        return [-1.0, 1.0]
    return [0.0, 0.0]


def _wm_sunk_cells(obs: str, me: int) -> list[tuple[int, int]]:
    """Where my shots sank a ship (from my own action just before each "Sunk!" message)."""
    sunk, last = [], None
    for line in obs.split("\n"):
        echo = _WM_ECHO.match(line)
        if echo and int(echo.group(1)) == me:
            shot = _ACTION.search(echo.group(2))
            last = (ord(shot.group(1).upper()) - 65, int(shot.group(2))) if shot else None
        elif line.startswith("[GAME] Sunk! You sunk") and last is not None:
            sunk.append(last)
    return sunk


_WM_SPANS: dict[tuple[int, int], list[tuple[int, tuple[int, ...]]]] = {}
_WM_SEEN: dict[str, tuple] = {}  # observation -> (state, me, sunk cells): sampling reuses it


def _wm_placements(n: int, length: int) -> list[tuple[int, tuple[int, ...]]]:
    """Every straight placement of a ship of ``length``: (cell bitmask, cells)."""
    key = (n, length)
    if key not in _WM_SPANS:
        spans = []
        for r in range(n):
            for c in range(n - length + 1):
                spans.append(tuple(r * n + c + i for i in range(length)))
        for c in range(n):
            for r in range(n - length + 1):
                spans.append(tuple((r + i) * n + c for i in range(length)))
        _WM_SPANS[key] = [(sum(1 << i for i in span), span) for span in spans]
    return _WM_SPANS[key]


def _wm_place(n: int, cells: tuple, sunk: list[int], rng: random.Random,
              budget: int = 6000, cap: int = 48) -> tuple | None:
    """Hidden ships for ``cells`` (None = unseen) consistent with the hits, misses and sinkings:
    uniformly among all of them when the search lists them all within ``budget`` steps, else
    among the first ``cap`` found in a random order; None if none was found. Each step covers the
    lowest uncovered hit with some ship, so every arrangement is met once."""
    hits = sum(1 << i for i, c in enumerate(cells) if c == "X")
    allowed = hits | sum(1 << i for i, c in enumerate(cells) if c is None or c in "ABSDP~")
    sunk_mask = sum(1 << i for i in sunk)
    spans: list[list[tuple[int, tuple]]] = []
    for _name, length in _WM_SHIPS:
        ok = []
        for mask, span in _wm_placements(n, length):
            inside = mask & sunk_mask
            whole = mask & hits == mask
            if mask & allowed == mask and whole == bool(inside) and inside & (inside - 1) == 0:
                ok.append((mask, span))
        rng.shuffle(ok)
        spans.append(ok)
    found: list[tuple] = []
    steps = [0]

    def search(used: int, remaining: tuple, chosen: tuple) -> None:
        steps[0] += 1
        if steps[0] > budget or len(found) >= cap:
            return
        uncovered = hits & ~used
        if not remaining:
            if not uncovered:
                found.append(chosen)
            return
        if uncovered:
            low = uncovered & -uncovered
            for ship in remaining:
                rest = tuple(r for r in remaining if r != ship)
                for mask, span in spans[ship]:
                    if mask & low and not mask & used:
                        search(used | mask, rest, (*chosen, (ship, span)))
            return
        ship, rest = remaining[0], remaining[1:]
        for mask, span in spans[ship]:
            if not mask & used:
                search(used | mask, rest, (*chosen, (ship, span)))

    search(0, tuple(range(len(_WM_SHIPS))), ())
    if not found:
        return None
    board = ["O" if c == "O" else ("X" if c == "X" else "~") for c in cells]
    for ship, span in found[rng.randrange(len(found))]:
        for i in span:
            if board[i] != "X":
                board[i] = _WM_SHIPS[ship][0]
    return tuple(board)


def sample_state(obs: str, seed: int) -> tuple:
    known = _WM_SEEN.get(obs)
    if known is None:
        state = parse_state(obs)
        me, n = int(_WM_ME.search(obs).group(1)), state[0]
        sunk = [r * n + c for r, c in _wm_sunk_cells(obs, me) if 0 <= r < n and 0 <= c < n] \
            if n else []
        if len(_WM_SEEN) > 8:
            _WM_SEEN.clear()
        known = _WM_SEEN[obs] = (state, me, sunk)
    (n, board0, board1, player), me, sunk = known
    rng = random.Random(seed)
    if not n:
        return (n, board0, board1, player)
    boards = [board0, board1]
    for owner in (0, 1):
        cells = boards[owner] if boards[owner] is not None else (None,) * (n * n)
        if None not in cells:
            continue
        placed = _wm_place(n, cells, sunk if owner != me else [], rng)
        if placed is None:  # out of budget: ignore the sinkings
            placed = _wm_place(n, cells, [], rng)
        boards[owner] = placed if placed is not None else tuple(
            "~" if c is None else c for c in cells)
    return (n, boards[0], boards[1], player)


def value(state: tuple) -> list[float]:
    """A heuristic for the planner: the difference in ship cells hit."""
    hits = [board.count("X") if board is not None else 0 for board in (state[1], state[2])]
    first = math.tanh((hits[1] - hits[0]) / 5.0)
    return [first, -first]

