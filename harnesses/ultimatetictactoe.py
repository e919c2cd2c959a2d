"""UltimateTicTacToe harness: the last board printed in the observation is the position.

The board shows every empty cell as ``[macro,micro]`` and every taken cell as its mark; a won
mini-board is filled with the winner's mark, so the shown tokens are exactly the open cells. The
last "Player N must now play in micro board K" (or "any micro board") restricts the macro index.
The engine reads the first ``[m,c]`` / ``[m c]`` / ``[mc]`` (single digits) in the action.
Engine quirk: a full mini-board nobody won stays open on the macro board, so the draw check never
fires and a filled board without a winner is a game with no legal move (proposals fail there).
"""

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


def propose_action(obs: str) -> str:
    cells = _legal_cells(obs)
    macro, micro = random.choice(cells) if cells else (0, 0)
    return f"[{macro} {micro}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and (int(match.group(1)), int(match.group(2))) in _legal_cells(obs)
