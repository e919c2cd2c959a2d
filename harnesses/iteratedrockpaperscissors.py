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
VERIFIED = {}

_MOVE = re.compile(r"\[(rock|r|paper|p|scissors|s)\]")


def propose_action(obs: str) -> str:
    return random.choice(["[rock]", "[paper]", "[scissors]", "[r]", "[p]", "[s]"])


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    return bool(_MOVE.search(action.strip().lower()))
