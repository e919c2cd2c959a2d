"""KuhnPoker harness: the betting so far in the current round decides the legal actions.

The round starts at the last "### Starting round" line; the last "Player N, submitted move:
'[x]'" line after it is the latest move. Facing a bet, the legal actions are ``[fold]`` and
``[call]``; otherwise (round start or after a check) they are ``[check]`` and ``[bet]``. The engine
takes the first ``[check|bet|fold|call]`` in the action (case-insensitive, no spaces inside the
brackets); an action without brackets is wrapped in brackets before it arrives.
"""

import random
import re

GAMES = [
    "KuhnPoker-v0",
    "KuhnPoker-v0-short",
    "KuhnPoker-v0-medium",
    "KuhnPoker-v0-long",
    "KuhnPoker-v0-extreme",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "KuhnPoker-v0": {
        "command": "autoharness verify KuhnPoker-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3293,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "KuhnPoker-v0-extreme": {
        "command": "autoharness verify KuhnPoker-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3247,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "KuhnPoker-v0-long": {
        "command": "autoharness verify KuhnPoker-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3099,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "KuhnPoker-v0-medium": {
        "command": "autoharness verify KuhnPoker-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3316,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "KuhnPoker-v0-short": {
        "command": "autoharness verify KuhnPoker-v0-short --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3138,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_MOVE = re.compile(r"^\[GAME\] Player \d+, submitted move: '\[(\w+)\]'\.$", re.MULTILINE)
_ACTION = re.compile(r"\[(Check|Bet|Fold|Call)\]", re.IGNORECASE)


def _legal(obs: str) -> list[str]:
    moves = _MOVE.findall(obs.rsplit("### Starting round", 1)[-1])
    return ["fold", "call"] if moves and moves[-1] == "bet" else ["check", "bet"]


def propose_action(obs: str) -> str:
    return f"[{random.choice(_legal(obs))}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action.strip())
    return bool(match) and match.group(1).lower() in _legal(obs)
