"""Blackjack harness: two actions, ``[Hit]`` and ``[Stand]``, both legal at every turn.

The engine lower-cases the action and looks for the substring "[hit]" (checked first) or
"[stand]" anywhere in it; an action without brackets is wrapped first. Nothing in the position
changes legality, so the observation is only used to make proposals sensible (the player's score
is read from the last "Your hand: ... (Score: N)" line).
"""

import random
import re
from functools import cache

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


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# The engine's rules (textarena 0.7.4): an infinite deck (every rank 1/13), only hit or stand, the
# dealer draws to 17 and stands on soft 17, and the reward is wins / hands — a push scores like a
# loss. So the policy maximises the probability of winning the hand (not the expected money, as
# textbook basic strategy does): an exact dynamic programme over (total, soft) against the
# dealer's final-total distribution for the up-card shown.

_CARD_VALUES = (2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10, 11)  # ranks 2..10, J, Q, K, A
_HAND = re.compile(r"Your hand: ([^\n(]*)\(Score: \d+\)\nDealer shows: (\S+)")


def _card_value(card: str) -> int | None:
    rank = card.strip()[:-1]
    if rank in ("J", "Q", "K"):
        return 10
    if rank == "A":
        return 11
    return int(rank) if rank.isdigit() and 2 <= int(rank) <= 10 else None


def _add(total: int, soft: bool, value: int) -> tuple[int, bool]:
    """A hand's (best total, an ace still counted as 11) after drawing a card."""
    aces = int(soft) + (value == 11)
    total += value
    while total > 21 and aces:
        total, aces = total - 10, aces - 1
    return total, aces > 0


@cache
def _dealer_finals(total: int, soft: bool) -> tuple[tuple[int, float], ...]:
    """(final total, probability) of a dealer hand drawing to 17; 22 stands for a bust."""
    if total > 21:
        return ((22, 1.0),)
    if total >= 17:
        return ((total, 1.0),)
    finals: dict[int, float] = {}
    for value in _CARD_VALUES:
        for final, p in _dealer_finals(*_add(total, soft, value)):
            finals[final] = finals.get(final, 0.0) + p / 13
    return tuple(sorted(finals.items()))


@cache
def _stand_wins(total: int, up: int) -> float:
    start = (11, True) if up == 11 else (up, False)
    return sum(p for final, p in _dealer_finals(*start) if final == 22 or final < total)


@cache
def _hit_wins(total: int, soft: bool, up: int) -> float:
    wins = 0.0
    for value in _CARD_VALUES:
        new_total, new_soft = _add(total, soft, value)
        if new_total <= 21:
            wins += max(_stand_wins(new_total, up), _hit_wins(new_total, new_soft, up)) / 13
    return wins


def choose_action(obs: str) -> str:
    hands = _HAND.findall(obs)
    if not hands:
        return propose_action(obs)
    cards, up_card = hands[-1]
    values = [_card_value(c) for c in cards.split(",") if c.strip()]
    up = _card_value(up_card)
    if not values or None in values or up is None:
        return propose_action(obs)
    total, soft = 0, False
    for value in values:
        total, soft = _add(total, soft, value)
    if total >= 21:
        return "[Stand]"
    return "[Hit]" if _hit_wins(total, soft, up) > _stand_wins(total, up) else "[Stand]"
