"""HighSociety harness: the last "Your remaining money cards:" line lists the money cards held.

Each auction both players secretly bid one money card 1-11 they still hold (a tie returns both
bids, so the listing stays valid for the rebid). The engine needs exactly one token matching
``[11|10|1-9]`` in the action; an action without brackets is wrapped in brackets first.
"""

import random
import re

GAMES = ["HighSociety-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "HighSociety-v0": {
        "command": "autoharness verify HighSociety-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3921,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_TOKEN = re.compile(r"\[(11|10|[1-9])]")  # the engine's own pattern


def _money(obs: str) -> list[int]:
    at = obs.rfind("Your remaining money cards:")
    if at < 0:
        return []
    return [int(x) for x in re.findall(r"'\[(\d+)\]'", obs[at:].split("\n", 1)[0])]


def propose_action(obs: str) -> str:
    money = _money(obs)
    return f"[{random.choice(money)}]" if money else "[1]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    tokens = _TOKEN.findall(action)
    return len(tokens) == 1 and int(tokens[0]) in _money(obs)
