"""An action on which the engine raises is illegal, with reason "engine error: ..."."""

from __future__ import annotations

import pytest

from autoharness.arena import GameEnv
from autoharness.arena.env import ENGINE_ERROR
from autoharness.harness.runtime import InProcessHarness
from autoharness.harness.verify import verify
from autoharness.play import HarnessedAgent


def _crashes(env: GameEnv, action: str, exception: str) -> None:
    verdict = env.is_legal(action)
    assert not verdict.legal
    assert verdict.reason.startswith(ENGINE_ERROR + exception), verdict
    assert verdict.engine_error.startswith(exception)


def test_chess_null_move_is_illegal_and_ends_the_episode_when_played():
    env = GameEnv("Chess-v0", seed=0)
    _crashes(env, "[e2e2]", "InvalidMoveError")
    assert env.is_legal("[e2e4]").legal  # the oracle's copy crashed, not the env
    result = env.step("[e2e2]")
    assert not result.legal and result.done and result.engine_error
    assert result.reason.startswith(ENGINE_ERROR)


def test_stratego_moving_from_a_lake_square_crashes():
    env = GameEnv("Stratego-v0", seed=0)
    _crashes(env, "[E2 D2]", "TypeError")  # (4, 2) is a lake: "~"["player"]
    assert not env.done


def test_spite_and_malice_bare_play_crashes():
    env = GameEnv("SpiteAndMalice-v0", seed=0)
    _crashes(env, "[play]", "ValueError")


_ACCEPTS_EVERYTHING = '''
GAMES = ["Chess-v0"]
def propose_action(observation):
    return "[e2e2]"
def eval_action(observation, action):
    return True
'''


def test_verify_counts_a_crashing_move_as_illegal_and_accepting_it_as_a_false_accept():
    harness = InProcessHarness(_ACCEPTS_EVERYTHING, name="accepts.py")
    report = verify("Chess-v0", harness, [0], 4, stress_positions=4)
    assert report.actions == 4
    assert report.illegal_actions == report.engine_errors == 4
    assert report.engine_error_accepts >= 1
    assert report.false_accepts >= report.engine_error_accepts
    assert report.stress_engine_errors >= report.engine_error_accepts
    assert not report.clean


_REJECTS_NULL_MOVES = '''
GAMES = ["Chess-v0"]
def propose_action(observation):
    return "[e2e4]"
def eval_action(observation, action):
    return action.strip() != "[e2e2]"
'''


class _NullMover:
    name = "null-mover"

    def __call__(self, observation: str) -> str:
        return "[e2e2]"


@pytest.mark.parametrize("mode", ["verify", "filter"])
def test_the_wrapper_never_forwards_a_move_its_verifier_rejects(mode):
    harness = InProcessHarness(_REJECTS_NULL_MOVES, name="rejects.py")
    agent = HarnessedAgent(_NullMover(), harness, max_retries=2, mode=mode)
    env = GameEnv("Chess-v0", seed=0)
    record = agent.act(env.observation(), env.current_player)
    assert record.action == "[e2e4]"
    assert all(a.verdict is False for a in record.attempts if a.action == "[e2e2]")
    assert env.step(record.action).legal
