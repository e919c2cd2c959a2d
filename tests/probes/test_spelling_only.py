"""Three corpus mutants change only how a move is spelled, so no signal that counts moves sees them.

surround:first_choice and surround:half_choice write the direction the library chose as "[up]"
(or "[up]"/"[w]") instead of any of its four spellings; liarsdice:half_choice writes the bid the
library chose as "[Bid: Q, F]" only. The learn-signal corpus counts them live, because its
liveness test compares exact strings; here the engine says they are the library's moves: at
positions of the library's own play, the distribution of the states their proposals reach is
the library's, within sampling noise, while a proposer that narrows the moves themselves is
far from it.
"""

import re
from collections import Counter
from pathlib import Path

import pytest

from autoharness.arena.env import GameEnv
from autoharness.harness.runtime import InProcessHarness

HARNESSES = Path(__file__).resolve().parents[2] / "harnesses"
CHOICE = re.compile(r"random\.choice\(([^()]+(?:\([^()]*\))?)\)")  # the corpus's edit pattern
FIRST = r"(\1)[0]"
HALF = r"random.choice(list(\1)[: max(1, len(list(\1)) // 2)])"
SAMPLES = 400
REPLIES = ["[up]", "[down]", "[left]", "[right]"]


def _distance(one: Counter, other: Counter) -> float:
    return sum(abs(one[m] - other[m]) for m in set(one) | set(other)) / (2 * SAMPLES)


def move_distance(family: str, game: str, edited: str, steps: int = 12) -> float:
    """How far, beyond sampling noise, the states the edited proposer's answers reach are from
    the library's: over positions of the library's own play, the largest total-variation
    distance between the two, less that between two samples of the library."""
    library = (HARNESSES / f"{family}.py").read_text()
    worst = 0.0
    with InProcessHarness(library, name="library.py", seed=0) as one, \
            InProcessHarness(edited, name="edited.py", seed=1) as other:
        env = GameEnv(game, seed=3)
        for _ in range(steps):
            if env.done:
                break
            observation = env.observation()
            # (all sampled before any is judged: an in-process harness draws from the global
            # random module, and a LiarsDice call's new round is rolled from it)
            answers = [h.propose_many([observation] * SAMPLES) for h in (one, one, other)]
            base, again, edit = (
                Counter(env.is_legal(a, outcome=True, replies=REPLIES).after for a in some)
                for some in answers)
            worst = max(worst, _distance(base, edit) - _distance(base, again))
            env.step(one.propose(observation))
    return worst


@pytest.mark.parametrize("family,game,edit", [("surround", "Surround-v0", FIRST),
                                              ("surround", "Surround-v0", HALF),
                                              ("liarsdice", "LiarsDice-v0", HALF)])
def test_a_spelling_only_mutant_proposes_the_library_s_moves(family: str, game: str,
                                                            edit: str) -> None:
    library = (HARNESSES / f"{family}.py").read_text()
    edited = CHOICE.sub(edit, library, count=1)
    assert edited != library
    assert move_distance(family, game, edited) < 0.08


def test_a_mutant_narrowing_the_moves_is_far_from_the_library() -> None:
    library = (HARNESSES / "surround.py").read_text()
    edited = library.replace("random.choice(_safe_directions(obs) or list(_MOVES))",
                             "(_safe_directions(obs) or list(_MOVES))[0]")
    assert edited != library
    assert move_distance("surround", "Surround-v0", edited) > 0.3
