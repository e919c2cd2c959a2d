"""Secretary harness: each turn shows one value; the player answers ``[accept]`` or ``[continue]``.

The engine ``fullmatch``es ``\\[(accept|continue)\\]`` against the stripped action (after the
bracket-adding wrapper), so both actions are legal at every turn and nothing else is; the position
itself never matters.
"""

import random
import re

GAMES = ["Secretary-v0", "Secretary-v0-long"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Secretary-v0": {
        "command": "autoharness verify Secretary-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 2548,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Secretary-v0-long": {
        "command": "autoharness verify Secretary-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 2644,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ACTION = re.compile(r"\[(accept|continue)\]")


def propose_action(obs: str) -> str:
    # Accept now and then so episodes end at varied draws.
    return "[accept]" if random.random() < 0.25 else "[continue]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    return _ACTION.fullmatch(action.strip()) is not None
