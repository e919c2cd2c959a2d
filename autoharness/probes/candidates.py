"""Stress candidates: actions near the ones a harness speaks, to catch verifiers that accept too
much. Mutations of an action (a number or letter nudged, or a number replaced by one the state
shows; brackets dropped, case swapped, doubled) are often illegal moves next to legal ones and
sometimes legal moves the harness did not pick; bracketed tokens quoted in the observation
(rules examples, coordinates) and malformed strings complete the mix, with the rules' own
examples: the bracketed tokens at the start of the observation, templates among them
("[split L R]", "[bet X]") filled in with numbers the run has seen in legal actions or shown in
the current state (or with its capital letters), so a kind of move the proposer never makes
still reaches the verifier (and the vocabulary, once the engine accepts one). The oracle judges
every one."""

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
_SMALL_NUMBER = re.compile(r"(?<![\d.])\d{1,2}(?![\d.])")
_CAPITAL = re.compile(r"[A-Z]")


def rule_examples(observation: str, numbers: list[int], rng: random.Random, count: int = 3,
                  head_chars: int = 4000, tail_chars: int = 1500) -> list[str]:
    """Up to ``count`` of the rules' bracketed examples, templates filled in. Each single
    capital letter standing alone ("L", "X") becomes a number: one of ``numbers`` (seen in legal
    actions) or of the small numbers the current state shows (0-9 if none); in half the tokens
    it may instead become a capital letter the current state shows, since a placeholder can
    name a letter ("[A 5]" in Cryptarithm, where the letters are the puzzle's)."""
    tokens = list(dict.fromkeys(_TOKEN.findall(observation[:head_chars])))
    state = observation[-tail_chars:]
    pool = sorted({*numbers, *map(int, _SMALL_NUMBER.findall(state))}) or list(range(10))
    letters = sorted(set(_CAPITAL.findall(state)))
    found = []
    for token in rng.sample(tokens, min(len(tokens), count)):
        # (no draw where nothing is filled in: the other probes' draws stay as they were)
        lettered = letters and _PLACEHOLDER.search(token) and rng.random() < 0.5
        share = 0.5 if lettered else 0.0  # of the placeholders made letters
        found.append(_PLACEHOLDER.sub(lambda _m, share=share: _fill(pool, letters, share, rng),
                                      token))
    return found


def _fill(pool: list[int], letters: list[str], share: float, rng: random.Random) -> str:
    return rng.choice(letters) if share and rng.random() < share else str(rng.choice(pool))


def shown_number(action: str, observation: str, rng: random.Random,
                 tail_chars: int = 1500) -> list[str]:
    """``action`` with one of its numbers replaced by a number the current state shows (a
    stack, a pot, a count): the bet of a whole stack, which no nudge by one reaches."""
    spots = list(_NUMBER.finditer(action))
    shown = sorted(set(_NUMBER.findall(observation[-tail_chars:])) - {m.group() for m in spots})
    if not spots or not shown:
        return []
    spot = rng.choice(spots)
    probe = action[:spot.start()] + rng.choice(shown) + action[spot.end():]
    return [probe] if len(probe) <= DEFAULT_MAX_ACTION_LEN else []


def stress_mix(observation: str, action: str | None, rng: random.Random,
               numbers: list[int] | None = None) -> list[str]:
    """Mutations of ``action`` (when there is one, and one with a number the state shows),
    quoted tokens, the rules' examples and one malformed string."""
    pool = mutations(action, rng) + shown_number(action, observation, rng) if action else []
    pool += quoted_tokens(observation, rng)
    pool += rule_examples(observation, numbers or [], rng)
    pool.append(rng.choice(MALFORMED))
    return list(dict.fromkeys(pool))
