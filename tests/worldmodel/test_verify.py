"""verify --world-model against the engine: the library models pass, planted bugs are caught in
the tier and kind they belong to, tiers gate each other."""

import pytest

from autoharness.worldmodel.verify import verify_world_model
from tests.worldmodel.helpers import library, mutant, world_model_only

FAST = {"sound_checks": 4, "probes": 3, "samples": 8, "max_samples": 256, "max_rerolls": 256}


def check(game, source, seeds, steps, **settings):
    return verify_world_model(game, source, seeds, steps, settings={**FAST, **settings})


def tiers(report):
    return {name: round(tier.score, 4) for name, tier in report.tiers.items()}


def kinds(report, tier="dynamics"):
    return set(report.tiers[tier].counts)


def test_tictactoe_world_model_is_clean():
    report = check("TicTacToe-v0", library("tictactoe"), [11], 40)
    assert report.clean, report.to_dict()
    assert report.positions == 40 and report.episodes_finished >= 4
    assert report.tiers["dynamics"].checks > 300


@pytest.mark.parametrize(("old", "new", "kind"), [
    ("1 - player)", "player)", "transition_mismatch"),  # apply forgets to pass the turn
    ('if mark == "."]', 'if mark == "." and i != 4]', "legal_set_mismatch"),  # misses a move
    ('if mark == "."]', 'if mark == "."] + ["[9]"]', "legal_set_mismatch"),  # an illegal one
    ("return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]",
     "return [-1.0, 1.0] if winner == 0 else [1.0, -1.0]", "returns_mismatch"),
    ("(0, 4, 8), (2, 4, 6))", "(0, 4, 8))", "terminal_mismatch"),  # forgets a diagonal
])
def test_planted_bugs_are_caught_in_dynamics(old, new, kind):
    report = check("TicTacToe-v0", mutant("tictactoe", old, new), [0], 30)
    assert report.tiers["static"].score == 1.0
    assert report.tiers["dynamics"].score < 1.0 and kind in kinds(report), tiers(report)
    assert report.tiers["information"].gated and not report.clean


def test_a_model_that_changes_its_argument_fails_purity():
    source = world_model_only("nim").replace(
        "def apply(state: tuple, action: str) -> tuple:\n    piles, player = state",
        "def apply(state, action):\n    state = list(state) if isinstance(state, tuple) else state"
        "\n    piles, player = state[0], state[1]\n    state[1] = 1 - player")
    source = source.replace("def parse_state(obs: str) -> tuple:\n    return (",
                            "def parse_state(obs: str):\n    return [")
    source = source.replace("len(_REMOVED.findall(obs)) % 2)", "len(_REMOVED.findall(obs)) % 2]")
    report = check("Nim-v0", source, [0], 10)
    assert "purity" in kinds(report), tiers(report)


def test_a_missing_function_fails_static_and_gates_the_rest():
    source = world_model_only("tictactoe").replace("def returns(", "def _returns(")
    report = check("TicTacToe-v0", source, [0], 10)
    assert report.tiers["static"].score < 1.0 and "api" in kinds(report, "static")
    assert report.tiers["dynamics"].gated and report.tiers["information"].gated
    assert report.positions == 0 and report.score < 0.5


def test_kuhn_poker_hidden_cards_and_dealing_are_verified():
    report = check("KuhnPoker-v0", library("kuhnpoker"), [3], 20)
    assert report.clean and report.determinised, report.to_dict()
    assert report.tiers["information"].checks > 100
    wrong = mutant("kuhnpoker", "winner = 0 if cards[0] > cards[1] else 1",
                   "winner = 0 if cards[0] < cards[1] else 1")
    assert "transition_mismatch" in kinds(check("KuhnPoker-v0", wrong, [3], 20))


def test_a_sampler_that_ignores_what_the_player_saw_fails_information():
    lazy = mutant("kuhnpoker",
                  "cards = tuple(c if c is not None else free.pop(rng.randrange(len(free))) "
                  "for c in cards)",
                  "cards = tuple(free[0] for c in cards)")  # overwrites the player's own card
    report = check("KuhnPoker-v0", lazy, [3], 15)
    assert report.tiers["dynamics"].score == 1.0
    assert "determinisation" in kinds(report, "information"), tiers(report)


def test_2048_chance_is_checked_both_ways():
    # a model that spawns 8s: outcomes the engine never produces
    eights = mutant("game2048", "board[rng.choice(empties)] = 4 if rng.random() < 0.1 else 2",
                    "board[rng.choice(empties)] = 8 if rng.random() < 0.1 else 2")
    report = check("2048-v0", eights, [0], 6, reroll_every=1, samples=16, max_samples=64,
                   max_rerolls=128)
    assert "transition_mismatch" in kinds(report), tiers(report)
