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


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# The values are uniform on [0, 1] (the engine draws them with random.random) and shown, so this
# is the full-information best-choice problem: accept the current value x, with k values still to
# come, exactly when it is the best so far and x >= b_k, where b_k solves
# sum_{j=1..k} (b**-j - 1) / j = 1 (Gilbert and Mosteller's optimal thresholds).

_COUNT = re.compile(r"You will observe (\d+) hidden values")
_VALUE = re.compile(r"The current value is (\d+(?:\.\d+)?)\.")


def _threshold(k: int) -> float:
    if k <= 0:
        return 0.0
    low, high = 1e-9, 1.0
    for _ in range(60):  # the sum falls as b grows: bisect for the root
        b = (low + high) / 2
        if sum((b ** -j - 1) / j for j in range(1, k + 1)) > 1:
            low = b
        else:
            high = b
    return (low + high) / 2


def choose_action(obs: str) -> str:
    match = _COUNT.search(obs)
    values = [float(v) for v in _VALUE.findall(obs)]
    if match is None or not values:
        return propose_action(obs)
    current, earlier = values[-1], values[:-1]
    remaining = int(match.group(1)) - len(values)
    if earlier and current < max(earlier):
        return "[continue]"
    return "[accept]" if current >= _threshold(remaining) else "[continue]"
