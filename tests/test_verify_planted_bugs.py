"""verify must catch a chess verifier that rejects castling and promotions (planted bugs)."""

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


REJECTS_BOTH = REJECTS_CASTLING + REJECTS_PROMOTION.replace("_library_eval = eval_action", "")


@pytest.mark.slow  # minutes in the sandbox; tests/probes/test_holes.py runs these bugs in-process
def test_false_rejects_name_the_rejected_moves() -> None:
    """Through verify and the sandbox: castling and promotions reach the verifier from the
    engine's own move list, whatever the proposer plays (the issue's seeds 41-46, 600 steps)."""
    with SandboxedHarness(LIBRARY_CHESS + REJECTS_BOTH, name="buggy-chess", seed=0) as harness:
        report = verify("Chess-v0", harness, range(41, 47), 600, max_contradictions=500)
    assert report.legal_rate == 1.0  # the proposer is fine; only the verifier is wrong
    assert report.false_accepts == report.engine_error_accepts  # none but the library's own
    rejected = [c.action for c in report.contradictions if c.kind == FALSE_REJECT]
    assert all(is_castling(a) or is_promotion(a) for a in rejected), rejected
    assert any(is_castling(a) for a in rejected) and any(is_promotion(a) for a in rejected)


@pytest.mark.slow
def test_the_library_chess_harness_has_neither_bug() -> None:
    with SandboxedHarness(LIBRARY_CHESS, name="chess", seed=0) as harness:
        report = verify("Chess-v0", harness, range(41, 47), 600)
    assert report.false_rejects == 0 and report.legal_rate == 1.0
    assert report.narrow_proposer == 0 and report.harness_failures == 0
    # Null moves such as [e2e2] make the engine raise: illegal since the engine-error change;
    # the library's eval_action accepting them is its own (known) false accept.
    assert report.false_accepts == report.engine_error_accepts
