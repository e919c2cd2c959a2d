"""Stress candidates: actions near the ones a harness speaks, to catch verifiers that accept too
much. Mutations of an action (a number or letter nudged, brackets dropped, case swapped, doubled)
are often illegal moves next to legal ones and sometimes legal moves the harness did not pick;
bracketed tokens quoted in the observation (rules examples, coordinates) and malformed strings
complete the mix, with the rules' own examples: the bracketed tokens at the start of the
observation, templates among them ("[split L R]", "[bet X]") filled in with numbers the run has
seen in legal actions, so a kind of move the proposer never makes still reaches the verifier (and
the vocabulary, once the engine accepts one). The oracle judges every one."""

from __future__ import annotations

import random
import re

from autoharness.harness.sandbox.common import DEFAULT_MAX_ACTION_LEN

MALFORMED = ("", "[]", "pass", "[???]", "[0 0 0 0 0 0]", "move", "[-1]", "[99 99]")
_TOKEN = re.compile(r"\[[^\[\]\n]{1,24}\]")
_NUMBER = re.compile(r"\d+")


def mutations(action: str, rng: random.Random) -> list[str]:
    """Near misses of an action: often illegal, sometimes a legal move the harness did not pick."""
    found: list[str] = []
    numbers = list(_NUMBER.finditer(action))
    if numbers:
        spot = rng.choice(numbers)
        for delta in (-1, 1):
            value = max(0, int(spot.group()) + delta)
            found.append(action[:spot.start()] + str(value) + action[spot.end():])
    letters = [i for i, ch in enumerate(action) if ch.isalpha()]
    if letters:
        i = rng.choice(letters)
        shifted = chr(ord(action[i]) + rng.choice((-1, 1)))
        if shifted.isalpha():
            found.append(action[:i] + shifted + action[i + 1:])
        found.append(action.swapcase())
    if action.startswith("[") and action.endswith("]"):
        found.append(action[1:-1])
    found.append(action + action)
    # No probe longer than a harness may propose: the engine's regexes are quadratic in it.
    return [m for m in found if m != action and len(m) <= DEFAULT_MAX_ACTION_LEN]


def quoted_tokens(observation: str, rng: random.Random, count: int = 3,
                  tail_chars: int = 3000) -> list[str]:
    """Up to ``count`` bracketed tokens from the end of the observation."""
    tokens = list(dict.fromkeys(_TOKEN.findall(observation[-tail_chars:])))
    return rng.sample(tokens, min(len(tokens), count))


_PLACEHOLDER = re.compile(r"(?<![A-Za-z])[A-Z](?![A-Za-z])")


def rule_examples(observation: str, numbers: list[int], rng: random.Random, count: int = 3,
                  head_chars: int = 4000) -> list[str]:
    """Up to ``count`` of the rules' bracketed examples, templates filled in: each single
    capital letter standing alone ("L", "X") becomes one of ``numbers`` (0-9 if none)."""
    tokens = list(dict.fromkeys(_TOKEN.findall(observation[:head_chars])))
    pool = numbers or list(range(10))
    found = []
    for token in rng.sample(tokens, min(len(tokens), count)):
        found.append(_PLACEHOLDER.sub(lambda _m: str(rng.choice(pool)), token))
    return found


def stress_mix(observation: str, action: str | None, rng: random.Random,
               numbers: list[int] | None = None) -> list[str]:
    """Mutations of ``action`` (when there is one), quoted tokens, the rules' examples and one
    malformed string."""
    pool = mutations(action, rng) if action else []
    pool += quoted_tokens(observation, rng)
    pool += rule_examples(observation, numbers or [], rng)
    pool.append(rng.choice(MALFORMED))
    return list(dict.fromkeys(pool))
