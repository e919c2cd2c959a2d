"""One benchmark row: one game, all its seeds, in one worker process."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autoharness.arena.catalogue import game_info, num_players
from autoharness.defaults import DEFAULT_STRESS_POSITIONS

COLUMNS = [
    "game", "players", "status", "harness", "agent", "engine", "legal_rate", "actions",
    "illegal_actions", "illegal_stuck", "illegal_undecidable", "episodes_finished",
    "false_accepts", "false_rejects", "false_reject_rate", "undecidable_false_accepts",
    "undecidable_false_rejects", "stress_checks", "harness_failures", "engine_errors",
    "engine_error_accepts", "retries", "fallbacks", "unwrapped_legal_rate", "paper_llm_calls",
    "elapsed_s", "error",
]
# engine_errors: actions the engine raised on, illegal (inside illegal_actions);
# illegal_stuck / illegal_undecidable: illegal actions at stuck positions / forced guesses on
# verdicts the observation cannot decide (harness/stuck.py), inside illegal_actions;
# false_accepts / false_rejects: on decidable verdicts; undecidable_false_*: the others.


@dataclass(frozen=True)
class GameTask:
    game: str
    seeds: tuple[int, ...]
    steps: int
    agent: str = "harness"  # harness | noisy:P | provider/model
    harness: str = "auto"  # auto (the library's) | none | a file path
    stress_positions: int = DEFAULT_STRESS_POSITIONS
    timeout: float = 1.0
    engine: str = "stock"  # the engine profile (arena/profiles.py)


def _base_row(task: GameTask) -> dict[str, Any]:
    info = game_info(task.game)
    return {"game": task.game, "players": num_players(task.game), "agent": task.agent,
            "engine": task.engine, "paper_llm_calls": info.paper_llm_calls if info else None,
            "retries": 0, "fallbacks": 0}


def harness_file(task: GameTask) -> Path | None:
    if task.harness not in ("auto", "none"):
        return Path(task.harness)
    from autoharness.harness.library import find_harness

    return find_harness(task.game)


class RowStatus(Exception):
    """Why a game has no measurement: the row's status (missing, broken, ...) and message."""

    def __init__(self, status: str, error: str, **fields: Any) -> None:
        super().__init__(error)
        self.row = {"status": status, "error": error, **fields}


def checked_harness(task: GameTask) -> tuple[Path, str]:
    """The harness file serving the task's game and its source, after the static checks."""
    from autoharness.harness.checks import check_source
    from autoharness.harness.errors import HarnessError
    from autoharness.harness.library import read_source

    path = harness_file(task)
    if path is None:
        raise RowStatus("missing", "no harness serves this game")
    try:
        source = read_source(path)
    except HarnessError as error:
        raise RowStatus("broken", str(error), harness=path.name) from None
    problems = check_source(source)
    if problems:
        raise RowStatus("broken", str(problems[0]), harness=path.name)
    return path, source


def run_game(task: GameTask) -> dict[str, Any]:
    """Benchmark one game; never raises: a broken harness or engine becomes the row's status."""
    row = _base_row(task)
    started = time.perf_counter()
    try:
        if task.agent == "harness":
            row.update(_run_harness_agent(task))
        else:
            from autoharness.bench.wrapped import run_wrapped_agent

            row.update(run_wrapped_agent(task))
    except RowStatus as status:
        row.update(status.row)
    except Exception as error:  # recorded, and the benchmark goes on
        row.update(status="error", error=f"{type(error).__name__}: {error}",
                   traceback=traceback.format_exc(limit=4))
    row["elapsed_s"] = round(time.perf_counter() - started, 2)
    return row


def _run_harness_agent(task: GameTask) -> dict[str, Any]:
    from autoharness.harness.runtime import SandboxedHarness
    from autoharness.harness.verify import verify

    if task.harness == "none":
        raise RowStatus("skipped", "the harness agent needs a harness")
    path, source = checked_harness(task)
    with SandboxedHarness(source, name=path.name, timeout=task.timeout, seed=0,
                          engine=task.engine) as harness:
        report = verify(task.game, harness, task.seeds, task.steps,
                        stress_positions=task.stress_positions, engine=task.engine)
    figures = report.figures()
    figures.pop("game")
    figures.pop("elapsed_s")
    status = "ok" if report.harness_failures == 0 else "harness_failures"
    return {"status": status, "harness": path.name, "harness_path": str(path.resolve()),
            **figures}
