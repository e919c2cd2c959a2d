"""LiarsDice harness: the current bid is the last "Player N bids Q of face F." since the last
"New round" line (none yet means the bid is 0 of face 0); that line also lists everyone's dice.

The engine first looks for ``[call]`` anywhere (case-insensitive): legal only when a bid with a
quantity above 0 stands. Otherwise it reads the first ``[bid Q, F]`` (also ``[Bid: Q, F]``,
``[bid Q F]``): legal when 1 <= F <= 6, Q >= current quantity, F >= current face and (Q, F)
differs from the current bid. The engine sets no upper bound on Q, and even accepts Q = 0 as an
opening bid.
Only the player's own dice are visible; legality never depends on the opponent's dice.
An action without brackets is wrapped in brackets before it arrives.
"""

import random
import re

GAMES = ["LiarsDice-v0", "LiarsDice-v0-small", "LiarsDice-v0-large"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "LiarsDice-v0": {
        "command": "autoharness verify LiarsDice-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5196,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "LiarsDice-v0-large": {
        "command": "autoharness verify LiarsDice-v0-large --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5600,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "LiarsDice-v0-small": {
        "command": "autoharness verify LiarsDice-v0-small --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5205,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_CALL = re.compile(r"\[call\]", re.IGNORECASE)
_BID = re.compile(r"\[bid\s*:?\s*(\d+)[,\s]+(\d+)\]", re.IGNORECASE)
_BIDS_MADE = re.compile(r"^\[GAME\] Player \d+ bids (\d+) of face (\d+)\.$", re.MULTILINE)
_DICE_LEFT = re.compile(r"Player \d+: (\d+)")


def _state(obs: str) -> tuple[int, int, int]:
    """(current quantity, current face, dice in play) for the current round."""
    round_text = obs.rsplit("New round - Remaining dice:", 1)[-1]
    header = round_text.split("\n", 1)[0]
    total = sum(int(n) for n in _DICE_LEFT.findall(header))
    bids = _BIDS_MADE.findall(round_text)
    qty, face = map(int, bids[-1]) if bids else (0, 0)
    return qty, face, total


def _bid_ok(qty: int, face: int, cur_qty: int, cur_face: int) -> bool:
    return (qty >= cur_qty and face >= cur_face and (qty, face) != (cur_qty, cur_face)
            and 1 <= face <= 6)


def propose_action(obs: str) -> str:
    cur_qty, cur_face, total = _state(obs)
    if cur_qty > 0 and (random.random() < 0.3 or (cur_qty >= total and cur_face == 6)):
        return "[call]"
    face = random.randint(max(cur_face, 1), 6)
    low = max(cur_qty if face > cur_face else cur_qty + 1, 1)
    high = max(low, total)
    # Mostly small raises over the standing bid, sometimes any quantity up to all dice in play.
    if random.random() < 0.7:
        high = min(high, low + 2)
    qty = random.randint(low, high)
    fmt = random.choice(["[Bid: {}, {}]", "[bid {} {}]", "[Bid {}, {}]"])
    return fmt.format(qty, face)


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    cur_qty, cur_face, _ = _state(obs)
    if _CALL.search(action):
        return cur_qty > 0
    match = _BID.search(action)
    return bool(match) and _bid_ok(int(match.group(1)), int(match.group(2)), cur_qty, cur_face)
