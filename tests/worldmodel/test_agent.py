"""The planner agents in play: spec parsing, no illegal move, the engine-model twin."""

import pytest

from autoharness.play.agents import AgentSpecError, build_agent, parse_agent_spec
from autoharness.play.match import play_games
from autoharness.worldmodel.agent import Budget, MCTSAgent, parse_budget
from tests.worldmodel.helpers import library


def test_budget_specs():
    assert parse_agent_spec("mcts").options["budget"] == Budget(200, None)
    assert parse_agent_spec("MCTS:50").kind == "mcts"
    assert parse_agent_spec("mcts:0.5s").options["budget"] == Budget(None, 0.5)
    assert parse_agent_spec("mcts-engine:30").options["budget"] == Budget(30, None)
    assert parse_agent_spec("mcts").needs_harness
    for bad in ("mcts:0", "mcts:-3", "mcts:1.5", "mcts:fast", "mcts:0s"):
        with pytest.raises(AgentSpecError):
            parse_budget(bad.partition(":")[2], bad)


def test_mcts_needs_a_world_model():
    class Harness:
        source = 'GAMES = ["TicTacToe-v0"]\ndef propose_action(obs): return "[0]"\n'
        name = "bare.py"

    with pytest.raises(AgentSpecError, match="does not define parse_state"):
        build_agent("mcts", harness=Harness())


def test_mcts_plays_tictactoe_legally_and_beats_random_play():
    results = play_games("TicTacToe-v0", "mcts:150", "harness", games=6, seed=100)
    assert results.agent.illegal_to_engine == 0
    record = results.results()
    assert record["losses"] == 0 and record["wins"] >= 4, record


def test_the_engine_model_planner_plays_on_the_live_engine():
    results = play_games("Nim-v0", "mcts-engine:40", "harness", games=1, seed=7)
    assert results.agent.illegal_to_engine == 0
    assert results.results()["wins"] == 1


def test_seconds_budget_and_retry_picks_another_action():
    agent = MCTSAgent(library("nim"), Budget(None, 0.3), seed=1)
    try:
        from autoharness.arena import GameEnv
        from autoharness.play.agents import Rejection

        obs = GameEnv("Nim-v0", seed=0).observation()
        first = agent.propose(obs)
        assert first.action is not None and agent.simulations > 50
        again = agent.propose(obs, history=[Rejection(first.action, first.action, "no")])
        assert again.action not in (None, first.action)
    finally:
        agent.close()
