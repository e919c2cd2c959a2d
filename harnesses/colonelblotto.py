"""ColonelBlotto harness: the prompt names the fields and the units to allocate each round.

Legality does not depend on the round: an allocation is legal when it names only existing fields
(one letter each, case-insensitive, at most once), gives non-negative integers, omits fields only
as 0, and sums to exactly the unit total. Like the engine, the allocation is read from the first
``[...]`` in the stripped action (or the whole action if there is none) as tokens ``A4``/``A:4``
separated by spaces or commas, with nothing else left over. An action without brackets is wrapped
in brackets before it arrives.
"""

import random
import re

GAMES = [
    "ColonelBlotto-v0",
    "ColonelBlotto-v0-small",
    "ColonelBlotto-v0-large",
    "ColonelBlotto-v0-extreme",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "ColonelBlotto-v0": {
        "command": "autoharness verify ColonelBlotto-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5819,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "ColonelBlotto-v0-extreme": {
        "command": "autoharness verify ColonelBlotto-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5399,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "ColonelBlotto-v0-large": {
        "command": "autoharness verify ColonelBlotto-v0-large --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5844,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "ColonelBlotto-v0-small": {
        "command": "autoharness verify ColonelBlotto-v0-small --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 6032,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_SETUP = re.compile(r"allocate exactly (\d+) units across fields: ([A-Z, ]+)")
_TOKEN = re.compile(r"([A-Za-z])\s*:?\s*(\d+)")


def _setup(obs: str) -> tuple[list[str], int]:
    units, fields = _SETUP.search(obs).groups()
    return [f.strip() for f in fields.split(",")], int(units)


def _parse(action: str) -> dict[str, int] | None:
    raw = action.strip()
    bracket = re.search(r"\[([^\]]+)\]", raw)
    s = (bracket.group(1) if bracket else raw).strip()
    allocation: dict[str, int] = {}
    for m in _TOKEN.finditer(s):
        field = m.group(1).upper()
        if field in allocation:
            return None
        allocation[field] = int(m.group(2))
    if not allocation or re.sub(r"[\s,]+", "", _TOKEN.sub("", s)):
        return None
    return allocation


def propose_action(obs: str) -> str:
    fields, units = _setup(obs)
    # Uniform random composition of `units` into len(fields) non-negative parts (stars and bars).
    cuts = sorted(random.randint(0, units) for _ in range(len(fields) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, units], strict=True)]
    if random.random() < 0.3:
        return "[" + ", ".join(f"{f}:{n}" for f, n in zip(fields, parts, strict=True)) + "]"
    return "[" + " ".join(f"{f}{n}" for f, n in zip(fields, parts, strict=True)) + "]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    fields, units = _setup(obs)
    allocation = _parse(action)
    return (allocation is not None and all(f in fields for f in allocation)
            and sum(allocation.values()) == units)
