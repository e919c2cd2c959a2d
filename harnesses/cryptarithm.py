"""Cryptarithm harness: the equation ("SEND + MORE = MONEY") and the current letter→digit mapping
("Mapping:" lines ``  S → 9``) are read from the last board printed in the observation.

An action assigns one digit to one letter, ``[S 9]``; the stripped action must match
``\\[\\s*([A-Za-z])\\s+(\\d)\\s*\\]`` in full (letter case is ignored; an action without brackets is
wrapped first). It is legal when the letter is in the puzzle, the digit is not held by a
*different* letter (re-assigning a letter, even to its own digit, is fine), and a word's first
letter does not get 0.
"""

import random
import re

GAMES = ["Cryptarithm-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Cryptarithm-v0": {
        "command": "autoharness verify Cryptarithm-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5186,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_EQUATION = re.compile(r"^([A-Z]+(?: \+ [A-Z]+)*) = ([A-Z]+)$", re.MULTILINE)
_MAPPING = re.compile(r"^  ([A-Z]) → (\d)$", re.MULTILINE)
_ACTION = re.compile(r"\[\s*([A-Za-z])\s+(\d)\s*\]")


def _puzzle(obs: str) -> tuple[set[str], set[str], dict[int, str]]:
    """(letters, first letters of words, digit → letter currently holding it)."""
    match = _EQUATION.search(obs)
    words = (match.group(1).split(" + ") + [match.group(2)]) if match else []
    letters = {ch for word in words for ch in word}
    first = {word[0] for word in words}
    block = obs.rsplit("Mapping:", 1)[-1].split("Assigned:", 1)[0]
    held = {int(d): letter for letter, d in _MAPPING.findall(block)}
    return letters, first, held


def _legal(letter: str, digit: int, letters: set[str], first: set[str],
           held: dict[int, str]) -> bool:
    return (letter in letters and held.get(digit, letter) == letter
            and not (digit == 0 and letter in first))


def propose_action(obs: str) -> str:
    letters, first, held = _puzzle(obs)
    options = [(letter, d) for letter in sorted(letters) for d in range(10)
               if _legal(letter, d, letters, first, held)]
    if not options:
        return "[A 1]"
    letter, digit = random.choice(options)
    return f"[{letter} {digit}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.fullmatch(action.strip())
    if not match:
        return False
    return _legal(match.group(1).upper(), int(match.group(2)), *_puzzle(obs))
