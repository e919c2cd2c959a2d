"""GameOfPureStrategy harness: the last "Your remaining hand:" line lists the cards still held.

Every round each player bids one card A-K (A=1 ... K=13) that is still in hand. The engine lower-
cases the action and needs exactly one token matching ``[a|k|q|j|10|2-9]`` (``[1]`` is not a card
token and is ignored); an action without brackets is wrapped in brackets first.
"""

import random
import re

GAMES = ["GameOfPureStrategy-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "GameOfPureStrategy-v0": {
        "command": "autoharness verify GameOfPureStrategy-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4181,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_TOKEN = re.compile(r"\[(a|k|q|j|10|[2-9])]")  # the engine's own pattern, applied to lower()


def _hand(obs: str) -> list[str]:
    """Faces still in hand, lower-cased as the engine compares them."""
    at = obs.rfind("Your remaining hand:")
    if at < 0:
        return []
    return re.findall(r"'\[(\w+)\]'", obs[at:].split("\n", 1)[0].lower())


def propose_action(obs: str) -> str:
    hand = _hand(obs)
    return f"[{random.choice(hand).upper()}]" if hand else "[A]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    tokens = _TOKEN.findall(action.lower())
    return len(tokens) == 1 and tokens[0] in _hand(obs)
