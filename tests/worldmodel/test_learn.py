"""learn --objective world-model end to end with the scripted LLM (not an LLM result): the
refiner is shown the engine's truth for a transition mismatch, and a corrected model confirms."""

from autoharness.learn.config import LearnConfig
from autoharness.learn.loop import learn
from autoharness.llm.scripted import ScriptedLLM
from tests.worldmodel.helpers import MARKER, library


def fenced(code: str) -> str:
    return f"Here is the program.\n```python\n{code}\n```\n"


def test_world_model_objective_feeds_contradictions_and_confirms(tmp_path):
    model = library("tictactoe")
    code = ("import re\n_ACTION = re.compile(r'\\[\\s*(\\d+)\\s*\\]')\n"
            + model[model.index(MARKER):])
    stuck_turn = code.replace("1 - player)", "player)")
    llm = ScriptedLLM([fenced(stuck_turn), fenced(code)])
    config = LearnConfig(game="TicTacToe-v0", model="scripted/test", envs=2, steps=20,
                         max_llm_calls=3, objective="world-model")
    result = learn(config, llm, tmp_path / "run")
    assert result.confirmed and result.llm_calls == 2
    assert "def parse_state" in result.best_source
    assert "def propose_action" not in result.best_source
    first, second = (call.text for call in llm.calls)
    assert "world model" in first and "model failure" in first  # the skeleton raises
    assert "transition mismatch" in second and "player mismatch" in second
    assert "parse_state(next observation) =" in second  # the engine's truth, as parsed
    assert "The observation after the action ends with" in second
