"""PigDice harness: on every turn the player may roll or hold, whatever the scores.

There is no state to read: while the game is on, any action whose stripped text contains
``[roll]`` or ``[hold]`` (case-insensitive, no spaces inside the brackets) is legal. An action
without brackets is wrapped in brackets before it arrives.
"""

import random
import re

GAMES = [
    "PigDice-v0", "PigDice-v0-short", "PigDice-v0-long", "PigDice-v0-50", "PigDice-v0-100",
    "PigDice-v0-150", "PigDice-v0-200", "PigDice-v0-250", "PigDice-v0-300", "PigDice-v0-350",
    "PigDice-v0-400", "PigDice-v0-450", "PigDice-v0-500",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {}

_ACTION = re.compile(r"\[(roll|hold)\]", re.IGNORECASE)


def propose_action(obs: str) -> str:
    return random.choice(["[roll]", "[hold]"])


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    return bool(_ACTION.search(action.strip()))
