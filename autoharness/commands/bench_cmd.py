"""``autoharness bench``: the legality benchmark across games, with a table, summary and plot."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from autoharness.arena.catalogue import benchmark_ids
from autoharness.bench.report import format_summary, plot, summarise
from autoharness.bench.runner import BenchConfig, run_bench
from autoharness.cli_support import fail, game_or_exit


def parse_games(text: str) -> tuple[str, ...]:
    """``paper`` (the 145), a comma list of ids/names, or a file with one id per line/TSV."""
    if text == "paper":
        return benchmark_ids()
    path = Path(text)
    if path.is_file():
        lines = [line for line in path.read_text().splitlines() if line.strip()]
        if lines and "\t" in lines[0]:
            rows = csv.DictReader(lines, delimiter="\t")
            columns = rows.fieldnames or [""]
            key = "game_id" if "game_id" in columns else columns[0]
            names = [row[key] for row in rows]
        else:
            names = [line.strip() for line in lines if not line.startswith("#")]
    else:
        names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        fail(f"no games in '{text}'")
    return tuple(dict.fromkeys(game_or_exit(name) for name in names))


def update_cards(table, config: BenchConfig) -> list[Path]:
    """Record each measured game's figures in the card of the harness file that served it.

    A benchmark row of the harness agent is exactly ``verify GAME`` with the same seeds, steps
    and stress positions (same code path, same seeds for the harness and the probe), so the card
    names that command."""
    from autoharness.commands.verify_cmd import record_figures

    if "harness_path" not in table:  # rows from before harness paths were recorded
        return []
    written = []
    rows = table[table.status.isin(["ok", "harness_failures"]) & table.harness_path.notna()]
    for path_text, group in rows.groupby("harness_path"):
        record_figures(Path(path_text), group.to_dict(orient="records"), list(config.seeds),
                       config.steps, config.stress_positions)
        written.append(Path(path_text))
    return written


def run_bench_command(config: BenchConfig, as_json: bool, cards: bool = False) -> None:
    from autoharness.cli_support import progress_bar

    with progress_bar(len(config.games), f"bench ({config.agent})", quiet=as_json) as advance:
        def report(done: int, total: int, actions: int, seconds: float) -> None:
            advance(done, f"games · {actions:,} actions · {actions / max(seconds, 1e-9):,.0f} "
                          "actions/s")

        table = run_bench(config, progress=report)
    summary = summarise(table)
    picture = plot(table, config.out / "legality.png",
                   f"Legality benchmark: {config.agent}, {len(config.seeds)} seeds × "
                   f"{config.steps} steps")
    (config.out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    if cards:
        update_cards(table, config)
    if as_json:
        print(json.dumps({"summary": summary, "games": json.loads(
            table.to_json(orient="records"))}, indent=1))
        return
    print(format_summary(summary))
    print(f"table: {config.out / 'results.csv'}  plot: {picture}")
