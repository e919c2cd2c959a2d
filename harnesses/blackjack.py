"""Blackjack harness: two actions, ``[Hit]`` and ``[Stand]``, both legal at every turn.

The engine lower-cases the action and looks for the substring "[hit]" (checked first) or
"[stand]" anywhere in it; an action without brackets is wrapped first. Nothing in the position
changes legality, so the observation is only used to make proposals sensible (the player's score
is read from the last "Your hand: ... (Score: N)" line).
"""

import random
import re

GAMES = ["Blackjack-v0", "Blackjack-v0-long"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Blackjack-v0": {
        "command": "autoharness verify Blackjack-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 2775,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Blackjack-v0-long": {
        "command": "autoharness verify Blackjack-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 2846,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_SCORE = re.compile(r"\(Score: (\d+)\)")


def propose_action(obs: str) -> str:
    scores = _SCORE.findall(obs[-300:])
    score = int(scores[-1]) if scores else 12
    # Random, but leaning towards hitting on low totals and standing on high ones.
    p_hit = 0.9 if score <= 11 else 0.5 if score <= 16 else 0.15
    return "[Hit]" if random.random() < p_hit else "[Stand]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    lowered = action.lower()
    return "[hit]" in lowered or "[stand]" in lowered
