"""The narrow-proposer test counts moves, as the engine tells them apart: two spellings that
reach one state are one move, a move that changes nothing or loses on the spot is none to ask
for. Without that, the library's own proposers were flagged narrow on other seeds (Poker's
"[raise N]" before any bet is its "[bet N]", Tower of Hanoi's "[A A]", Surround's walls)."""

from pathlib import Path

import pytest

from autoharness.arena.env import GameEnv
from autoharness.harness.runtime import InProcessHarness
from autoharness.probes import NARROW_PROPOSER, ProbePlan, run_probes

HARNESSES = Path(__file__).resolve().parents[2] / "harnesses"
SEEDS = range(20, 30)  # seeds on which the spelling-based test flagged the library


def test_spellings_of_one_move_share_a_state_key_and_a_no_op_keeps_it() -> None:
    hanoi = GameEnv("TowerOfHanoi-v0", seed=3)
    before = hanoi.state_key()
    assert hanoi.is_legal("[A A]", outcome=True).after == before  # legal, changes nothing
    assert (hanoi.is_legal("[A B]", outcome=True).after
            == hanoi.is_legal("[a, b]", outcome=True).after != before)
    chess = GameEnv("Chess-v0", seed=0)
    assert (chess.is_legal("[e2e4]", outcome=True).after
            == chess.is_legal("[E2E4]", outcome=True).after
            != chess.is_legal("[e2e3]", outcome=True).after)
    assert chess.is_legal("[e2e5]", outcome=True).after is None  # illegal: no state
    assert chess.state_key() == chess.state_key()


def test_poker_raise_before_any_bet_reaches_the_state_of_the_same_bet() -> None:
    env = GameEnv("Poker-v0", seed=0)
    for _ in range(20):
        if "[Bet" in env.observation() or "bet" in env.observation().lower():
            bet, raise_ = env.is_legal("[bet 7]", outcome=True), env.is_legal("[raise 7]",
                                                                             outcome=True)
            if bet.legal and raise_.legal:
                assert bet.after == raise_.after
                return
        env.step("[call]" if env.is_legal("[call]").legal else "[check]")
    pytest.skip("no position with both a bet and a raise of 7 legal in 20 steps")


# Seeds 100-109: Poker's library says "[bet N]" where a raise is legal, never "[raise N]";
# "bet" and "raise" are one kind once seen reaching one state anywhere in the run (a position
# where no such pair was probed had flagged "missed: class raise").
@pytest.mark.parametrize("family,game,seeds", [
    ("poker", "Poker-v0", SEEDS), ("poker", "Poker-v0", range(100, 110)),
    ("towerofhanoi", "TowerOfHanoi-v0", SEEDS), ("surround", "Surround-v0", SEEDS),
    ("liarsdice", "LiarsDice-v0", SEEDS), ("liarsdice", "LiarsDice-v0", range(100, 110)),
    ("tak", "Tak-v0", SEEDS)])
def test_library_proposers_are_not_flagged_narrow_on_other_seeds(family: str, game: str,
                                                                  seeds: range) -> None:
    source = (HARNESSES / f"{family}.py").read_text()
    with InProcessHarness(source, name=f"{family}.py", seed=0) as harness:
        report = run_probes(game, harness, seeds, 1000,
                            plan=ProbePlan(positions=1000, max_interactions=30_000))
    assert report.narrow_proposer == 0, [c.failure for c in report.contradictions
                                         if c.kind == NARROW_PROPOSER]


DETERMINISTIC = '''
import random as _random
_library_propose = propose_action

def propose_action(obs):
    state = _random.getstate()
    _random.seed(len(obs))
    try:
        return _library_propose(obs)
    finally:
        _random.setstate(state)
'''

NEVER_FROM_B = '''
_library_propose = propose_action

def propose_action(obs):
    for _ in range(30):
        action = _library_propose(obs)
        if not action.upper().startswith("[B"):
            return action
    return action
'''


@pytest.mark.parametrize("edit,unit", [(DETERMINISTIC, "stuck"), (NEVER_FROM_B, "b ")])
def test_a_narrow_hanoi_proposer_is_still_caught(edit: str, unit: str) -> None:
    source = (HARNESSES / "towerofhanoi.py").read_text() + edit
    with InProcessHarness(source, name="narrow.py", seed=0) as harness:
        report = run_probes("TowerOfHanoi-v0", harness, SEEDS, 1000,
                            plan=ProbePlan(positions=1000, max_interactions=30_000))
    patterns = [c.pattern or "" for c in report.contradictions if c.kind == NARROW_PROPOSER]
    assert any(unit in p for p in patterns), patterns


def test_a_surround_proposer_always_taking_the_first_safe_direction_is_caught() -> None:
    """Within run A's budget: synonyms of a direction ("[w]", "[up]", "[UP]") are one move,
    the four directions are not. (Not the corpus's surround:first_choice, which takes the first
    spelling of the direction the library chose: tests/probes/test_spelling_only.py.)"""
    library = (HARNESSES / "surround.py").read_text()
    first = "(_safe_directions(obs) or list(_MOVES))[0]"
    source = library.replace("random.choice(_safe_directions(obs) or list(_MOVES))", first)
    assert first in source
    with InProcessHarness(source, name="first.py", seed=0) as harness:
        report = run_probes("Surround-v0", harness, range(10), 100,
                            plan=ProbePlan(positions=200, max_interactions=10_000))
    assert report.narrow_proposer, report.contradiction_counts


def test_separators_do_not_make_another_move() -> None:
    from autoharness.probes.coverage import move_class, move_key

    spellings = ["[Bid: 12, 6]", "[bid 12 6]", "[bid 12,6]", "[BID:12,6]"]
    assert len({move_key(a) for a in spellings}) == 1
    assert move_class(move_key("[Bid: 12, 6]")) == "bid"
    assert move_key("[bid 1 26]") != move_key("[bid 12 6]")
