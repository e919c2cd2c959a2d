"""Positions after a rejected move, and moves the first bracketed token does not name.

In play, an illegal move (an agent's, or one a verifier let through) is followed by the engine's
rejection notice and the same player asked again. The probe engine's lanes only play legal
moves, so before it probed those positions a harness that broke on the notice looked clean
(the corpus's minesweeper:crash_rare_word; "Please" is in the notice). And where the engine
lists no moves, moves were named by their first bracketed token: every NewRecruit package was
"propose", every Tak placement of a flat stone "f0", so a proposer offering one package always
passed the spread test."""

from pathlib import Path

from autoharness.harness.runtime import InProcessHarness
from autoharness.probes import (
    FALSE_ACCEPT,
    HARNESS_FAILURE,
    NARROW_PROPOSER,
    ProbePlan,
    run_probes,
)
from autoharness.probes.coverage import move_class, move_key, move_text
from autoharness.probes.kinds import SOURCE_RETRY

HARNESSES = Path(__file__).resolve().parents[2] / "harnesses"
NOTICE = "attempted an invalid move"

BREAKS_ON_THE_NOTICE = f'''
_library_propose = propose_action

def propose_action(obs: str) -> str:
    if {NOTICE!r} in obs:
        raise KeyError("Reason")  # a message it never saw while it was written
    return _library_propose(obs)
'''

ACCEPTS_AFTER_THE_NOTICE = f'''
_library_eval = eval_action

def eval_action(obs: str, action: str) -> bool:
    return {NOTICE!r} in obs or _library_eval(obs, action)
'''

ONE_PACKAGE = '''
_library_propose = propose_action

def propose_action(obs: str) -> str:
    action = _library_propose(obs)
    if "[Propose]" in action:  # the rationale varies; the package never does
        return action.split("[Propose]")[0] + "[Propose] AAAAAAAA"
    return action
'''


def probe(family: str, game: str, extra: str = "", seeds=range(4), steps: int = 100,
          positions: int = 100, **plan):
    source = (HARNESSES / f"{family}.py").read_text() + extra
    with InProcessHarness(source, name=f"{family}.py", seed=0) as harness:
        return run_probes(game, harness, seeds, steps,
                          plan=ProbePlan(positions=positions, **plan))


def test_a_proposer_that_breaks_on_the_rejection_notice_is_caught() -> None:
    report = probe("tictactoe", "TicTacToe-v0", BREAKS_ON_THE_NOTICE)
    failures = [c for c in report.contradictions if c.kind == HARNESS_FAILURE]
    assert failures and {c.source for c in failures} == {SOURCE_RETRY}
    assert all(NOTICE in c.observation and "KeyError" in c.failure for c in failures)
    assert not report.clean and report.score.h < 1.0


def test_a_verifier_that_accepts_anything_after_the_notice_is_caught() -> None:
    report = probe("connectfour", "ConnectFour-v0", ACCEPTS_AFTER_THE_NOTICE)
    accepts = [c for c in report.contradictions if c.kind == FALSE_ACCEPT]
    assert accepts and {c.source for c in accepts} == {SOURCE_RETRY}


def test_library_harnesses_are_clean_after_a_rejection() -> None:
    for family, game in (("tictactoe", "TicTacToe-v0"), ("chess", "Chess-v0"),
                         ("minesweeper", "Minesweeper-v0")):
        report = probe(family, game, retry_share=1.0, positions=40)
        assert report.retry_positions >= 20, (game, report.retry_positions)
        assert report.positions_probed >= report.retry_positions
        assert report.clean, (game, report.contradiction_counts)


def test_no_retry_position_where_a_rejected_move_ends_the_player() -> None:
    report = probe("snake", "Snake-v0", retry_share=1.0, positions=40)
    assert report.positions_probed and report.retry_positions == 0
    assert report.clean, report.contradiction_counts


def test_retry_share_zero_probes_none() -> None:
    assert probe("tictactoe", "TicTacToe-v0", BREAKS_ON_THE_NOTICE, retry_share=0.0).clean


def test_move_text_keeps_what_the_first_bracketed_token_drops() -> None:
    assert move_key("I think this is fair. [Propose] ABCDEAAA") == "propose"
    assert move_text("I think this is fair. [Propose] ABCDEAAA") == "propose abcdeaaa"
    assert move_text("[Propose] ABCDEAAA") == move_text("Fair. [propose]  abcdeaaa")
    assert move_key("[place () {(2,3): [F0]}]") == "f0"
    tak = move_text("[place () {(2,3): [F0]}]")
    assert tak != move_text("[place () {(2,4): [F0]}]") and move_class(tak) == "place"


def test_a_proposer_offering_one_package_is_narrow_and_the_library_is_not() -> None:
    narrow = probe("newrecruit", "NewRecruit-v0", ONE_PACKAGE, seeds=range(10), positions=200)
    findings = [c for c in narrow.contradictions if c.kind == NARROW_PROPOSER]
    assert findings, narrow.contradiction_counts
    assert any("aaaaaaaa" not in m.lower() for c in findings for m in c.missing)
    library = probe("newrecruit", "NewRecruit-v0", seeds=range(10), positions=200)
    assert library.clean, library.contradiction_counts

