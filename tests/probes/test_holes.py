"""The holes of issue 14, each shown closed by the probe engine.

Planted bugs are the library harness plus a few lines (our code), so they run in-process; the
probe engine is the same one verify, bench and learn use through the sandbox."""

from pathlib import Path

import numpy as np
import pytest

from autoharness.harness.runtime import InProcessHarness
from autoharness.learn.tree import Node, thompson_choice
from autoharness.probes import FALSE_REJECT, NARROW_PROPOSER, ProbePlan, run_probes

HARNESSES = Path(__file__).resolve().parents[2] / "harnesses"
TICTACTOE = (HARNESSES / "tictactoe.py").read_text()
CHESS = (HARNESSES / "chess.py").read_text()

FIRST_FREE_CELL_REJECTS_8 = '''
def propose_action(obs: str) -> str:
    free = _free_cells(obs)
    return f"[{free[0]}]" if free else "[0]"

_library_eval = eval_action

def eval_action(obs: str, action: str) -> bool:
    return action.strip() != "[8]" and _library_eval(obs, action)
'''

RAISING_EVAL = '''
def eval_action(obs: str, action: str) -> bool:
    raise RuntimeError("not written yet")
'''

SKELETON = '''
def propose_action(obs: str) -> str:
    raise NotImplementedError

def eval_action(obs: str, action: str) -> bool:
    raise NotImplementedError
'''

SLIPS_ONE_MOVE_IN_FIVE = '''
import random as _random
_library_propose = propose_action

def propose_action(obs: str) -> str:
    action = _library_propose(obs)
    return "[9]" if _random.random() < 0.22 else action   # off the board, 22% of the time
'''


def probe(source: str, game: str = "TicTacToe-v0", seeds=range(4), steps: int = 100,
          positions: int = 100, watch=None):
    with InProcessHarness(source, name="planted.py", seed=0) as harness:
        return run_probes(game, harness, seeds, steps, plan=ProbePlan(positions=positions),
                          watch=watch)


def test_first_free_cell_harness_that_rejects_8_is_caught() -> None:
    report = probe(TICTACTOE + FIRST_FREE_CELL_REJECTS_8)
    rejected = {c.action for c in report.contradictions if c.kind == FALSE_REJECT}
    assert rejected == {"[8]"}  # the engine's own list brings [8] to the verifier
    assert report.contradiction_counts.get(NARROW_PROPOSER)  # and the proposer is narrow
    narrow = next(c for c in report.contradictions if c.kind == NARROW_PROPOSER)
    assert narrow.missing and narrow.function == "propose_action"
    assert not report.clean and report.legal_rate == 1.0


def test_library_tictactoe_is_clean() -> None:
    report = probe(TICTACTOE)
    assert report.clean and report.score.h == 1.0, report.contradiction_counts


def test_raising_eval_scores_zero_not_one() -> None:
    report = probe(TICTACTOE + RAISING_EVAL, seeds=range(2))
    assert report.legal_rate == 1.0  # the proposer is the library's
    assert report.score.verifier_agreement == 0.0 and report.score.h == 0.0
    assert not report.clean


def test_thompson_sampling_ranks_a_78_percent_harness_far_above_the_skeleton() -> None:
    slips = probe(TICTACTOE + SLIPS_ONE_MOVE_IN_FIVE, seeds=range(2)).score
    skeleton = probe(TICTACTOE + SKELETON, seeds=range(2)).score
    assert 0.70 < slips.proposer_legal_rate < 0.86 and slips.verifier_agreement == 1.0
    assert skeleton.h == 0.0
    nodes = [Node(0, None, score=skeleton.h, status="evaluated"),
             Node(1, 0, score=slips.h, status="evaluated")]
    rng = np.random.default_rng(0)
    picks = [thompson_choice(nodes, 10.0, rng).id for _ in range(2000)]
    assert picks.count(1) / len(picks) > 0.97


# ---- chess: rare legal classes the proposer need not play ---------------------------------------

PLANTED_CHESS = '''
_library_eval = eval_action
_library_propose = propose_action

def _planted_move(obs, action):
    match = re.search(r"([a-h][1-8][a-h][1-8][qrbn]?)", action.lower())
    if match is None:
        return None, None
    try:
        return _board(obs), chess.Move.from_uci(match.group(1))
    except ValueError:
        return None, None

def propose_action(obs):
    for _ in range(50):        # never under-promotes: the proposer cannot reveal that bug
        action = _library_propose(obs)
        if len(action.strip("[] ")) != 5 or action.strip("[] ").endswith("q"):
            return action
    return action

def eval_action(obs, action):
    board, move = _planted_move(obs, action)
    if board is not None and (board.is_en_passant(move) or board.is_castling(move)
                              or move.promotion not in (None, chess.QUEEN)):
        return False
    return _library_eval(obs, action)
'''


def _move_class(library: dict, observation: str, action: str) -> str:
    import chess

    board = library["_board"](observation)
    move = chess.Move.from_uci(action.strip("[] ").lower())
    if board.is_en_passant(move):
        return "en passant"
    if board.is_castling(move):
        return "castling"
    return "under-promotion" if move.promotion not in (None, chess.QUEEN) else "other"


def test_chess_verifier_rejecting_en_passant_castling_under_promotion_is_caught() -> None:
    """Seeds 41-46 (the issue's), 80 positions a lane; the proposer never under-promotes, so
    only the engine's own move list can show the verifier an under-promotion."""
    rejected: list = []

    def watch(item) -> bool:
        if item.kind == FALSE_REJECT:
            rejected.append((item.observation, item.action))
        return False

    report = probe(CHESS + PLANTED_CHESS, "Chess-v0", range(41, 47), 80, positions=20,
                   watch=watch)
    assert report.legal_rate == 1.0
    library: dict = {}
    exec(compile(CHESS, "chess.py", "exec"), library)
    found = {_move_class(library, observation, action) for observation, action in rejected}
    assert found == {"en passant", "castling", "under-promotion"}


REJECTS_EN_PASSANT = '''
_library_eval = eval_action

def eval_action(obs, action):
    match = re.search(r"([a-h][1-8][a-h][1-8][qrbn]?)", action.lower())
    if match and _board(obs).is_en_passant(chess.Move.from_uci(match.group(1))):
        return False
    return _library_eval(obs, action)
'''


@pytest.mark.slow  # minutes; eval/learn_signal.py's corpus has chess:rejects_en_passant too
def test_verify_catches_an_en_passant_rejecting_verifier_as_in_the_issue() -> None:
    from autoharness.harness.runtime import SandboxedHarness
    from autoharness.harness.verify import verify

    with SandboxedHarness(CHESS + REJECTS_EN_PASSANT, name="no-ep.py", seed=0) as harness:
        report = verify("Chess-v0", harness, range(41, 47), 600)
    assert report.false_rejects > 0
