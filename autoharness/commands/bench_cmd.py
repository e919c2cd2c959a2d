"""``autoharness bench``: the legality benchmark across games, with a table, summary and plot.

Everything the user typed is checked before any game runs (games, seeds, the agent — an LLM's key
included —, the harness file, the results folder), so a mistake is one line and exit 2 (3 for the
environment: no API key), never a table of error rows. Exit codes after a run: 0 every game clean,
1 some game not clean (an illegal action, a false accept or reject, a harness failure, an engine
error, a missing or broken harness), 3 some game could not be measured (an error row).
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from autoharness.bench.runner import BenchConfig, run_bench
from autoharness.cli_support import (
    EXIT_CLEAN,
    EXIT_ENVIRONMENT,
    EXIT_INPUT,
    EXIT_NOT_CLEAN,
    engine_output_to_stderr,
    exit_with,
    fail,
    game_or_exit,
    parse_seeds,
    warn,
)


def parse_games(text: str) -> tuple[str, ...]:
    """``paper`` (the 145), a comma list of ids/names, or a file with one id per line/TSV."""
    from autoharness.arena.catalogue import benchmark_ids

    if text == "paper":
        return benchmark_ids()
    path = Path(text)
    try:
        is_file = "," not in text and path.is_file()
    except OSError:  # a name too long for the file system: a list of ids, not a file
        is_file = False
    if is_file:
        try:
            lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip()]
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read the games file {text}: {getattr(error, 'strerror', None) or error}")
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


def check_agent(spec_text: str, harness: str, preflight: bool = True) -> None:
    """Build the agent once, here, so a wrong spec or a missing key is one line up front; an
    LLM's key and model are checked with one cheap request (the preflight) before any engine
    time: a key the provider refuses is exit 2, a provider that does not answer exit 3."""
    from autoharness.play import AgentSpecError, AgentUnavailable, build_agent, parse_agent_spec

    if spec_text == "harness":
        if harness == "none":
            fail("--agent harness plays the harness itself; --harness none leaves nothing to "
                 "play (use --agent noisy:P or an LLM with --harness none)")
        return
    try:
        spec = parse_agent_spec(spec_text)
        if spec.kind == "human":
            fail("bench runs unattended; play with --agent human instead")
        if not spec.needs_harness:  # LLMs and TextArena agents: a missing key shows here
            built = _build_keeping_environment(spec, build_agent)
            if preflight:
                built.preflight()
    except AgentSpecError as error:
        fail(f"--agent {spec_text}: {error}", error.exit_code)
    except AgentUnavailable as error:
        fail(f"{error} (preflight; no game was run)",  # the message names the agent
             EXIT_INPUT if error.fatal else EXIT_ENVIRONMENT)


def _build_keeping_environment(spec, build):
    """Build the agent once as a check. The benchmark's worker processes build their own agents
    from the environment, so keys a client scrubs from ``os.environ`` after reading them are put
    back (harness code never sees them: its sandbox starts from an empty environment)."""
    import os

    saved = dict(os.environ)
    try:
        return build(spec)
    finally:
        for name, value in saved.items():
            if os.environ.get(name) != value:
                os.environ[name] = value


def check_harness_option(harness: str, games: tuple[str, ...] = ()) -> None:
    """``--harness FILE``: a readable file that passes the static checks and serves ``games``
    (a broken file is the user's input, exit 2, not a table of broken rows)."""
    if harness in ("auto", "none"):
        return
    from autoharness.commands.loading import checked_source

    if not harness.strip():
        fail("--harness needs a harness file, auto or none")
    path = Path(harness)
    if path.is_dir():
        fail(f"--harness {harness} is a folder, not a harness file")
    if not path.is_file():
        fail(f"no harness file at {harness}")
    checked_source(path, games)


def check_out(out: Path) -> None:
    """The results folder must take files before the work starts, not after it is done."""
    rows = out / "rows"
    try:
        rows.mkdir(parents=True, exist_ok=True)
        for folder in (out, rows):
            probe = folder / f".autoharness-write-test-{time.time_ns()}"
            probe.write_text("")
            probe.unlink()
    except OSError as error:
        fail(f"cannot write to {out}: {error.strerror or error}")


def bench_config(*, games: str, seeds: str, steps: int, agent: str, harness: str, jobs: int,
                 out: Path | None, stress_positions: int, timeout: float, fresh: bool,
                 update_cards: bool, engine: str = "stock",
                 preflight: bool = True) -> BenchConfig:
    """The run's configuration from the command line, after every check."""
    chosen = parse_games(games)
    seed_list = tuple(parse_seeds(seeds))
    check_harness_option(harness, chosen)
    if update_cards and agent != "harness":
        fail("--update-cards records the harness agent's figures; run with --agent harness")
    check_agent(agent, harness, preflight)
    if out is None:
        name = f"{agent.replace('/', '_').replace(':', '-')}-{len(chosen)}g"
        if harness == "none":
            name += "-unwrapped"
        if engine != "stock":
            name += f"-{engine}"
        out = Path("eval/results") / name
    check_out(out)
    return BenchConfig(games=chosen, seeds=seed_list, steps=steps, out=out, agent=agent,
                       harness=harness, jobs=jobs, stress_positions=stress_positions,
                       timeout=timeout, fresh=fresh, engine=engine)


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


def bench_exit_code(summary: dict) -> int:
    if summary["errors"]:
        return EXIT_ENVIRONMENT
    return EXIT_CLEAN if not summary["not_clean"] else EXIT_NOT_CLEAN


def bench_executor(config: BenchConfig, ray: str | None):
    """None (local processes, the runner's default), or Ray's executor for ``--ray``."""
    if ray is None:
        return None
    from autoharness.scale.executor import ExecutorError, make_executor

    try:
        return make_executor(config.jobs, ray, use_ray=True)
    except ExecutorError as error:
        fail(str(error), EXIT_ENVIRONMENT)


def run_bench_command(config: BenchConfig, as_json: bool, cards: bool = False,
                      ray: str | None = None) -> None:
    """``ray``: None runs the games in local processes; a value (``--ray [ADDRESS]``, "" for a
    new local Ray) runs them as Ray tasks."""
    import contextlib

    from autoharness.bench.report import format_summary, plot, summarise
    from autoharness.cli_support import progress_bar

    with engine_output_to_stderr(as_json):
        executor = bench_executor(config, ray)  # Ray's start-up talks on stdout
    where = "" if executor is None else f" on {executor.description}"
    with engine_output_to_stderr(as_json), executor or contextlib.nullcontext(), \
            progress_bar(len(config.games), f"bench ({config.agent}){where}",
                         quiet=as_json) as advance:
        def report(done: int, total: int, actions: int, seconds: float) -> None:
            advance(done, f"games · {actions:,} actions · {actions / max(seconds, 1e-9):,.0f} "
                          "actions/s")

        table = run_bench(config, progress=report, executor=executor)
        summary = summarise(table)
        picture = plot(table, config.out / "legality.png",
                       f"Legality benchmark: {config.agent}, {len(config.seeds)} seeds × "
                       f"{config.steps} steps")
    try:
        (config.out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    except OSError as error:
        fail(f"cannot write {config.out / 'summary.json'}: {error.strerror or error}",
             EXIT_ENVIRONMENT)
    if cards:
        update_cards(table, config)
    if as_json:
        print(json.dumps({"summary": summary, "games": json.loads(
            table.to_json(orient="records"))}, indent=1))
    else:
        print(format_summary(summary))
        print(f"table: {config.out / 'results.csv'}  plot: {picture}")
    if summary["errors"]:
        warn(f"{len(summary['errors'])} game(s) could not be measured: "
             f"{', '.join(summary['errors'][:10])}; the reasons are in the table's error column")
    exit_with(bench_exit_code(summary))
