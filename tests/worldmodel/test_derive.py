"""The world model in the harness format: static checks, derived propose/eval, the planner
block appended to run in the worker."""

from autoharness.arena import GameEnv
from autoharness.harness.checks import check_source
from autoharness.harness.runtime import InProcessHarness, SandboxedHarness
from autoharness.worldmodel.derive import complete, defined_functions, with_planner
from tests.worldmodel.helpers import library, world_model_only


def test_files_with_their_own_propose_and_eval_are_unchanged():
    source = library("tictactoe")
    assert complete(source) is source


def test_a_file_without_a_world_model_is_unchanged_and_still_needs_propose_and_eval():
    source = 'GAMES = ["TicTacToe-v0"]\n\ndef parse_state(obs):\n    return obs\n'
    assert complete(source) == source
    assert any(p.code == "missing" for p in check_source(source))


def test_a_world_model_file_passes_the_static_checks_without_propose_and_eval():
    source = world_model_only("tictactoe")
    assert "def propose_action" not in source and "def eval_action" not in source
    assert check_source(source) == []
    assert {"propose_action", "eval_action"} <= defined_functions(complete(source))


def test_world_model_functions_are_arity_checked():
    source = world_model_only("tictactoe").replace("def apply(state: tuple, action: str)",
                                                   "def apply(state: tuple)")
    problems = check_source(source)
    assert any(p.code == "arity" and "apply" in p.message for p in problems)


def test_derived_propose_and_eval_follow_the_world_model_and_the_engine():
    harness = InProcessHarness(world_model_only("tictactoe"), seed=1)
    env = GameEnv("TicTacToe-v0", seed=3)
    for _ in range(4):
        obs = env.observation()
        proposal = harness.propose(obs)
        assert env.is_legal(proposal).legal
        for action in ("[0]", "4", " [ 8 ] ", "[9]", "move [2] please", "[x]"):
            assert harness.evaluate(obs, action) == env.is_legal(action).legal, action
        env.step(proposal)


def test_the_planner_runs_inside_the_sandbox_worker():
    with SandboxedHarness(with_planner(library("tictactoe")), timeout=30, budget=None) as h:
        env = GameEnv("TicTacToe-v0", seed=0)
        result = h.call("plan", env.observation(), {"simulations": 300, "seed": 2})
        assert isinstance(result, dict) and result["simulations"] == 300
        assert env.is_legal(result["action"]).legal
        assert sum(result["visits"].values()) == 300
        again = h.call("plan", env.observation(), {"simulations": 300, "seed": 2})
        assert again["visits"] == result["visits"]  # seeded: the same search
