"""Every benchmark game has a library harness, and a short run of it stays clean.

One seed × 100 actions per game, through the sandbox: a regression in any harness (or in the
engine glue it relies on) fails here. The full 10 × 1000 figures are in each harness's card and in
eval/results/paper-harness.
"""

import pytest

from autoharness.arena import benchmark_ids
from autoharness.harness.checks import check_source
from autoharness.harness.library import find_harness, list_harnesses
from autoharness.harness.runtime import SandboxedHarness
from autoharness.harness.verify import verify

# Where a perfect score is impossible for any harness: in Minesweeper clicking a hidden mine is an
# invalid move, and a position where no hidden cell is provably safe forces a guess
# (tests/harness/test_minesweeper_solver.py). Every other game has a legal move a harness can find
# at every position it lets the game reach (tests/harness/test_dead_end_steering.py).
HIDDEN_MINES = ("Minesweeper",)


@pytest.mark.parametrize("game_id", benchmark_ids())
def test_short_run_is_clean(game_id: str) -> None:
    path = find_harness(game_id)
    assert path is not None, f"no harness serves {game_id}"
    source = path.read_text()
    assert check_source(source) == []
    with SandboxedHarness(source, name=path.name, seed=0) as harness:
        report = verify(game_id, harness, [0], 100, stress_positions=12)
    assert report.actions == 100 and report.harness_failures == 0
    assert report.narrow_proposer == 0, report.contradictions[:3]
    assert report.false_rejects == 0, report.contradictions[:3]
    assert report.false_accepts == 0, report.contradictions[:3]  # on decidable verdicts
    if game_id.startswith(HIDDEN_MINES):
        assert report.avoidable_illegal_actions == 0, report.contradictions[:3]
    else:
        assert report.legal_rate == 1.0, report.contradictions[:3]


def test_every_harness_file_says_how_it_was_made_and_what_it_scored() -> None:
    for path, card in list_harnesses():
        assert card.provenance.get("method") in ("hand-written", "learned"), path
        if card.provenance["method"] == "learned":
            assert card.provenance.get("model") and card.provenance.get("llm_calls"), path
        assert card.games, path
        for game in card.games:
            figures = card.verified.get(game)
            assert figures and figures["command"].startswith(f"autoharness verify {game} "), (
                f"{path.name} has no verified figures for {game}")
            assert figures["actions"] > 0 and 0.0 <= figures["legal_rate"] <= 1.0
