"""GermanWhist harness: hand and trick are read from the last turn announcement ("Your hand:").

The hand is listed by suit as ``N. <rank><suit>`` where N is the card's 1-based position used in
``[play N]``; "Current trick:" shows the card led, if any. The leader may play any card; the
follower must follow the led suit when holding it. The engine searches case-insensitively for the
first ``[play <digits>]``. An action without brackets is wrapped in brackets first.
"""

import random
import re

GAMES = ["GermanWhist-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "GermanWhist-v0": {
        "command": "autoharness verify GermanWhist-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4483,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_PLAY = re.compile(r"\[play (\d+)\]", re.I)  # the engine's own pattern
_HAND_CARD = re.compile(r"^    (\d+)\. \S*?(\S)$", re.M)  # "    7. A♥" -> position, suit
_LED = re.compile(r"Current trick:\n  Player \d+: \S*?(\S)(?: \(TRUMP\))?$", re.M)


def _position(obs: str) -> tuple[dict[int, str], str | None]:
    """({hand position: suit}, led suit or None when leading)."""
    at = obs.rfind("Your hand:\n")  # rfind: the history grows long
    if at < 0:
        return {}, None
    hand_part, _, rest = obs[at:].partition("\n\n")
    hand = {int(n): suit for n, suit in _HAND_CARD.findall(hand_part)}
    led = _LED.search(rest.split("\n\n", 1)[0])
    return hand, led.group(1) if led else None


def _legal(obs: str) -> list[int]:
    hand, led = _position(obs)
    follow = [n for n, suit in hand.items() if suit == led]
    return sorted(follow or hand)


def propose_action(obs: str) -> str:
    legal = _legal(obs)
    return f"[play {random.choice(legal) if legal else 1}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _PLAY.search(action)
    return bool(match) and int(match.group(1)) in _legal(obs)
