"""verify must catch a chess verifier that rejects castling, or promotion (two planted bugs)."""

from pathlib import Path

import pytest

from autoharness.harness.runtime import SandboxedHarness
from autoharness.harness.verify import FALSE_REJECT, verify

LIBRARY_CHESS = (Path(__file__).resolve().parents[1] / "harnesses" / "chess.py").read_text()
CASTLING = ("e1g1", "e1c1", "e8g8", "e8c8")

REJECTS_CASTLING = '''
_library_eval = eval_action

def eval_action(obs, action):
    if action.strip("[] ").lower() in ("e1g1", "e1c1", "e8g8", "e8c8"):
        return False  # planted bug
    return _library_eval(obs, action)
'''

REJECTS_PROMOTION = '''
_library_eval = eval_action

def eval_action(obs, action):
    if len(action.strip("[] ")) == 5:
        return False  # planted bug: every promotion judged illegal
    return _library_eval(obs, action)
'''


def is_castling(action: str) -> bool:
    return action.strip("[] ").lower() in CASTLING


def is_promotion(action: str) -> bool:
    return len(action.strip("[] ")) == 5


@pytest.mark.parametrize(("bug", "kind_of_move"), [(REJECTS_CASTLING, is_castling),
                                                   (REJECTS_PROMOTION, is_promotion)])
def test_false_rejects_name_the_rejected_moves(bug: str, kind_of_move) -> None:
    with SandboxedHarness(LIBRARY_CHESS + bug, name="buggy-chess", seed=0) as harness:
        report = verify("Chess-v0", harness, range(6), 400, stress_positions=1200,
                        max_contradictions=500)
    assert report.legal_rate == 1.0  # the proposer is fine; only the verifier is wrong
    assert report.false_accepts == 0
    rejected = [c.action for c in report.contradictions if c.kind == FALSE_REJECT]
    assert rejected and all(kind_of_move(action) for action in rejected), rejected


def test_the_library_chess_harness_has_neither_bug() -> None:
    with SandboxedHarness(LIBRARY_CHESS, name="chess", seed=0) as harness:
        report = verify("Chess-v0", harness, range(6), 400, stress_positions=1200)
    assert report.clean, report.contradiction_counts
