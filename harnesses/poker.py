"""Poker (Texas Hold'em) harness: the last "===== Hand" block, sent to the player at every turn,
gives the pot, the current bet and each player's stack and bet in this betting round.

The engine tries, in order, ``[check]``, ``[fold]``, ``[call...]`` (anything up to a ``]``),
``[bet N]`` and ``[raise N]`` (case-insensitive, one space before N) anywhere in the action, and
judges only the first kind found. Fold and call are always accepted (a call with nothing owed
counts as a check, a short call goes all-in). Check needs my bet >= the current bet. ``[bet N]``
means "make my bet N": legal when N > my bet. ``[raise N]`` means "current bet + N": legal when
N >= 1. Sizes above the stack are accepted (the player goes all-in), so there is no upper bound.
An action without brackets is wrapped in brackets before it arrives.
"""

import random
import re

GAMES = ["Poker-v0", "Poker-v0-small", "Poker-v0-long", "Poker-v0-extreme"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Poker-v0": {
        "command": "autoharness verify Poker-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4571,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Poker-v0-extreme": {
        "command": "autoharness verify Poker-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4879,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Poker-v0-long": {
        "command": "autoharness verify Poker-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4834,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Poker-v0-small": {
        "command": "autoharness verify Poker-v0-small --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4888,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ME = re.compile(r"You are Player (\d+) in a")
_BLINDS = re.compile(r"Blinds: (\d+)/(\d+)")
_POT = re.compile(r"Pot: ([\d.]+) \| Current bet: ([\d.]+)")
_KINDS = [
    ("check", re.compile(r"\[check\]", re.I)), ("fold", re.compile(r"\[fold\]", re.I)),
    ("call", re.compile(r"\[call.*\]", re.I)), ("bet", re.compile(r"\[bet (\d+)\]", re.I)),
    ("raise", re.compile(r"\[raise (\d+)\]", re.I)),
]


def _state(obs: str) -> tuple[float, float, float, float]:
    """(pot, current bet, my bet, my stack) from the last board."""
    me = _ME.search(obs).group(1)
    board = obs.rsplit("===== Hand", 1)[-1]
    pot, current = map(float, _POT.search(board).groups())
    mine = re.search(rf"^P{me}\b.*?: ([-\d.]+) chips \| bet ([-\d.]+)", board, re.M)
    return pot, current, float(mine.group(2)), float(mine.group(1))


def _size(low: int, high: int, pot: float, big_blind: int) -> int:
    """A varied amount in low..high: minimum, a blind, half pot, pot, anything, all-in."""
    pick = random.choice([low, big_blind, pot / 2, pot, random.randint(low, high), high])
    return max(low, min(high, int(pick)))


def propose_action(obs: str) -> str:
    pot, current, my_bet, stack = _state(obs)
    big_blind = int(_BLINDS.search(obs).group(2))
    stack = int(stack)
    to_call = current - my_bet
    options = ["[fold]"] if random.random() < 0.15 or stack <= 0 else []
    if to_call <= 0:
        options += ["[check]"] * 2
        if stack >= 1 and current == 0:
            options.append(f"[bet {int(my_bet) + _size(1, stack, pot, big_blind)}]")
        elif stack >= 1:
            options.append(f"[raise {_size(1, stack, pot, big_blind)}]")
    else:
        options += ["[call]"] * 2
        room = int(stack - to_call)  # what is left after calling
        if room >= 1:
            options.append(f"[raise {_size(1, room, pot, big_blind)}]")
    return random.choice(options)


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    found = next(((k, m) for k, rx in _KINDS if (m := rx.search(action))), None)
    if found is None:
        return False
    kind, m = found
    _, current, my_bet, _ = _state(obs)
    if kind == "check":
        return current <= my_bet
    if kind == "bet":
        return int(m.group(1)) > my_bet
    if kind == "raise":
        n = int(m.group(1))
        return n >= 1 and current + n > my_bet
    return True  # fold, call
