"""GameOfPureStrategy harness: the last "Your remaining hand:" line lists the cards still held.

Every round each player bids one card A-K (A=1 ... K=13) that is still in hand. The engine lower-
cases the action and needs exactly one token matching ``[a|k|q|j|10|2-9]`` (``[1]`` is not a card
token and is ignored); an action without brackets is wrapped in brackets first.
"""

import random
import re

GAMES = ["GameOfPureStrategy-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {}

_TOKEN = re.compile(r"\[(a|k|q|j|10|[2-9])]")  # the engine's own pattern, applied to lower()


def _hand(obs: str) -> list[str]:
    """Faces still in hand, lower-cased as the engine compares them."""
    at = obs.rfind("Your remaining hand:")
    if at < 0:
        return []
    return re.findall(r"'\[(\w+)\]'", obs[at:].split("\n", 1)[0].lower())


def propose_action(obs: str) -> str:
    hand = _hand(obs)
    return f"[{random.choice(hand).upper()}]" if hand else "[A]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    tokens = _TOKEN.findall(action.lower())
    return len(tokens) == 1 and tokens[0] in _hand(obs)
