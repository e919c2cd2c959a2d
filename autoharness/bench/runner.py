"""Running the benchmark: games in parallel processes, resumable, one table at the end.

Each finished game's row is written to ``<out>/rows/<game>.json`` the moment it is done, so a
killed run resumes where it stopped. A row is reused only when its ``cache_key`` (everything that
decides it: the harness file's content hash, agent, seeds, steps, stress positions, timeout, engine
profile, TextArena and autoharness versions, a hash of autoharness's own source) matches the
run's; error rows are never written, so they are always re-measured; an unreadable row file is
re-measured with a warning.
"""

from __future__ import annotations

import concurrent.futures as futures
import functools
import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from autoharness.bench.tasks import COLUMNS, GameTask, harness_file, run_game
from autoharness.defaults import DEFAULT_STRESS_POSITIONS
from autoharness.scale.executor import Executor, LocalExecutor

MEASURED = ("ok", "harness_failures")  # statuses of rows that hold a measurement
NOT_REUSED = ("error",)  # statuses never written to rows/ (re-measured on every run)


@dataclass(frozen=True)
class BenchConfig:
    games: tuple[str, ...]
    seeds: tuple[int, ...]
    steps: int
    out: Path
    agent: str = "harness"
    harness: str = "auto"
    jobs: int = 0  # 0: all cores
    stress_positions: int = DEFAULT_STRESS_POSITIONS
    timeout: float = 1.0
    fresh: bool = False  # ignore rows from an earlier run
    engine: str = "stock"  # the engine profile (arena/): part of every row's cache key

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1

    def task(self, game: str) -> GameTask:
        return GameTask(game=game, seeds=self.seeds, steps=self.steps, agent=self.agent,
                        harness=self.harness, stress_positions=self.stress_positions,
                        timeout=self.timeout, engine=self.engine)


def _row_path(out: Path, game: str) -> Path:
    return out / "rows" / f"{game}.json"


@functools.cache
def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    import autoharness

    try:
        textarena = version("textarena")
    except PackageNotFoundError:  # pragma: no cover - textarena is a dependency
        textarena = "unknown"
    from autoharness.bench.source_hash import package_source_hash

    return {"textarena": textarena, "autoharness": autoharness.__version__,
            "autoharness_source": package_source_hash()}  # the code, not just its version


def _file_hash(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def cache_key(config: BenchConfig, game: str) -> dict:
    """Everything that decides a game's row; a saved row is reused only on an exact match."""
    try:
        path = harness_file(config.task(game))
    except Exception:  # noqa: BLE001 - two files claim the game, ...: the run reports it
        path = None
    return {"game": game, "harness": config.harness, "harness_sha256": _file_hash(path),
            "agent": config.agent, "seeds": list(config.seeds), "steps": config.steps,
            "stress_positions": config.stress_positions, "timeout": config.timeout,
            "engine": engine_fingerprint(config.engine), **_versions(), **_llm_key(config.agent)}


_BASE_URL_ENVS = {"openai": ("OPENAI_BASE_URL",), "anthropic": ("ANTHROPIC_BASE_URL",),
                  "gemini": ("GEMINI_BASE_URL", "GOOGLE_GEMINI_BASE_URL")}


def _llm_key(agent: str) -> dict:
    """An LLM agent's row also depends on its output cap, thinking budget and server (a base
    URL points the same model name at another service); other agents add nothing, so their
    keys stay as they were."""
    from autoharness.play import AgentSpecError, parse_agent_spec
    from autoharness.play.specs import llm_settings

    try:
        spec = parse_agent_spec(agent)
        settings = llm_settings(spec)
    except AgentSpecError:
        return {}
    if settings is None or spec.model is None:
        return {}
    from autoharness.llm.keys import env_first

    provider = spec.model.split("/", 1)[0]
    return {"llm": {**settings, "base_url": env_first(*_BASE_URL_ENVS.get(provider, ()))}}


def engine_fingerprint(profile: str) -> str:
    """The profile's name, TextArena's version and a hash of its fixes' code (arena/profiles)."""
    from autoharness.arena.profiles import fingerprint

    return fingerprint(profile)


def _read_row(path: Path) -> dict | None:
    """A saved row, or None (with a warning) when the file is not one."""
    try:
        row = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        _warn(f"{path} is unreadable ({type(error).__name__}); re-measuring that game")
        return None
    if not isinstance(row, dict) or not isinstance(row.get("game"), str):
        _warn(f"{path} is not a benchmark row; re-measuring that game")
        return None
    return row


def _warn(message: str) -> None:
    import sys

    print(f"warning: {message}", file=sys.stderr)


def _finished_rows(config: BenchConfig, keys: dict[str, dict]) -> dict[str, dict]:
    """Rows of an earlier run that this run may reuse: same key, a status worth keeping."""
    rows = {}
    if config.fresh:
        return rows
    for game in config.games:
        row = _read_row(_row_path(config.out, game))
        if row is None or row.get("game") != game or row.get("status") in NOT_REUSED:
            continue
        if row.get("cache_key") == keys[game]:
            rows[game] = {**row, "reused": True}
    return rows


def _save_row(config: BenchConfig, row: dict) -> None:
    path = _row_path(config.out, row["game"])
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(row, indent=1, default=str))
    temporary.replace(path)  # atomic: a killed run never leaves half a row


ProgressHook = Callable[[int, int, int, float], None]  # games done, games total, actions, secs


def run_bench(config: BenchConfig, progress: ProgressHook | None = None, *,
              executor: Executor | None = None) -> pd.DataFrame:
    """Benchmark every game of ``config``; returns (and saves) the per-game table. The table's
    ``reused`` column says which rows came from an earlier run. ``executor`` (``scale``): where
    the games run (default: ``config.workers`` local processes; a Ray cluster with ``--ray``)."""
    config.out.mkdir(parents=True, exist_ok=True)
    keys = {game: cache_key(config, game) for game in config.games}
    rows = _finished_rows(config, keys)
    todo = [g for g in config.games if g not in rows]
    started, actions = time.perf_counter(), 0
    done = len(rows)
    if progress:
        progress(done, len(config.games), 0, 0.0)

    def finish(row: dict) -> None:
        nonlocal done, actions
        row["seeds"], row["steps_per_seed"] = list(config.seeds), config.steps
        row["cache_key"] = keys[row["game"]]
        if row.get("status") not in NOT_REUSED:
            _save_row(config, row)
        rows[row["game"]] = {**row, "reused": False}
        done += 1
        actions += int(row.get("actions") or 0)
        if progress:
            progress(done, len(config.games), actions, time.perf_counter() - started)

    # Longest games first so the two cores finish together.
    todo.sort(key=lambda g: -_expected_cost(g))
    from autoharness.scale.tasks import bench_row  # imports bench.tasks: not at module level

    tasks = [config.task(game) for game in todo]
    if executor is None and (config.workers <= 1 or len(tasks) <= 1):
        for task in tasks:
            finish(run_game(task))
    elif tasks:
        pool = executor or LocalExecutor(min(config.workers, len(tasks)))
        try:
            # bench_row checks the worker measures the file hashed into the cache key
            pending = {pool.submit(bench_row, task, keys[task.game]["harness_sha256"]): task
                       for task in tasks}
            for future in futures.as_completed(pending):
                try:
                    finish(future.result())
                except Exception as error:  # a worker process (or Ray task) died: go on
                    task = pending[future]
                    finish({"game": task.game, "agent": task.agent, "status": "error",
                            "error": f"worker died: {type(error).__name__}: {error}"})
        finally:
            if executor is None:
                pool.close()
    table = to_table([rows[g] for g in config.games if g in rows])
    save_table(table, config.out)
    return table


def _expected_cost(game: str) -> float:
    slow = ("Sokoban-v0-medium", "Sudoku-v0-hard", "Minesweeper", "Stratego", "Othello-v0-huge",
            "Chess", "Battleship-v0-extreme", "Tak", "SpiteAndMalice", "Sokoban", "RushHour")
    return next((len(slow) - i for i, prefix in enumerate(slow) if game.startswith(prefix)), 0)


def to_table(rows: Sequence[dict]) -> pd.DataFrame:
    table = pd.DataFrame(list(rows))
    for column in COLUMNS:
        if column not in table:
            table[column] = pd.NA
    extra = [c for c in table.columns if c not in COLUMNS
             and c not in ("traceback", "cache_key")]
    return table[COLUMNS + extra]


READABLE = ["game", "players", "status", "harness", "engine", "legal_rate", "actions",
            "illegal_actions", "illegal_stuck", "illegal_undecidable", "false_accepts",
            "undecidable_false_accepts", "false_rejects", "stress_checks", "harness_failures",
            "engine_errors", "unwrapped_legal_rate", "retries", "fallbacks", "elapsed_s"]


def markdown_table(table: pd.DataFrame) -> str:
    """The columns a person reads, as a Markdown table (empty columns left out)."""
    shown = table[[c for c in READABLE if c in table and table[c].notna().any()]]
    header = "| " + " | ".join(shown.columns) + " |"
    rule = "| " + " | ".join("---" for _ in shown.columns) + " |"
    lines = [header, rule]
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(value) for value in row) + " |")
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.4f}".rstrip("0")
    return str(value)


def save_table(table: pd.DataFrame, out: Path) -> list[Path]:
    written = [out / "results.csv", out / "results.md"]
    table.to_csv(written[0], index=False)
    written[1].write_text(markdown_table(table))
    try:
        table.to_parquet(out / "results.parquet", index=False)
        written.append(out / "results.parquet")
    except (ImportError, ValueError):  # pyarrow/fastparquet not installed: CSV is enough
        pass
    return written
