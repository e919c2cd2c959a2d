"""IteratedTwoThirdsAverage harness: every round each player guesses a number in [0, 100].

There is no state to read. The engine takes the first ``[<number>]`` in the action (digits with an
optional decimal part, no sign, no exponent, spaces allowed inside the brackets) and accepts it
when 0 <= value <= 100; an action without brackets is wrapped in brackets before it arrives.
"""

import random
import re

GAMES = ["IteratedTwoThirdsAverage-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "IteratedTwoThirdsAverage-v0": {
        "command": "autoharness verify IteratedTwoThirdsAverage-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5142,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_GUESS = re.compile(r"\[\s*([0-9]+(?:\.[0-9]*)?)\s*\]")
MIN_GUESS, MAX_GUESS = 0.0, 100.0


def propose_action(obs: str) -> str:
    if random.random() < 0.5:
        return f"[{random.randint(0, 100)}]"
    return f"[{random.uniform(MIN_GUESS, MAX_GUESS):.{random.randint(1, 3)}f}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _GUESS.search(action)
    return bool(match) and MIN_GUESS <= float(match.group(1)) <= MAX_GUESS
