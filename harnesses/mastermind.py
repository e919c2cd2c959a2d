"""Mastermind harness: the prompt gives the code length, the digit range and whether repeats are
allowed; every accepted guess is echoed as ``Submitted [..]. Feedback: ...`` (the winning guess
ends the game, so it never needs to be remembered).

The engine reads the first ``[d d ...]`` (digits separated by whitespace) in the action; the guess
must have exactly code-length numbers in 1..N, no repeats unless allowed, and not repeat an
earlier accepted guess (compared as integers, so ``[01 2 3 4]`` equals ``[1 2 3 4]``).
"""

import itertools
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


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# Knuth's minimax: keep the codes consistent with every feedback so far and play the guess whose
# worst-case feedback leaves the fewest of them (consistent guesses preferred on ties). Work is
# bounded: guesses are drawn from all codes only while guesses x candidates stays small; codes
# too many to list (Mastermind-v0-extreme: 12**6) are searched for one consistent code instead.

_FEEDBACK = re.compile(r"Submitted \[(\d+(?:\s+\d+)*)\]\. Feedback: (\d+) black peg\(s\), "
                       r"(\d+) white peg\(s\)")
_MAX_CODES = 5000  # enumerate every code up to this many
_MAX_WORK = 10_000  # feedback evaluations per move (about 20 ms)
_CODES: dict = {}


def _pegs(guess: tuple[int, ...], code: tuple[int, ...]) -> tuple[int, int]:
    black = sum(g == c for g, c in zip(guess, code, strict=True))
    common = sum(min(guess.count(d), code.count(d)) for d in set(guess))
    return black, common - black


def _history(obs: str) -> list[tuple[tuple[int, ...], tuple[int, int]]]:
    return [(tuple(map(int, g.split())), (int(b), int(w))) for g, b, w in _FEEDBACK.findall(obs)]


def _all_codes(length: int, top: int, repeats: bool) -> list[tuple[int, ...]] | None:
    digits = range(1, top + 1)
    count = top ** length if repeats else _falling(top, length)
    if count > _MAX_CODES:
        return None
    key = (length, top, repeats)
    if key not in _CODES:
        source = (itertools.product(digits, repeat=length) if repeats
                  else itertools.permutations(digits, length))
        _CODES[key] = list(source)
    return _CODES[key]


def _falling(n: int, k: int) -> int:
    total = 1
    for i in range(k):
        total *= n - i
    return total


def _consistent_code(length: int, top: int, repeats: bool, history: list,
                     seen: set) -> tuple[int, ...] | None:
    """A code consistent with the history, by randomised backtracking (node-capped)."""
    budget = [350]
    code: list[int] = []

    def fits_so_far() -> bool:
        for guess, (black, white) in history:
            prefix = guess[:len(code)]
            b = sum(g == c for g, c in zip(prefix, code, strict=True))
            rest = length - len(code)
            if b > black or b + rest < black:
                return False
            if len(code) == length and _pegs(guess, tuple(code)) != (black, white):
                return False
        return True

    def extend() -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if len(code) == length:
            return tuple(code) not in seen
        digits = list(range(1, top + 1))
        random.shuffle(digits)
        for digit in digits:
            if not repeats and digit in code:
                continue
            code.append(digit)
            if fits_so_far() and extend():
                return True
            code.pop()
        return False

    return tuple(code) if extend() else None


def _first_guess(length: int, top: int, repeats: bool) -> tuple[int, ...]:
    """Before any feedback every guess of the same shape is alike: 1 2 3 4 (no repeats), or
    pairs 1 1 2 2 ... (repeats allowed, Knuth's opening)."""
    if repeats:
        return tuple(min(top, 1 + i // 2) for i in range(length))
    return tuple(range(1, length + 1))


def _guess_text(guess: tuple[int, ...]) -> str:
    return "[" + " ".join(map(str, guess)) + "]"


def choose_action(obs: str) -> str:
    length, top, repeats = _rules(obs)
    history = _history(obs)
    seen = {guess for guess, _ in history} | _previous(obs)
    if not history and not seen:
        return _guess_text(_first_guess(length, top, repeats))
    codes = _all_codes(length, top, repeats)
    if codes is None:
        found = _consistent_code(length, top, repeats, history, seen)
        return _guess_text(found) if found else propose_action(obs)
    candidates = [c for c in codes if all(_pegs(g, c) == fb for g, fb in history)]
    candidates = [c for c in candidates if c not in seen]
    if not candidates:
        return propose_action(obs)
    if len(candidates) <= 2:
        return _guess_text(candidates[0])
    pool = codes if len(codes) * len(candidates) <= _MAX_WORK else candidates
    if len(pool) * len(candidates) > _MAX_WORK:
        pool = pool[:max(1, _MAX_WORK // len(candidates))]
    consistent = set(candidates)
    scorer = _bucket_sizes_distinct if not repeats else _bucket_sizes
    best, best_key = None, None
    for guess in pool:
        if guess in seen:
            continue
        key = (max(scorer(guess, candidates)), guess not in consistent)
        if best_key is None or key < best_key:
            best, best_key = guess, key
    return _guess_text(best or candidates[0])


def _bucket_sizes(guess: tuple[int, ...], candidates: list) -> list[int]:
    buckets: dict = {}
    for code in candidates:
        fb = _pegs(guess, code)
        buckets[fb] = buckets.get(fb, 0) + 1
    return list(buckets.values())


def _bucket_sizes_distinct(guess: tuple[int, ...], candidates: list) -> list[int]:
    """As _bucket_sizes, for codes without repeats: common digits = shared bits of digit sets."""
    mask = sum(1 << d for d in guess)
    buckets: dict = {}
    for code in candidates:
        black = sum(g == c for g, c in zip(guess, code, strict=True))
        common = (mask & sum(1 << d for d in code)).bit_count()
        key = black * 16 + common
        buckets[key] = buckets.get(key, 0) + 1
    return list(buckets.values())
