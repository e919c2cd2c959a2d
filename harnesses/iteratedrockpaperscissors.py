"""IteratedRockPaperScissors harness: every round each player submits rock, paper or scissors.

There is no state to read: while the game is on, any action whose stripped, lower-cased text
contains ``[rock]``, ``[paper]``, ``[scissors]``, ``[r]``, ``[p]`` or ``[s]`` (no spaces inside the
brackets) is legal. An action without brackets is wrapped in brackets before it arrives.
"""

import random
import re

GAMES = ["IteratedRockPaperScissors-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "IteratedRockPaperScissors-v0": {
        "command": "autoharness verify IteratedRockPaperScissors-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3576,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_MOVE = re.compile(r"\[(rock|r|paper|p|scissors|s)\]")


def propose_action(obs: str) -> str:
    return random.choice(["[rock]", "[paper]", "[scissors]", "[r]", "[p]", "[s]"])


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    return bool(_MOVE.search(action.strip().lower()))
