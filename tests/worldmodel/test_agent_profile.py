"""The mcts agent's world model runs with the engine profile of the match (ENGINE_PROFILE)."""

from pathlib import Path

from autoharness.harness.runtime import SandboxedHarness
from autoharness.play.specs import build_agent

CHECKERS = Path(__file__).resolve().parents[2] / "harnesses" / "checkers.py"


def test_the_planner_worker_gets_the_harness_engine_profile() -> None:
    source = CHECKERS.read_text()
    for engine in ("stock", "fixed"):
        with SandboxedHarness(source, name="checkers.py", engine=engine) as harness:
            agent = build_agent("mcts:8", harness=harness, seed=0)
            try:
                assert agent.harness.engine == engine
            finally:
                agent.harness.close()
