"""Briscola harness: the hand size is read from the last "Your hand:" block (announced every turn).

Any card may be played at any time (no duty to follow suit): ``[play X]`` with X the 1-based
position in the hand. The engine searches case-insensitively for the first ``[play <digits>]``
and accepts it when 1 <= X <= hand size. An action without brackets is wrapped in brackets first.
"""

import random
import re

GAMES = ["Briscola-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Briscola-v0": {
        "command": "autoharness verify Briscola-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3308,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_PLAY = re.compile(r"\[play (\d+)\]", re.I)  # the engine's own pattern
_HAND_LINE = re.compile(r"^  \d+\. ", re.M)


def _hand_size(obs: str) -> int:
    at = obs.rfind("Your hand:\n")  # rfind: the history grows long
    if at < 0:
        return 0
    return len(_HAND_LINE.findall(obs[at:].split("\n\n", 1)[0]))


def propose_action(obs: str) -> str:
    return f"[play {random.randint(1, max(_hand_size(obs), 1))}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _PLAY.search(action)
    return bool(match) and 1 <= int(match.group(1)) <= _hand_size(obs)
