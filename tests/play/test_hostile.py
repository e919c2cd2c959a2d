"""Harnesses that hang or crash during play: the move still happens, the match completes, and the
record says the agent's own move was played unchecked. Plus plain callables getting feedback."""

import re

import pytest

from autoharness.harness.runtime import SandboxedHarness
from autoharness.play import HarnessedAgent, play_games
from autoharness.play.harnessed import HARNESS_PROPOSED, UNVERIFIED
from tests.play.conftest import sandboxed

HEADER = '''"""Hostile on purpose."""
GAMES = ["TicTacToe-v0"]
PROVENANCE = {"method": "hand-written"}
'''
HANGS = HEADER + '''
def propose_action(obs: str) -> str:
    while True:
        pass

def eval_action(obs: str, action: str) -> bool:
    while True:
        pass
'''
CRASHES = HEADER + '''
def propose_action(obs: str) -> str:
    raise RuntimeError("boom")

def eval_action(obs: str, action: str) -> bool:
    return 1 / 0
'''
REJECTS_ALL_THEN_CRASHES = HEADER + '''
def propose_action(obs: str) -> str:
    raise MemoryError("no")

def eval_action(obs: str, action: str) -> bool:
    return False
'''


def first_free_cell(obs: str) -> str:
    board = obs.rsplit("Current Board:", 1)[-1]
    cells = re.findall(r"^ ?(\S) \| (\S) \| (\S) ?$", board, re.MULTILINE)[:3]
    free = [c for row in cells for c in row if c.isdigit()]
    return f"[{free[0]}]"


def last_free_cell(obs: str) -> str:
    board = obs.rsplit("Current Board:", 1)[-1]
    cells = re.findall(r"^ ?(\S) \| (\S) \| (\S) ?$", board, re.MULTILINE)[:3]
    free = [c for row in cells for c in row if c.isdigit()]
    return f"[{free[-1]}]"


@pytest.mark.parametrize(("source", "failure"), [(HANGS, "timeout"), (CRASHES, "exception")])
def test_a_hanging_or_crashing_harness_does_not_stop_the_match(source, failure):
    with SandboxedHarness(source, name="hostile.py", timeout=0.2) as harness:
        agent = HarnessedAgent(first_free_cell, harness)
        results = play_games("TicTacToe-v0", agent, last_free_cell, games=2, seed=0)
    assert [g.outcome in ("win", "draw", "loss") for g in results.games] == [True, True]
    assert results.agent.moves >= 5
    assert results.agent.illegal_to_engine == 0
    assert results.agent.fallbacks == results.agent.moves
    for record in agent.records:
        assert record.fallback == UNVERIFIED
        assert record.action == record.attempts[0].action  # the agent's own proposal
        assert failure in record.attempts[0].harness_failure
        assert record.engine_legal is True


def test_a_harness_that_rejects_everything_and_cannot_propose():
    with SandboxedHarness(REJECTS_ALL_THEN_CRASHES, name="hostile.py") as harness:
        agent = HarnessedAgent(first_free_cell, harness, max_retries=2)
        results = play_games("TicTacToe-v0", agent, last_free_cell, games=1, seed=0)
    assert results.games[0].outcome in ("win", "draw", "loss")
    for record in agent.records:
        assert record.retries == 2
        assert record.fallback == UNVERIFIED
        assert "propose_action failed" in record.attempts[-1].harness_failure
        assert record.engine_legal is True


def test_plain_callables_get_feedback_in_the_observation():
    seen: list[str] = []

    def careless(obs: str) -> str:
        seen.append(obs)
        if "[HARNESS]" not in obs:
            return "[9]"  # there is no cell 9
        assert 'Your move "[9]" was rejected' in obs
        return first_free_cell(obs)

    with sandboxed("TicTacToe-v0", seed=0) as harness:
        agent = HarnessedAgent(careless, harness)
        assert agent(_start_observation()) == "[0]"  # a TextArena agent itself
        results = play_games("TicTacToe-v0", agent, last_free_cell, games=1, seed=0)
    assert results.agent.illegal_to_engine == 0
    assert results.agent.retries == results.agent.moves
    assert sum("[HARNESS]" in obs for obs in seen) == len(seen) // 2


def test_rejections_used_up_the_harness_plays():
    with sandboxed("TicTacToe-v0", seed=0) as harness:
        agent = HarnessedAgent(lambda obs: "[9]", harness, max_retries=3)
        results = play_games("TicTacToe-v0", agent, last_free_cell, games=2, seed=0)
    assert results.agent.illegal_to_engine == 0
    assert all(r.fallback == HARNESS_PROPOSED and r.retries == 3 for r in agent.records)
    assert all(r.attempts[-1].source == "harness" for r in agent.records)


def _start_observation() -> str:
    from autoharness.arena import GameEnv

    return GameEnv("TicTacToe-v0", seed=0).observation()
