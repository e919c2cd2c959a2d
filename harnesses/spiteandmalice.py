"""SpiteAndMalice harness: the last "Current Board:" block is the position (it follows every move).

It shows the four center piles in full, the player's payoff top and length, hand, and discard
piles. The engine runs every ``[play C P]`` / ``[discard C P]`` / ``[draw]`` token in the action in
order (case-sensitive; card = rank of A23456789JQK + suit, pile 0-3), so eval_action replays them:
a play needs C to continue pile P (A on empty, next rank up, K wild and counted as the next rank)
and C to be the payoff top, in hand, or a discard-pile top; a discard needs C in hand and ends the
action; [draw] refills the hand to 5 and is always accepted. The engine raises on a bare
``[play]`` (``int('')``) and on a discard once the payoff pile is empty (it reads the payoff top):
such an action is not a legal move, so eval_action rejects it.
Hidden-information limit: cards drawn, or a payoff card uncovered, earlier in the same action are
unseen, so a later token that relies on them is judged illegal. Bracket-free actions get wrapped.
"""

import random
import re
from dataclasses import dataclass

GAMES = ["SpiteAndMalice-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "SpiteAndMalice-v0": {
        "command": "autoharness verify SpiteAndMalice-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 1,
        "false_reject_rate": 0.00089,
        "stress_checks": 4792,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ACTION = re.compile(r"\[(play|discard|draw)(?: ([A23456789JQK][♠♥♦♣]) ([0-3]))?\]")  # engine's
_RANKS = "A23456789JQK"
_CARDS = re.compile(r"'([^']+)'")


@dataclass
class _Position:
    center: list[list[str]]
    payoff_top: str | None  # None once unknown (played earlier in the same action) or empty
    payoff_len: int
    hand: list[str]
    discard: list[list[str]]


def _parse(obs: str) -> _Position:
    board = obs[obs.rfind("Current Board:") :]  # rfind: the history grows very long
    center = [_CARDS.findall(p) for p in re.findall(r"^Pile \d: (.*)$", board, re.M)[:4]]
    top = re.search(r"Payoff Pile \(Top Card\): (\S+), Payoff Pile Length: (\d+)", board)
    hand = re.search(r"^Hand: (.*)$", board, re.M)
    piles = re.search(r"^Discard Piles: \[(.*)\]$", board, re.M)
    return _Position(
        center=center + [[] for _ in range(4 - len(center))],
        payoff_top=top.group(1) if top and top.group(1) != "Empty" else None,
        payoff_len=int(top.group(2)) if top else 0,
        hand=_CARDS.findall(hand.group(1)) if hand else [],
        discard=[_CARDS.findall(p) for p in re.findall(r"\[([^\[\]]*)\]", piles.group(1))]
        if piles
        else [[], [], [], []],
    )


def _can_play(card: str, pile: list[str]) -> bool:
    if card[0] == "K":  # wild
        return True
    if not pile:
        return card[0] == "A"
    top = len(pile) - 1 if pile[-1][0] == "K" else _RANKS.index(pile[-1][0])
    return _RANKS.index(card[0]) == top + 1


def _play(pos: _Position, card: str, index: int) -> bool:
    """Apply a play like the engine (payoff top first, then hand, then discard tops)."""
    pile = pos.center[index]
    if not _can_play(card, pile):
        return False
    if pos.payoff_len and card == pos.payoff_top:
        pos.payoff_len -= 1
        pos.payoff_top = None  # the card beneath is unseen
    elif card in pos.hand:
        pos.hand.remove(card)
    else:
        source = next((d for d in pos.discard if d and d[-1] == card), None)
        if source is None:
            return False
        source.pop()
    pile.append(card)
    if len(pile) == 11:  # a finished pile is cleared
        pile.clear()
    return True


def _plays(pos: _Position) -> list[tuple[str, int]]:
    sources = set(pos.hand) | {d[-1] for d in pos.discard if d}
    if pos.payoff_top:
        sources.add(pos.payoff_top)
    return [(c, i) for c in sorted(sources) for i in range(4) if _can_play(c, pos.center[i])]


def propose_action(obs: str) -> str:
    pos = _parse(obs)
    if len(pos.hand) < 5 and random.random() < 0.7:
        return "[draw]"
    plays = _plays(pos)
    payoff = [p for p in plays if p[0] == pos.payoff_top]
    if payoff and random.random() < 0.6:
        card, i = random.choice(payoff)
    elif plays and (not pos.hand or random.random() < 0.6):
        card, i = random.choice(plays)
    elif pos.hand:
        return f"[discard {random.choice(pos.hand)} {random.randrange(4)}]"
    else:
        return "[draw]"
    action = f"[play {card} {i}]"
    if random.random() < 0.15 and _play(pos, card, i):  # sometimes chain a second play
        more = _plays(pos)
        if more:
            action += " [play {} {}]".format(*random.choice(more))
    return action


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    matches = _ACTION.findall(action)
    if not matches:
        return False
    pos = _parse(obs)
    for kind, card, index in matches:
        if kind == "draw":
            if len(pos.hand) < 5:
                pos.hand += ["?"] * (5 - len(pos.hand))  # unseen cards (or none: deck empty)
        elif kind == "play":
            if not card:  # a bare [play]: the engine raises on it
                return False
            if not _play(pos, card, int(index)):
                return False
        else:  # a discard ends the action (the engine raises on it once the payoff is empty)
            return pos.payoff_len > 0 and card in pos.hand
    return True
