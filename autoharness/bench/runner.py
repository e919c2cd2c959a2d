"""Running the benchmark: games in parallel processes, resumable, one table at the end.

Each finished game's row is written to ``<out>/rows/<game>.json`` the moment it is done, so a
killed run resumes where it stopped (finished games are not redone) and the table can always be
rebuilt from the rows.
"""

from __future__ import annotations

import concurrent.futures as futures
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from autoharness.bench.tasks import COLUMNS, GameTask, run_game
from autoharness.harness.verify import DEFAULT_STRESS_POSITIONS


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

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


def _row_path(out: Path, game: str) -> Path:
    return out / "rows" / f"{game}.json"


def _finished_rows(config: BenchConfig) -> dict[str, dict]:
    rows = {}
    for game in config.games:
        path = _row_path(config.out, game)
        if path.exists() and not config.fresh:
            row = json.loads(path.read_text())
            if row.get("steps_per_seed") == config.steps and row.get("seeds") == list(
                    config.seeds) and row.get("agent") == config.agent:
                rows[game] = row
    return rows


def _save_row(config: BenchConfig, row: dict) -> None:
    path = _row_path(config.out, row["game"])
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(row, indent=1, default=str))
    temporary.replace(path)  # atomic: a killed run never leaves half a row


ProgressHook = Callable[[int, int, int, float], None]  # games done, games total, actions, secs


def run_bench(config: BenchConfig, progress: ProgressHook | None = None) -> pd.DataFrame:
    """Benchmark every game of ``config``; returns (and saves) the per-game table."""
    config.out.mkdir(parents=True, exist_ok=True)
    rows = _finished_rows(config)
    todo = [g for g in config.games if g not in rows]
    base = GameTask(game="", seeds=config.seeds, steps=config.steps, agent=config.agent,
                    harness=config.harness, stress_positions=config.stress_positions,
                    timeout=config.timeout)
    started, actions = time.perf_counter(), 0
    done = len(rows)
    if progress:
        progress(done, len(config.games), 0, 0.0)

    def finish(row: dict) -> None:
        nonlocal done, actions
        row["seeds"], row["steps_per_seed"] = list(config.seeds), config.steps
        _save_row(config, row)
        rows[row["game"]] = row
        done += 1
        actions += int(row.get("actions") or 0)
        if progress:
            progress(done, len(config.games), actions, time.perf_counter() - started)

    # Longest games first so the two cores finish together.
    todo.sort(key=lambda g: -_expected_cost(g))
    tasks = [replace(base, game=game) for game in todo]
    if config.workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            finish(run_game(task))
    else:
        context = multiprocessing.get_context("forkserver")
        with futures.ProcessPoolExecutor(config.workers, mp_context=context) as pool:
            pending = {pool.submit(run_game, task): task for task in tasks}
            for future in futures.as_completed(pending):
                try:
                    finish(future.result())
                except Exception as error:  # a worker process died: record, go on
                    task = pending[future]
                    finish({"game": task.game, "agent": task.agent, "status": "error",
                            "error": f"worker died: {type(error).__name__}: {error}"})
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
    extra = [c for c in table.columns if c not in COLUMNS and c not in ("traceback",)]
    return table[COLUMNS + extra]


READABLE = ["game", "players", "status", "harness", "legal_rate", "actions", "illegal_actions",
            "false_accepts", "false_rejects", "stress_checks", "harness_failures",
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
