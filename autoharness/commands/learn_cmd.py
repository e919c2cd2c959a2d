"""``autoharness learn`` and ``autoharness show``: run the loop, save the harness, summarise."""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autoharness.arena.catalogue import family_of
from autoharness.cli_support import data_dir, fail
from autoharness.learn.config import LearnConfig

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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        probe = path.parent / f".autoharness-write-test-{time.time_ns()}"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")


def make_model(spec: str):
    from autoharness.llm import LLMError, make_llm

    try:
        return make_llm(spec)
    except LLMError as error:  # MissingAPIKey names the variable to set
        fail(str(error).splitlines()[0])
    except ValueError as error:  # unknown provider / malformed spec
        fail(str(error).splitlines()[0])


def run_learn(config: LearnConfig | None, resume: Path | None, seed_path: Path | None,
              out: Path | None, run_dir: Path | None, replace: bool = False) -> None:
    from autoharness.learn.loop import learn
    from autoharness.learn.rundir import RunDir
    from autoharness.learn.save import save_harness

    if resume is not None:
        try:
            config = RunDir.open(resume).config()
        except (FileNotFoundError, ValueError, KeyError) as error:
            fail(str(error))
        path = resume
    else:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = run_dir or data_dir() / "runs" / f"{config.game}-{stamp}"
        if (path / "run.json").exists():
            fail(f"{path} already holds a run; continue it with --resume {path}")
    out = out or default_output(config.game, replace)
    check_writable(out)
    check_writable(path / "run.json")
    seed_source = None
    if seed_path is not None:
        from autoharness.harness.checks import check_source

        seed_source = seed_path.read_text()
        problems = check_source(seed_source)
        if problems:
            fail(f"{seed_path}: {problems[0]}")
    llm = make_model(config.model)
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
    console.print(f"stopped: {result.stop_reason}")
    console.print(f"LLM calls {result.llm_calls}, tokens {result.usage.total_tokens:,}, cost "
                  f"{'unknown' if result.cost_usd is None else f'${result.cost_usd:.4f}'}, "
                  f"engine steps {result.engine_steps:,} ({result.steps_per_s:,.0f}/s)")
    if result.best is None:
        fail("no candidate was evaluated; nothing to save", code=1)
    target = out if result.confirmed else path / "best.py"
    save_harness(result, config, target)
    if result.confirmed:
        console.print(f"saved the confirmed harness (h = 1.000) to {target}")
    else:
        console.print(f"no candidate was confirmed clean; the best (h = {result.best.score:.3f})"
                      f" is in {target}")


def run_show(path: Path, as_json: bool) -> None:
    from autoharness.learn.rundir import RunDir

    try:
        run = RunDir.open(path)
    except FileNotFoundError as error:
        fail(str(error))
    meta, nodes, exchanges = run.meta(), run.nodes(), run.exchanges()
    costs = [e.cost_usd for e in exchanges]
    summary = {
        "game": meta["config"]["game"], "model": meta["config"]["model"],
        "state": meta.get("state"), "stop_reason": meta.get("stop_reason"),
        "llm_calls": len(exchanges),
        "tokens": sum(e.usage.total_tokens for e in exchanges),
        "cost_usd": None if any(c is None for c in costs) else round(sum(costs), 4),
        "engine_steps": meta.get("engine_steps", 0), "best": meta.get("best"),
        "confirmed": meta.get("confirmed", False),
        "nodes": [n.to_dict() for n in nodes],
    }
    if as_json:
        print(json.dumps(summary, indent=1))
        return
    for key in ("game", "model", "state", "stop_reason", "llm_calls", "tokens", "cost_usd",
                "engine_steps", "best", "confirmed"):
        console.print(f"{key}: {summary[key]}")
    table = Table(title="candidates")
    for column in ("node", "parent", "h", "status", "refined", "contradictions", "problem"):
        table.add_column(column)
    for node in nodes:
        counts = ", ".join(f"{k} {v}" for k, v in node.counts.items())
        table.add_row(str(node.id), str(node.parent), "" if node.score is None else
                      f"{node.score:.3f}", node.status + (" ✓" if node.confirmed else ""),
                      str(node.refined), counts, node.problem or "")
    console.print(table)
