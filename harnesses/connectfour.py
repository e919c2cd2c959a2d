"""ConnectFour harness: the position is replayed from the engine's drop announcements.

Every legal drop is announced to both players ("Player 0 dropped their disk (X) into column 3."),
also in the blind variant where no board is shown, so counting drops per column gives the heights.
The board size is read from the prompt. A column is playable while it holds fewer discs than rows.
The engine takes the column from the first ``[col N]`` / ``[N]`` its regex finds in the action.
"""

import random
import re
from collections import Counter

GAMES = ["ConnectFour-v0", "ConnectFour-v0-blind", "ConnectFour-v0-large"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "ConnectFour-v0": {
        "command": "autoharness verify ConnectFour-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4070,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "ConnectFour-v0-blind": {
        "command": "autoharness verify ConnectFour-v0-blind --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4090,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "ConnectFour-v0-large": {
        "command": "autoharness verify ConnectFour-v0-large --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4716,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}


_SIZE = re.compile(r"The game board has (\d+) rows and (\d+) columns\.")
_DROP = re.compile(r"^\[GAME\] Player \d dropped their disk \([XO]\) into column (\d+)\.$", re.M)
_ACTION = re.compile(r".*\[(?:col\s*)?(\d+)\].*", re.IGNORECASE)  # the engine's own regex


def _open_columns(obs: str) -> list[int]:
    size = _SIZE.search(obs)
    rows, cols = (int(size.group(1)), int(size.group(2))) if size else (6, 7)
    heights = Counter(int(c) for c in _DROP.findall(obs))
    return [c for c in range(cols) if heights[c] < rows]


def propose_action(obs: str) -> str:
    open_cols = _open_columns(obs)
    return f"[col {random.choice(open_cols)}]" if open_cols else "[col 0]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and int(match.group(1)) in _open_columns(obs)


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# State: (rows, cols, columns, player to move, winner), columns a tuple of strings, one per column,
# bottom disc first ("X" player 0, "O" player 1); winner None while nobody has four in a row.
# Rebuilt by replaying the engine's drop announcements (so the blind variant works too).

_DIRECTIONS = ((0, 1), (1, 0), (1, 1), (1, -1))


def _disc(columns: tuple, row: int, col: int) -> str:
    if 0 <= col < len(columns) and 0 <= row < len(columns[col]):
        return columns[col][row]
    return ""


def _connects(columns: tuple, col: int) -> bool:
    row = len(columns[col]) - 1
    disc = columns[col][row]
    for dr, dc in _DIRECTIONS:
        count = 1
        for sign in (1, -1):
            r, c = row + sign * dr, col + sign * dc
            while _disc(columns, r, c) == disc:
                count += 1
                r, c = r + sign * dr, c + sign * dc
        if count >= 4:
            return True
    return False


def parse_state(obs: str) -> tuple:
    size = _SIZE.search(obs)
    rows, cols = (int(size.group(1)), int(size.group(2))) if size else (6, 7)
    state = (rows, cols, ("",) * cols, 0, None)
    for col in _DROP.findall(obs):
        state = apply(state, f"[col {col}]")
    return state


def is_terminal(state: tuple) -> bool:
    rows, _cols, columns, _player, winner = state
    return winner is not None or all(len(c) >= rows for c in columns)


def legal_actions(state: tuple) -> list[str]:
    if is_terminal(state):
        return []
    rows, cols, columns = state[0], state[1], state[2]
    return [f"[col {c}]" for c in range(cols) if len(columns[c]) < rows]


def apply(state: tuple, action: str) -> tuple:
    rows, cols, columns, player, _winner = state
    col = int(_ACTION.search(action).group(1))
    if not 0 <= col < cols or len(columns[col]) >= rows:
        raise ValueError(f"column {col} is not open")
    placed = columns[:col] + (columns[col] + ("X" if player == 0 else "O"),) + columns[col + 1:]
    winner = player if _connects(placed, col) else None
    return (rows, cols, placed, 1 - player, winner)


def current_player(state: tuple) -> int:
    return state[3]


def returns(state: tuple) -> list[float]:
    winner = state[4]
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]
