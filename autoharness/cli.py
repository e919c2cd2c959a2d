"""The ``autoharness`` command line: parses arguments, calls the packages, prints."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from autoharness.arena.catalogue import benchmark_games
from autoharness.cli_support import fail, game_or_exit, parse_seeds
from autoharness.harness.verify import DEFAULT_STRESS_POSITIONS

app = typer.Typer(
    help="Code harnesses that keep LLM agents' moves legal in TextArena games.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


@app.command()
def games(
    pattern: str = typer.Argument("", help="Show only ids containing this (case-insensitive)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List the 145 benchmark games, with the paper's LLM calls per game."""
    from autoharness.harness.library import find_harness

    rows = [g for g in benchmark_games() if pattern.lower() in g.id.lower()]
    records = []
    for game in rows:
        path = _harness_or_none(find_harness, game.id)
        records.append({
            "id": game.id, "players": game.players, "paper_gameplay_eval": game.paper_gameplay_eval,
            "paper_llm_calls": game.paper_llm_calls, "harness": str(path) if path else None,
        })
    if as_json:
        typer.echo(json.dumps(records, indent=1))
        return
    table = Table(title=f"{len(records)} benchmark games")
    for column in ("id", "players", "paper game-play", "paper LLM calls", "harness"):
        table.add_column(column)
    for r in records:
        table.add_row(r["id"], str(r["players"]), "yes" if r["paper_gameplay_eval"] else "",
                      str(r["paper_llm_calls"] or ""), Path(r["harness"]).name if r["harness"]
                      else "[red]missing[/red]")
    console.print(table)


def _harness_or_none(find, game_id: str):
    try:
        return find(game_id)
    except Exception:  # a broken library entry shows as missing here; `verify` names the problem
        return None


@app.command()
def verify(
    game: str = typer.Argument(..., help="Game id or name, e.g. Chess-v0 or chess."),
    harness: str = typer.Option(None, "--harness", help="Harness file (default: the library's)."),
    seeds: str = typer.Option("10", "--seeds", help="Count (10 = seeds 0-9) or list (1,5,9)."),
    steps: int = typer.Option(1000, "--steps", help="Actions per seed."),
    stress_positions: int = typer.Option(DEFAULT_STRESS_POSITIONS, "--stress-positions",
                                         help="Positions where eval_action is probed."),
    show: int = typer.Option(5, "--show", help="Contradictions to print."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable report."),
    update_card: bool = typer.Option(False, "--update-card",
                                     help="Record the figures in the harness file's card."),
    timeout: float = typer.Option(1.0, "--timeout", help="Seconds per harness call."),
) -> None:
    """Play a harness on every seat and check its verifier against the engine."""
    from autoharness.commands.verify_cmd import run_verify

    game_id = game_or_exit(game)
    run_verify(game_id, harness, parse_seeds(seeds), steps, stress_positions, show, as_json,
               update_card, timeout)


@app.command()
def bench(
    games: str = typer.Option("paper", "--games",
                              help="paper (the 145), a comma list, or a file of ids."),
    seeds: str = typer.Option("10", "--seeds", help="Count (10 = seeds 0-9) or list (1,5,9)."),
    steps: int = typer.Option(1000, "--steps", help="Actions per seed."),
    agent: str = typer.Option("harness", "--agent",
                              help="harness, noisy:P, or an LLM as provider/model."),
    harness: str = typer.Option("auto", "--harness", help="auto, none, or a harness file."),
    jobs: int = typer.Option(0, "--jobs", help="Processes (0: all cores)."),
    out: Path = typer.Option(None, "--out", help="Results folder (default eval/results/NAME)."),
    stress_positions: int = typer.Option(DEFAULT_STRESS_POSITIONS, "--stress-positions",
                                         help="Positions per game where eval_action is probed."),
    timeout: float = typer.Option(1.0, "--timeout", help="Seconds per harness call."),
    fresh: bool = typer.Option(False, "--fresh", help="Redo games finished by an earlier run."),
    update_cards: bool = typer.Option(False, "--update-cards",
                                      help="Record each game's figures in its harness card."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """The legality benchmark: the engine judges every action of every game."""
    from autoharness.bench.runner import BenchConfig
    from autoharness.commands.bench_cmd import parse_games, run_bench_command

    chosen = parse_games(games)
    if harness not in ("auto", "none") and not Path(harness).is_file():
        fail(f"no harness file at {harness}")
    if update_cards and agent != "harness":
        fail("--update-cards records the harness agent's figures; run with --agent harness")
    if out is None:
        out = Path("eval/results") / f"{agent.replace('/', '_').replace(':', '-')}-{len(chosen)}g"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot write to {out}: {error.strerror}")
    config = BenchConfig(games=chosen, seeds=tuple(parse_seeds(seeds)), steps=steps, out=out,
                         agent=agent, harness=harness, jobs=jobs,
                         stress_positions=stress_positions, timeout=timeout, fresh=fresh)
    run_bench_command(config, as_json, update_cards)


@app.command()
def learn(
    game: str = typer.Argument(None, help="Game id or name, e.g. Chess-v0 or chess."),
    model: str = typer.Option(None, "--model", help="provider/model, e.g. gemini/gemini-2.5-flash"),
    seed_harness: Path = typer.Option(None, "--from", help="Start from this harness file."),
    out: Path = typer.Option(None, "--out", help="Where to save the learned harness."),
    replace: bool = typer.Option(False, "--replace",
                                 help="Overwrite the library harness that serves the game."),
    run_dir: Path = typer.Option(None, "--run-dir", help="Run directory (default: data dir)."),
    resume: Path = typer.Option(None, "--resume", help="Continue the run in this directory."),
    max_llm_calls: int = typer.Option(50, "--max-llm-calls"),
    max_cost: float = typer.Option(None, "--max-cost", help="Dollars."),
    max_tokens: int = typer.Option(None, "--max-tokens", help="Input + output tokens."),
    max_minutes: float = typer.Option(None, "--max-minutes"),
    envs: int = typer.Option(10, "--envs", help="Parallel rollout lanes per evaluation."),
    steps: int = typer.Option(1000, "--steps", help="Actions per lane."),
    probe_positions: int = typer.Option(200, "--probe-positions",
                                        help="Positions per evaluation where eval_action is "
                                             "probed."),
    examples: int = typer.Option(5, "--examples", help="Contradictions per refinement prompt."),
    exploration: float = typer.Option(10.0, "--exploration", help="REx's C."),
    temperature: float = typer.Option(1.0, "--temperature"),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Learn a harness for GAME from engine contradictions with an LLM."""
    from autoharness.commands.learn_cmd import run_learn
    from autoharness.learn.config import LearnConfig

    if resume is not None:
        run_learn(None, resume, seed_harness, out, run_dir, replace)
        return
    if game is None or model is None:
        fail("learn needs a GAME and --model (or --resume RUN_DIR)")
    config = LearnConfig(game=game_or_exit(game), model=model, envs=envs, steps=steps,
                         probe_positions=probe_positions, examples=examples,
                         exploration=exploration, max_llm_calls=max_llm_calls,
                         max_cost=max_cost, max_tokens=max_tokens, max_minutes=max_minutes,
                         temperature=temperature, seed=seed)
    run_learn(config, None, seed_harness, out, run_dir, replace)


@app.command()
def show(
    run: Path = typer.Argument(..., help="A learn run directory."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Summarise a learn run: budget spent, candidates, scores."""
    from autoharness.commands.learn_cmd import run_show

    run_show(run, as_json)


def _register_play() -> None:
    from autoharness.commands.play_cmd import play_command  # light: imports no engine

    app.command("play")(play_command)


_register_play()


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        fail("interrupted", 130)


if __name__ == "__main__":  # pragma: no cover
    main()
