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


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# Solve the equation by column-wise constraint search (least significant column first, carries
# tracked, leading letters non-zero), then move the engine's mapping towards the solution: fix a
# wrongly mapped letter whose digit is free, break a cycle of wrong letters by parking one on a
# digit the solution does not use, and only then map new letters — so the assignment that
# completes the mapping (which ends the game) completes the right one.

_SOLUTIONS: dict = {}


def _words(obs: str) -> list[str]:
    match = _EQUATION.search(obs)
    return (match.group(1).split(" + ") + [match.group(2)]) if match else []


def _solve(words: list[str]) -> dict[str, int] | None:
    key = tuple(words)
    if key not in _SOLUTIONS:
        _SOLUTIONS[key] = _search_solution(words[:-1], words[-1])
    return _SOLUTIONS[key]


def _search_solution(addends: list[str], result: str) -> dict[str, int] | None:
    letters = {ch for word in addends + [result] for ch in word}
    if len(letters) > 10 or not addends:
        return None
    leading = {word[0] for word in addends + [result]}
    width = max(len(result), *(len(w) for w in addends))
    columns = []  # per column: (addend letters, result letter or None)
    for i in range(width):
        column = [w[-1 - i] for w in addends if i < len(w)]
        columns.append((column, result[-1 - i] if i < len(result) else None))
    order = []  # letters in the order the columns first need them
    for column, out in columns:
        for ch in column + ([out] if out else []):
            if ch not in order:
                order.append(ch)
    mapping: dict[str, int] = {}
    used = [False] * 10

    def column_ok(i: int, carry: int) -> tuple[bool, int]:
        column, out = columns[i]
        total = carry + sum(mapping[ch] for ch in column)
        if out is None:
            return total == 0, 0
        return total % 10 == mapping[out], total // 10

    def extend(i: int, carry: int) -> bool:
        if i == width:
            return carry == 0
        column, out = columns[i]
        missing = [ch for ch in column + ([out] if out else []) if ch not in mapping]
        if not missing:
            ok, carry_out = column_ok(i, carry)
            return ok and extend(i + 1, carry_out)
        ch = missing[0]
        for digit in range(10):
            if used[digit] or (digit == 0 and ch in leading):
                continue
            mapping[ch], used[digit] = digit, True
            if extend(i, carry):
                return True
            del mapping[ch]
            used[digit] = False
        return False

    return dict(mapping) if extend(0, 0) else None


def choose_action(obs: str) -> str:
    words = _words(obs)
    solution = _solve(words) if words else None
    letters, first, held = _puzzle(obs)
    if solution is None or set(solution) != letters:
        return propose_action(obs)
    mapped = {letter: digit for digit, letter in held.items()}
    wrong = [ch for ch in sorted(mapped) if mapped[ch] != solution[ch]]
    for ch in wrong:  # a wrong letter whose right digit is free
        if solution[ch] not in held:
            return f"[{ch} {solution[ch]}]"
    if wrong:  # a cycle of wrong letters: park one on a digit nobody needs
        ch = wrong[0]
        needed = set(solution.values())
        spare = [d for d in range(10) if d not in held and not (d == 0 and ch in first)]
        spare.sort(key=lambda d: d in needed)
        if spare:
            return f"[{ch} {spare[0]}]"
        return propose_action(obs)
    for ch in sorted(letters - set(mapped)):
        if solution[ch] not in held:
            return f"[{ch} {solution[ch]}]"
    return propose_action(obs)
