"""The legality benchmark: every game, seeds × steps, judged by the engine; see ``runner``."""

from autoharness.bench.runner import BenchConfig, run_bench
from autoharness.bench.tasks import GameTask, run_game

__all__ = ["BenchConfig", "GameTask", "run_bench", "run_game"]
