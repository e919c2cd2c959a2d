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
