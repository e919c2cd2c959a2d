"""IteratedMatchingPennies harness: every round each player submits heads or tails.

There is no state to read: while the game is on, any action containing ``[heads]``, ``[tails]``,
``[h]`` or ``[t]`` (case-insensitive, spaces allowed inside the brackets) is legal. An action
without brackets is wrapped in brackets before it arrives.
"""

import random
import re

GAMES = ["IteratedMatchingPennies-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "IteratedMatchingPennies-v0": {
        "command": "autoharness verify IteratedMatchingPennies-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 2953,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_CHOICE = re.compile(r"\[\s*(heads|h|tails|t)\s*\]", re.IGNORECASE)


def propose_action(obs: str) -> str:
    return random.choice(["[heads]", "[tails]", "[h]", "[t]"])


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    return bool(_CHOICE.search(action))
