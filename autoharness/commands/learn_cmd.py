"""``autoharness learn`` and ``autoharness show``: run the loop, save the harness, summarise."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from autoharness.arena.catalogue import family_of
from autoharness.cli_support import (
    EXIT_ENVIRONMENT,
    EXIT_INPUT,
    EXIT_NOT_CLEAN,
    data_dir,
    fail,
    sandbox_when_needed,
    writable_or_exit,
)
from autoharness.commands.learn_options import (
    LearnOptions,
    check_config,
    given_options,
    new_config,
    resumed_config,
)
from autoharness.learn.config import LearnConfig

__all__ = ["given_options", "run_learn", "run_show"]

console = Console()


def default_output(game: str, replace: bool) -> Path:
    """``harnesses/<family>.py``; a file already serving the game is replaced only on request."""
    from autoharness.harness.library import find_harness, repo_harnesses_dir

    directory = repo_harnesses_dir()
    existing = find_harness(game, search_path=[directory])
    if existing is not None and not replace:
        fail(f"{existing} already serves {game}; pass --out PATH to save the learned harness "
             "elsewhere, or --replace to overwrite it")
    return existing or directory / f"{family_of(game).lower()}.py"


def check_writable(path: Path) -> None:
    """``path`` can be written (its folder is not created: see ``writable_or_exit``)."""
    if path.is_dir():
        fail(f"cannot write {path}: it is a folder")
    writable_or_exit(path.parent)


def make_model(config: LearnConfig):
    from autoharness.llm import LLMError, Price, make_llm

    prices = {config.model: Price(*config.price)} if config.price is not None else None
    try:
        return make_llm(config.model, thinking_budget=config.thinking_budget, prices=prices)
    except LLMError as error:  # MissingAPIKey names the variable to set: the environment's
        fail(str(error).splitlines()[0], EXIT_ENVIRONMENT)
    except ValueError as error:  # unknown provider / malformed spec / a thinking budget
        fail(str(error).splitlines()[0])


def check_provider(llm, config: LearnConfig) -> None:
    """The preflight: key and model checked before any engine time (exit 2 fatal, 3 down)."""
    from autoharness.llm import preflight

    failure = preflight(llm)
    if failure is None:
        return
    code = EXIT_INPUT if failure.fatal else EXIT_ENVIRONMENT
    fail(f"{config.model}: {failure.describe()} (preflight; nothing was run)", code)


def run_learn(options: LearnOptions, resume: Path | None, seed_path: Path | None,
              out: Path | None, run_dir: Path | None, replace: bool = False, *,
              preflight: bool = True) -> None:
    from autoharness.learn.loop import learn
    from autoharness.learn.save import save_harness

    if resume is not None:
        config = resumed_config(_resumed_config(resume), options, resume)
        path = resume
    else:
        config = new_config(options)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = run_dir or data_dir() / "runs" / f"{config.game}-{stamp}"
        if (path / "run.json").exists():
            fail(f"{path} already holds a run; continue it with --resume {path}")
    check_config(config)
    out = out or default_output(config.game, replace)
    check_writable(out)
    check_writable(path / "run.json")
    seed_source = None
    if seed_path is not None:
        from autoharness.commands.loading import harness_source
        from autoharness.harness.checks import check_source

        seed_source = harness_source(seed_path)
        problems = check_source(seed_source)
        if problems:
            fail(f"{seed_path}: {problems[0]}")
    llm = make_model(config)
    if preflight:
        check_provider(llm, config)
    sandbox_when_needed()  # the input, key and model are fine: now the sandbox line
    if resume is not None:
        _write_config(resume, config)
    console.print(f"run directory: {path}")
    with console.status("starting") as status:
        def progress(info: dict) -> None:
            best = "-" if info["best"] is None else f"{info['best']:.3f}"
            cost = "?" if info["cost"] is None else f"${info['cost']:.3f}"
            status.update(f"{info['stage']} · LLM calls {info['calls']} · nodes {info['nodes']}"
                          f" · best h {best} · cost {cost} · "
                          f"{info['steps_per_s']:,.0f} engine steps/s")

        result = learn(config, llm, path, resume=resume is not None, seed_source=seed_source,
                       progress=progress)
    console.print(f"stopped: {result.stop_reason}", highlight=False, markup=False)
    console.print(f"LLM calls {result.llm_calls}, tokens {result.usage.total_tokens:,}, cost "
                  f"{'unknown' if result.cost_usd is None else f'${result.cost_usd:.4f}'}, "
                  f"engine steps {result.engine_steps:,} ({result.steps_per_s:,.0f}/s)")
    if result.stop_kind in ("fatal", "unavailable"):
        best = result.best
        if best is not None and best.score:
            console.print(f"best so far: node {best.id} (h = {best.score:.3f}) in "
                          f"{path / 'nodes' / f'{best.id}.py'}", highlight=False, markup=False)
        fix = "fix it, then " if result.stop_kind == "fatal" else ""
        code = EXIT_INPUT if result.stop_kind == "fatal" else EXIT_ENVIRONMENT
        fail(f"{result.stop_reason}. The run is saved: {fix}continue it with "
             f"`autoharness learn --resume {path}`", code)
    if result.best is None or _is_skeleton(result.best_source):
        fail("no candidate beyond the starting skeleton was evaluated; nothing to save",
             code=EXIT_NOT_CLEAN)
    target = out if result.confirmed else path / "best.py"
    save_harness(result, config, target)
    if result.confirmed:
        console.print(f"saved the confirmed harness (h = 1.000) to {target}")
    else:
        console.print(f"no candidate was confirmed clean; the best (h = {result.best.score:.3f})"
                      f" is in {target}")
        raise typer.Exit(EXIT_NOT_CLEAN)  # ran, but the result is not clean


def _resumed_config(resume: Path) -> LearnConfig:
    """The config of the run in ``resume``; a one-line error naming the file when it is not a
    readable run."""
    from autoharness.learn.rundir import RunDir

    if not resume.is_dir():
        fail(f"--resume {resume}: no such run directory")
    try:
        return RunDir.open(resume).config()
    except FileNotFoundError as error:
        fail(str(error))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError,
            AttributeError) as error:
        fail(f"{resume / 'run.json'} is not a readable learn run "
             f"({type(error).__name__}: {error})")


def _is_skeleton(source: str | None) -> bool:
    from autoharness.learn.candidate import SKELETON, code_part

    return source is None or code_part(source).strip() == SKELETON.strip()


def _write_config(resume: Path, config: LearnConfig) -> None:
    from autoharness.learn.rundir import RunDir

    RunDir.open(resume).update_meta(config=config.to_dict())


def run_show(path: Path, as_json: bool) -> None:
    from autoharness.learn.rundir import RunDir

    try:
        run = RunDir.open(path)
        meta, nodes, exchanges = run.meta(), run.nodes(), run.exchanges()
    except FileNotFoundError as error:
        fail(str(error))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        fail(f"{path} is not a readable learn run ({type(error).__name__}: {error})")
    from autoharness.learn.budget import Budget

    try:
        config = LearnConfig.from_dict(meta["config"])
    except (KeyError, TypeError, ValueError) as error:
        fail(f"{path / 'run.json'} is not a readable learn run ({type(error).__name__}: {error})")
    budget = Budget(config, exchanges)
    cost = budget.spent_cost
    summary = {
        "game": config.game, "model": config.model,
        "state": meta.get("state"), "stop_reason": meta.get("stop_reason"),
        "llm_calls": len(exchanges),
        "failed_calls": sum(e.error is not None for e in exchanges),
        "tokens": budget.tokens,  # what the budget counts (worst cases for unknown usage)
        "cost_usd": None if cost is None else round(cost, 4),
        "max_output_tokens": config.max_output_tokens,
        "thinking_budget": config.thinking_budget,
        "price": list(config.price) if config.price else None,
        "budgets": {name: getattr(config, name) for name in
                    ("max_llm_calls", "max_cost", "max_tokens", "max_minutes")},
        "engine_steps": meta.get("engine_steps", 0), "best": meta.get("best"),
        "confirmed": meta.get("confirmed", False),
        "nodes": [n.to_dict() for n in nodes],
    }
    if as_json:
        print(json.dumps(summary, indent=1))
        return
    for key in ("game", "model", "state", "stop_reason", "llm_calls", "failed_calls", "tokens",
                "cost_usd", "max_output_tokens", "thinking_budget", "price", "budgets",
                "engine_steps", "best", "confirmed"):
        console.print(f"{key}: {summary[key]}", highlight=False, markup=False)
    table = Table(title="candidates")
    for column in ("node", "parent", "h", "status", "refined", "contradictions", "problem"):
        table.add_column(column)
    for node in nodes:
        counts = ", ".join(f"{k} {v}" for k, v in node.counts.items())
        table.add_row(str(node.id), str(node.parent), "" if node.score is None else
                      f"{node.score:.3f}", node.status + (" ✓" if node.confirmed else ""),
                      str(node.refined), counts, node.problem or "")
    console.print(table)
