"""Bandit harness: the buttons are named in the opening prompt ("... N buttons: red, blue, ...").

Every turn, including the final guess, the action is one button name in brackets, e.g. ``[red]``.
The engine takes everything between the first "[" and the last "]" on one line (greedy
``\\[(.*)\\]``) and accepts it only if it is exactly a button name (case-sensitive); an action
without brackets is wrapped first. Legality never depends on the history.
"""

import random
import re

GAMES = ["Bandit-v0", "Bandit-v0-hard"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Bandit-v0": {
        "command": "autoharness verify Bandit-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3432,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Bandit-v0-hard": {
        "command": "autoharness verify Bandit-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4218,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_BUTTONS = re.compile(r"buttons: ([^\n]*?)\. Each button")
_ACTION = re.compile(r"\[(.*)\]")


def _buttons(obs: str) -> list[str]:
    match = _BUTTONS.search(obs)
    return match.group(1).split(", ") if match else []


def propose_action(obs: str) -> str:
    buttons = _buttons(obs)
    return f"[{random.choice(buttons)}]" if buttons else "[red]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and match.group(1) in _buttons(obs)
