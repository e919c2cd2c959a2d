"""GuessTheNumber harness: the range comes from the prompt ("between 1 and 20"); the guesses made
so far are the player's actions that the game answered with "The target number is ...".

The engine reads the first ``[<digits>]`` in the action (an action without brackets is wrapped
first); the guess is legal when it lies in the range and has not been accepted before (rejected
attempts do not count as guessed).
"""

import random
import re

GAMES = ["GuessTheNumber-v0", "GuessTheNumber-v0-hardcore"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "GuessTheNumber-v0": {
        "command": "autoharness verify GuessTheNumber-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4659,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "GuessTheNumber-v0-hardcore": {
        "command": "autoharness verify GuessTheNumber-v0-hardcore --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5094,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_RANGE = re.compile(r"guess the number between (\d+) and (\d+)")
_ACTION = re.compile(r"\[(\d+)\]")
_ANSWERED = "\n[GAME] The target number is "


def _guess(action: str) -> int | None:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return int(match.group(1)) if match else None


def _state(obs: str) -> tuple[int, int, set[int]]:
    """(lowest, highest, numbers already guessed)."""
    match = _RANGE.search(obs)
    low, high = (int(match.group(1)), int(match.group(2))) if match else (1, 20)
    guessed = set()
    for turn in obs.split("\n[Player] ")[1:]:
        action, _, rest = turn.partition(_ANSWERED)
        if rest and "\n[Player] " not in action:
            guessed.add(_guess(action))
    return low, high, guessed


def propose_action(obs: str) -> str:
    low, high, guessed = _state(obs)
    options = [n for n in range(low, high + 1) if n not in guessed]
    return f"[{random.choice(options)}]" if options else f"[{low}]"


def eval_action(obs: str, action: str) -> bool:
    guess = _guess(action)
    low, high, guessed = _state(obs)
    return guess is not None and low <= guess <= high and guess not in guessed


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# Bisection: every answered guess ("higher"/"lower") narrows the interval; guess its middle.

_HINT = re.compile(r"The target number is (higher|lower)\.")


def choose_action(obs: str) -> str:
    low, high, guessed = _state(obs)
    for turn in obs.split("\n[Player] ")[1:]:
        action, _, rest = turn.partition(_ANSWERED)
        hint = _HINT.match("The target number is " + rest) if rest else None
        guess = _guess(action) if "\n[Player] " not in action else None
        if hint is None or guess is None:
            continue
        if hint.group(1) == "higher":
            low = max(low, guess + 1)
        else:
            high = min(high, guess - 1)
    options = [n for n in range(low, high + 1) if n not in guessed]
    if not options:
        return propose_action(obs)
    return f"[{options[(len(options) - 1) // 2]}]"
