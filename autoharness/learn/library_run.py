"""``learn --games``: a learn run per game, several at once, resumable as a whole.

Each game is the single-game loop (``loop.learn``) on its own run directory under the parent
(``library_dir``), driven by a thread of this process: its LLM calls go out from here (at most
``llm_concurrency`` at once, over all games; the shared ``--total-cost`` reserved before each,
``total_budget``), its engine work (the opening rollout, every candidate's evaluation, the final
check) goes to the executor (``autoharness.scale``: local processes or Ray tasks), and only this
process writes files. As many games run at once as keep both busy: the executor's slots plus
the LLM slots.

Resuming: every game's run resumes by itself (a finished LLM call is never asked again), a game
whose harness was saved and checked is not redone, and a game whose check is on disk for the
same source is not re-measured. A fatal provider error (wrong key, unknown model) or a provider
that keeps failing stops new games from starting; the games under way end at their own stop.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from autoharness.bench.tasks import GameTask
from autoharness.learn.config import LearnConfig
from autoharness.learn.library_dir import LibraryDir, Plan, sha256_text, write_atomic
from autoharness.learn.library_save import saved_source, take_over
from autoharness.learn.rundir import RunDir
from autoharness.learn.total_budget import TotalBudget
from autoharness.llm import LLM
from autoharness.scale.executor import Executor
from autoharness.scale.tasks import bench_row_of_source, prompt_context

TERMINAL = ("clean", "budget", "fatal", "unavailable", "error", "not started")


@dataclass
class GameState:
    """One line of the live table."""

    game: str
    status: str = "waiting"  # waiting | a stage of the loop | one of TERMINAL
    calls: int = 0
    best: float | None = None
    cost: float | None = None
    note: str = ""  # the stop reason, or the stage under way

    @property
    def done(self) -> bool:
        return self.status in TERMINAL


class Board:
    """The states of every game, shared by the game threads and the display."""

    def __init__(self, games: tuple[str, ...], listener: Callable[[GameState], None] | None):
        self.states = {game: GameState(game) for game in games}
        self.listener = listener
        self._lock = threading.Lock()

    def update(self, game: str, **changes: Any) -> None:
        with self._lock:
            state = self.states[game]
            for name, value in changes.items():
                setattr(state, name, value)
            snapshot = replace(state)
        if self.listener is not None:
            self.listener(snapshot)

    def snapshot(self) -> list[GameState]:
        with self._lock:
            return [replace(state) for state in self.states.values()]


class LimitedLLM:
    """An LLM whose calls wait for one of the run's ``llm_concurrency`` slots."""

    def __init__(self, llm: LLM, slots: threading.Semaphore) -> None:
        self.llm, self.slots = llm, slots
        self.name = llm.name

    def complete(self, messages, **options):  # noqa: ANN001, ANN201 - the LLM protocol
        with self.slots:
            return self.llm.complete(messages, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.llm, name)


@dataclass
class LibraryRun:
    library: LibraryDir
    plan: Plan
    configs: dict[str, LearnConfig]
    make_llm: Callable[[LearnConfig], LLM]
    executor: Executor
    llm_concurrency: int = 4
    board: Board | None = None
    total: TotalBudget | None = None
    halt: threading.Event = field(default_factory=threading.Event)
    halt_reason: str = ""
    # make_llm scrubs keys from os.environ once a client holds them: one client at a time
    _making_llm: threading.Lock = field(default_factory=threading.Lock)

    # -- the whole run --------------------------------------------------------------------
    def run(self) -> dict[str, GameState]:
        games = self.plan.games
        board = self.board or Board(games, None)
        self.board = board
        slots = threading.Semaphore(self.llm_concurrency)
        at_once = max(1, min(len(games), self.executor.slots + self.llm_concurrency))
        threads = futures.ThreadPoolExecutor(at_once, thread_name_prefix="learn-game")
        try:
            running = [threads.submit(self.learn_game, game, slots) for game in games]
            for future in running:
                future.result()  # learn_game records its own failures
        except BaseException:  # Ctrl-C: start nothing more, and do not wait for the games
            self.stop_starting("interrupted")
            threads.shutdown(wait=False, cancel_futures=True)
            raise
        threads.shutdown()
        return {state.game: state for state in board.snapshot()}

    def stop_starting(self, reason: str) -> None:
        if not self.halt.is_set():
            self.halt_reason = reason
            self.halt.set()

    # -- one game -------------------------------------------------------------------------
    def learn_game(self, game: str, slots: threading.Semaphore) -> None:
        assert self.board is not None
        if self.halt.is_set():
            self.board.update(game, status="not started", note=self.halt_reason)
            return
        try:
            self._learn_game(game, slots)
        except Exception as error:  # noqa: BLE001 - one game's crash must not end the others
            self.board.update(game, status="error", note=f"{type(error).__name__}: {error}")
            run = self.library.run(game)
            if run is not None:
                run.event("library_error", error=f"{type(error).__name__}: {error}",
                          traceback=traceback.format_exc(limit=6))

    def _learn_game(self, game: str, slots: threading.Semaphore) -> None:
        from autoharness.learn.loop import learn

        assert self.board is not None
        config = self.configs[game]
        path = self.library.run_path(game)
        seed = self.library.seed(game)
        run = RunDir.open(path, repair=True)
        if not run.meta().get("rules"):  # the opening rollout: engine work, so a task
            self.board.update(game, status="opening rollout")
            rules, mid_game = self.executor.submit(prompt_context, game, config.seed,
                                                   seed).result()
            run.update_meta(rules=rules, mid_game=mid_game)

        def progress(info: dict) -> None:
            self.board.update(game, status=info["stage"], calls=info["calls"],
                              best=info["best"], cost=info["cost"])

        def run_task(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
            return self.executor.submit(fn, *args, **kwargs).result()

        self.board.update(game, status="learning")
        with self._making_llm:
            llm = self.make_llm(config)
        result = learn(None, LimitedLLM(llm, slots), path, resume=True,
                       seed_source=seed, progress=progress, run_task=run_task,
                       total_budget=self.total)
        self.board.update(game, calls=result.llm_calls, cost=result.cost_usd,
                          best=result.best.score if result.best else None)
        if result.stop_kind in ("fatal", "unavailable"):
            self.stop_starting(f"stopped after {game}: {result.stop_reason}")
            self.board.update(game, status=result.stop_kind, note=result.stop_reason)
            return
        if result.best is not None:
            source = self.save(game, result, config)
            self.board.update(game, status="checking on fresh seeds")
            self.check(game, source, config)
        status = "clean" if result.confirmed else "budget"
        self.board.update(game, status=status, note=result.stop_reason)

    def save(self, game: str, result: Any, config: LearnConfig) -> str:
        """The best candidate with its card: in the --out folder when confirmed clean (as
        ``learn`` does), else as best.py in the game's run directory."""
        source = saved_source(result, config)
        if result.confirmed:
            target = Path(self.plan.targets[game])
            if game in self.plan.takeovers:
                take_over(game, Path(self.plan.takeovers[game]))
        else:
            target = self.library.run_path(game) / "best.py"
        write_atomic(target, source)  # a kill never leaves half a harness in --out
        self.library.record_saved(game, target, source)
        return source

    def check(self, game: str, source: str, config: LearnConfig) -> dict[str, Any]:
        """The saved harness as a benchmark row on the plan's fresh seeds (reused from disk when
        it was measured for this very source and settings)."""
        key = check_key(source, config, self.plan.check_seeds)
        found = self.library.check(game)
        if found is not None and found.get("check_key") == key and found.get("status") != "error":
            return found
        task = GameTask(game=game, seeds=self.plan.check_seeds, steps=config.steps,
                        stress_positions=config.probe_positions, timeout=config.timeout,
                        engine=config.engine)
        began = time.perf_counter()
        row = self.executor.submit(bench_row_of_source, task, source, f"{game}.py").result()
        row["check_key"] = key
        row["check_seconds"] = round(time.perf_counter() - began, 2)
        self.library.write_check(game, row)
        return row


def check_key(source: str, config: LearnConfig, seeds: tuple[int, ...]) -> dict[str, Any]:
    import autoharness

    return {"sha256": sha256_text(source), "seeds": list(seeds), "steps": config.steps,
            "stress_positions": config.probe_positions, "timeout": config.timeout,
            "engine": config.engine, "autoharness": autoharness.__version__}


def prepare(library: LibraryDir, plan: Plan, configs: dict[str, LearnConfig],
            seeds: dict[str, str]) -> None:
    """Write the plan, each game's seed and run directory (new ones created, existing ones get
    the config given now: the budgets may have changed). No engine or LLM work. The plan comes
    first, so a run killed in here is resumed (and finishes this)."""
    library.path.mkdir(parents=True, exist_ok=True)
    library.write_plan(plan)
    for game in plan.games:
        if game in seeds and not library.seed_path(game).exists():
            write_atomic(library.seed_path(game), seeds[game])
        run = library.run(game)
        if run is None:
            RunDir.create(library.run_path(game), configs[game])
        elif run.config() != configs[game]:
            run.update_meta(config=configs[game].to_dict())


def spent_so_far(library: LibraryDir, plan: Plan) -> float | None:
    """Dollars the run's games were charged so far (None: some charge is unknown)."""
    from autoharness.learn.budget import Budget

    total = 0.0
    for game in plan.games:
        run = library.run(game)
        if run is None:
            continue
        budget = Budget(run.config(), run.exchanges())
        if budget.spent_cost is None:
            return None
        total += budget.spent_cost
    return total
