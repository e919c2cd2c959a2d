"""What a library harness's own play looks like: the profile operators aim their edits with, and
the vocabulary the truth reference samples from."""

from __future__ import annotations

import re
from collections import Counter

from autoharness.arena.rollout import play
from autoharness.harness.verify import harness_policy
from signal_corpus.operators import Profile, shape

PROFILE_SEED = 700_000
_WORD = re.compile(r"\b[A-Za-z]{5,}\b")


def build_profile(game: str, library, lanes: int = 4, steps: int = 60) -> tuple[Profile, list]:
    """The profile, and the legal actions the library played (its vocabulary)."""
    observations: list[str] = []
    legal: list[str] = []
    for record in play(game, [PROFILE_SEED + i for i in range(lanes)], steps,
                       harness_policy(library), keep_observations=True):
        observations.append(record.observation or "")
        if record.legal and record.action is not None:
            legal.append(record.action)
    profile = Profile(game)
    profile.shapes = Counter(shape(a) for a in legal)
    letters = "".join(ch for a in legal for ch in a if ch.isalpha())
    if letters and letters == letters.lower():
        profile.case = "lower"
    elif letters and letters == letters.upper():
        profile.case = "upper"
    numbers = [int(n) for a in legal for n in re.findall(r"\d+", a)]
    profile.max_number = max(numbers) if numbers else None
    profile.has_zero = 0 in numbers
    lengths = sorted(len(o) for o in observations)
    profile.obs_p90 = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    profile.bracketed = all(a.strip().startswith("[") for a in legal)
    presence: Counter = Counter()
    for observation in observations:
        presence.update(set(_WORD.findall(observation)))
    rare = sorted((n, w) for w, n in presence.items()
                  if 2 <= n <= max(2, len(observations) // 10))
    profile.rare_word = rare[0][1] if rare else None
    return profile, list(dict.fromkeys(legal))
