"""Mastermind harness: the prompt gives the code length, the digit range and whether repeats are
allowed; every accepted guess is echoed as ``Submitted [..]. Feedback: ...`` (the winning guess
ends the game, so it never needs to be remembered).

The engine reads the first ``[d d ...]`` (digits separated by whitespace) in the action; the guess
must have exactly code-length numbers in 1..N, no repeats unless allowed, and not repeat an
earlier accepted guess (compared as integers, so ``[01 2 3 4]`` equals ``[1 2 3 4]``).
"""

import random
import re

GAMES = ["Mastermind-v0", "Mastermind-v0-hard", "Mastermind-v0-extreme"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Mastermind-v0": {
        "command": "autoharness verify Mastermind-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5382,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Mastermind-v0-extreme": {
        "command": "autoharness verify Mastermind-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5429,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Mastermind-v0-hard": {
        "command": "autoharness verify Mastermind-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5383,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_RULES = re.compile(r"code that is (\d+) digits long, each digit from 1 to (\d+), (with possible)?")
_GUESS = re.compile(r"\[(\d+(?:\s+\d+)*)\]")
_SUBMITTED = re.compile(r"^\[GAME\] Submitted \[(\d+(?:\s+\d+)*)\]\. Feedback:", re.MULTILINE)


def _rules(obs: str) -> tuple[int, int, bool]:
    m = _RULES.search(obs)
    return (int(m.group(1)), int(m.group(2)), bool(m.group(3))) if m else (4, 6, False)


def _previous(obs: str) -> set[tuple[int, ...]]:
    return {tuple(map(int, g.split())) for g in _SUBMITTED.findall(obs)}


def propose_action(obs: str) -> str:
    length, top, repeats = _rules(obs)
    seen = _previous(obs)
    digits = range(1, top + 1)
    for _ in range(1000):
        guess = random.choices(digits, k=length) if repeats else random.sample(digits, length)
        if tuple(guess) not in seen:
            break
    return "[" + " ".join(map(str, guess)) + "]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    m = _GUESS.search(action)
    if m is None:
        return False
    guess = tuple(map(int, m.group(1).split()))
    length, top, repeats = _rules(obs)
    return (len(guess) == length and all(1 <= g <= top for g in guess)
            and (repeats or len(set(guess)) == length) and guess not in _previous(obs))
