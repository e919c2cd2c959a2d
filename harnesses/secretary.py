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
VERIFIED = {}

_ACTION = re.compile(r"\[(accept|continue)\]")


def propose_action(obs: str) -> str:
    # Accept now and then so episodes end at varied draws.
    return "[accept]" if random.random() < 0.25 else "[continue]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    return _ACTION.fullmatch(action.strip()) is not None
