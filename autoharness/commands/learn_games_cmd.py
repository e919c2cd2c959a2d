"""``autoharness learn --games paper|ID,...|FILE``: learn a harness for many games in one command.

Everything is checked before any LLM call or engine step: the games, the model and its key (and
the preflight), the budgets (``--total-cost`` needs the model's price), the seeds
(``--from-library``), where harnesses go (``--out``; a file already serving a game needs
``--replace``), Ray (``--ray``). Exit codes: 0 every game confirmed clean and clean on fresh
seeds; 1 some game is not (a budget ran out first, or the fresh seeds found a problem); 2 bad
input, or a fatal provider error (key, model, request); 3 the environment: the provider kept
failing, a game crashed, Ray is missing or unreachable. The run resumes with ``--resume DIR``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from autoharness.cli_support import (
    EXIT_CLEAN,
    EXIT_ENVIRONMENT,
    EXIT_INPUT,
    EXIT_NOT_CLEAN,
    data_dir,
    exit_with,
    fail,
    sandbox_when_needed,
    warn,
    writable_or_exit,
)
from autoharness.commands.learn_options import (
    LearnOptions,
    check_config,
    new_config,
    resumed_config,
)
from autoharness.learn.config import LearnConfig
from autoharness.learn.library_dir import CHECK_SEED_BASE, LibraryDir, Plan

#: flags that only make sense with --games (or when resuming such a run)
LIBRARY_FLAGS = ("games", "from_library", "total_cost", "jobs", "llm_concurrency", "ray")


def single_game_conflict(given: set[str]) -> str | None:
    """Why these flags cannot go with a single-game ``learn GAME``, or None."""
    wrong = [name for name in LIBRARY_FLAGS if name in given and name != "games"]
    if wrong:
        flags = ", ".join("--" + name.replace("_", "-") for name in wrong)
        return f"{flags}: only with `learn --games ...` (learn many games in one run)"
    return None


def run_learn_games(options: LearnOptions, games_text: str | None, *, resume: Path | None,
                    run_dir: Path | None, out: Path | None, replace_files: bool,
                    from_library: bool, total_cost: float | None, jobs: int,
                    llm_concurrency: int, ray: str | None, preflight: bool,
                    given: set[str]) -> None:
    from autoharness.commands.bench_cmd import parse_games

    if resume is not None:
        library = _library_to_resume(resume)
        plan = library.plan()
        games = plan.games
        if games_text is not None and parse_games(games_text) != games:
            fail(f"the run in {resume} learns {len(games)} games of its own; leave --games out "
                 "to resume it, or start a new run")
        if options.game is not None:
            fail(f"the run in {resume} learns --games; leave GAME out to resume it")
        if options.model is not None and options.model.strip() != plan.model:
            fail(f"the run in {resume} asks {plan.model}, not {options.model}: leave --model "
                 "out to resume it")
        for name, value, kept in (("out", out, plan.out), ("replace", replace_files,
                                                            plan.replace),
                                  ("from_library", from_library, plan.from_library)):
            if name not in given:
                continue
            same = (Path(value).resolve() == Path(kept).resolve()) if name == "out" \
                else value == kept
            if not same:
                fail(f"--{name.replace('_', '-')} cannot change when resuming (the run in "
                     f"{resume} uses {kept})")
        configs = _resumed_configs(library, plan, options)
        if "total_cost" in given:
            plan = replace(plan, total_cost=total_cost)
        # a run killed while it was being set up: seeds still to copy for games not begun
        seeds = _library_seeds(tuple(g for g in games if not library.seed_path(g).exists()
                                     and _not_begun(library, g))) if plan.from_library else {}
    else:
        if options.model is None:
            fail("learn --games needs --model (or --resume RUN_DIR)")
        if options.game is not None:
            fail("give either GAME or --games, not both")
        games = parse_games(games_text or "")
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = run_dir or data_dir() / "runs" / f"library-{len(games)}g-{stamp}"
        library = LibraryDir(path)
        if LibraryDir.holds_library(path) or (path / "run.json").exists():
            fail(f"{path} already holds a run; continue it with --resume {path}")
        configs = {game: new_config(replace(options, game=game)) for game in games}
        first = configs[games[0]]
        template = {k: v for k, v in first.to_dict().items() if k != "game"}
        plan = Plan(games=games, model=first.model,
                    out=str((out or path / "harnesses").resolve()),
                    replace=replace_files, from_library=from_library, total_cost=total_cost,
                    check_seeds=tuple(range(CHECK_SEED_BASE, CHECK_SEED_BASE + first.envs)),
                    config=template)
        seeds = _library_seeds(games) if from_library else {}
    config = configs[games[0]]
    check_config(config)
    if plan.total_cost is not None:
        from autoharness.learn.budget import model_price

        if model_price(config) is None:
            fail(f"--total-cost needs the price of {config.model}, which the price table does "
                 "not know: pass --price IN,OUT (dollars per million input and output tokens)")
    if resume is None:
        plan = _with_targets(plan, library)
    _check_writable(Path(plan.out), library.path)
    _run(library, plan, configs, seeds, jobs=jobs, llm_concurrency=llm_concurrency, ray=ray,
         preflight=preflight)


# ---- checks before the run -------------------------------------------------------------------


def _library_to_resume(resume: Path) -> LibraryDir:
    if not resume.is_dir():
        fail(f"--resume {resume}: no such run directory")
    library = LibraryDir(resume)
    try:
        library.plan()
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        fail(f"{resume / 'library.json'} is not a readable learn --games run "
             f"({type(error).__name__}: {error})")
    return library


def _resumed_configs(library: LibraryDir, plan: Plan,
                     options: LearnOptions) -> dict[str, LearnConfig]:
    """Each game's config with the budgets given now (the same rules as a single-game resume:
    only budgets may change, and they are per-game totals)."""
    existing: dict[str, LearnConfig] = {}
    for game in plan.games:
        try:
            run = library.run(game)
            if run is not None:
                existing[game] = run.config()
        except (OSError, ValueError, KeyError, TypeError) as error:
            fail(f"{library.run_path(game) / 'run.json'} is not a readable learn run "
                 f"({type(error).__name__}: {error})")
    if existing:
        template = next(iter(existing.values()))
    else:  # killed before any game's run directory was made
        template = LearnConfig.from_dict({**plan.config, "game": plan.games[0]})
    resumed = replace(options, game=None, model=None)
    configs = {}
    for game in plan.games:
        config = existing.get(game) or replace(template, game=game)
        configs[game] = resumed_config(config, resumed, library.run_path(game))
    return configs


def _not_begun(library: LibraryDir, game: str) -> bool:
    run = library.run(game)
    return run is None or not run.nodes()


def _library_seeds(games: tuple[str, ...]) -> dict[str, str]:
    from autoharness.harness.checks import check_source
    from autoharness.harness.errors import HarnessError
    from autoharness.harness.library import find_harness, read_source

    seeds = {}
    for game in games:
        try:
            path = find_harness(game)
            if path is None:
                fail(f"--from-library: no library harness serves {game}")
            source = read_source(path)
        except HarnessError as error:
            fail(f"--from-library: {error}")
        problems = check_source(source)
        if problems:
            fail(f"--from-library: {path}: {problems[0]}")
        seeds[game] = source
    return seeds


def _with_targets(plan: Plan, library: LibraryDir) -> Plan:
    from autoharness.learn.library_save import TargetError, plan_targets

    try:
        targets, takeovers = plan_targets(plan.games, Path(plan.out), plan.replace, library)
    except TargetError as error:
        fail(str(error))
    return replace(plan, targets=targets, takeovers=takeovers)


def _check_writable(*folders: Path) -> None:
    for folder in folders:  # nothing is created before the key and the model check out
        writable_or_exit(folder)


# ---- the run ---------------------------------------------------------------------------------


def _run(library: LibraryDir, plan: Plan, configs: dict[str, LearnConfig],
         seeds: dict[str, str], *, jobs: int, llm_concurrency: int, ray: str | None,
         preflight: bool) -> None:
    from autoharness.commands.learn_cmd import check_provider, make_model
    from autoharness.commands.learn_live import Display
    from autoharness.learn import library_table
    from autoharness.learn.library_run import LibraryRun, prepare, spent_so_far
    from autoharness.learn.total_budget import TotalBudget
    from autoharness.scale.executor import ExecutorError, import_ray, make_executor

    config = configs[plan.games[0]]
    try:
        if ray is not None:
            import_ray()  # installed? (before the key, the preflight and Ray's start-up)
    except ExecutorError as error:
        fail(str(error), EXIT_ENVIRONMENT)
    llm = make_model(config)  # a missing key: one line, exit 3, before anything runs
    if preflight:
        check_provider(llm, config)
    sandbox_when_needed()  # the input, key and model are fine: now the sandbox line
    total = None
    if plan.total_cost is not None:
        spent = spent_so_far(library, plan)
        if spent is None:
            fail("--total-cost: an earlier call of this run has an unknown cost", EXIT_INPUT)
        total = TotalBudget(plan.total_cost, spent)
    try:
        executor = make_executor(jobs, ray, use_ray=ray is not None)
    except ExecutorError as error:
        fail(str(error), EXIT_ENVIRONMENT)
    prepare(library, plan, configs, seeds)
    title = f"learn {len(plan.games)} games with {plan.model} on {executor.description}"
    print(f"run directory: {library.path}")
    display = Display(plan.games, title)
    runner = LibraryRun(library, plan, configs, make_llm=make_model,
                        executor=executor, llm_concurrency=llm_concurrency, board=display.board,
                        total=total)
    try:
        with display.showing():
            states = runner.run()
    except KeyboardInterrupt:
        _interrupted(library)
    executor.close()
    statuses = {game: state.status for game, state in states.items()}
    frame = library_table.table(library, plan, statuses)
    summary, written = library_table.save(library, frame, title)
    _report(library, plan, frame, summary, written, states, runner.halt_reason)


def _interrupted(library: LibraryDir) -> None:
    """Ctrl-C: every game's run is consistent on disk at any instant, so leave at once rather
    than wait for the games under way (their threads cannot be interrupted)."""
    import os
    import sys

    print(f"error: interrupted. The run is saved: continue it with `autoharness learn --resume "
          f"{library.path}`", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(130)


def _report(library: LibraryDir, plan: Plan, frame: Any, summary: dict, written: list[Path],
            states: dict, halt_reason: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=400) if not Console().is_terminal else Console()
    table = Table(title="learn --games: per game (as the paper's Table 1)")
    columns = ("game", "paper_llm_calls", "llm_calls", "status", "best_h", "fresh_legal_rate",
               "cost_usd", "engine_interactions")
    for column in columns:
        table.add_column(column.replace("_", " "), no_wrap=column == "game")
    for row in frame.itertuples(index=False):
        table.add_row(*(_text(getattr(row, c)) for c in columns))
    console.print(table)
    cost = summary["cost_usd"]
    console.print(f"{summary['games']} games: {summary['confirmed_clean']} confirmed clean, "
                  f"{summary['fresh_clean']} clean on fresh seeds; {summary['llm_calls']} LLM "
                  f"calls (paper: {summary['paper_llm_calls']}); cost "
                  f"{'unknown' if cost is None else f'${cost:.4f}'}", highlight=False)
    console.print(f"harnesses: {plan.out}  table: {written[0]}  plot: {written[2]}",
                  highlight=False, markup=False)
    for state in states.values():
        if state.status in ("error", "fatal", "unavailable") and state.note:
            warn(f"{state.game}: {state.status}: {state.note}")
    kinds = {state.status for state in states.values()}
    resume = f"`autoharness learn --resume {library.path}`"
    if "fatal" in kinds:
        fail(f"{halt_reason or 'a game stopped on a fatal provider error'}. The run is saved: "
             f"fix it, then continue it with {resume}", EXIT_INPUT)
    if kinds & {"unavailable", "error", "not started"} or _check_errors(frame):
        reason = halt_reason or "a game could not finish (see the table's status column)"
        fail(f"{reason}. The run is saved: continue it with {resume}", EXIT_ENVIRONMENT)
    exit_with(EXIT_CLEAN if not summary["not_clean"] else EXIT_NOT_CLEAN)


def _check_errors(frame: Any) -> bool:
    return False if "fresh_legal_rate" not in frame else bool(
        ((frame.status.isin(["clean", "budget"])) & frame.harness.notna()
         & frame.fresh_legal_rate.isna()).any())


def _text(value: object) -> str:
    from autoharness.learn.library_table import cell

    return cell(value)
