"""The ``autoharness`` command line: parses arguments, calls the packages, prints.

Imports here stay light (no TextArena, pandas or rich tables at load): ``autoharness --help`` is
fast, and each command imports its own work. Exit codes: see ``cli_support``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from autoharness import __version__
from autoharness.cli_support import (
    OneLineErrorsGroup,
    above,
    at_least,
    between,
    fail,
    game_or_exit,
    parse_seeds,
    sandbox_layers,
)
from autoharness.commands.engine_option import ENGINE_HELP, engine_profile
from autoharness.defaults import DEFAULT_STRESS_POSITIONS
from autoharness.scale.executor import RAY_HELP

app = typer.Typer(
    cls=OneLineErrorsGroup,
    help="Code harnesses that keep LLM agents' moves legal in TextArena games. Exit codes: 0 ran "
         "and clean, 1 ran but not clean, 2 bad input, 3 the environment or a provider failed.",
    no_args_is_help=True,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"autoharness {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main_options(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print the version and exit."),
) -> None:
    """Code harnesses that keep LLM agents' moves legal in TextArena games."""


@app.command()
def games(
    pattern: str = typer.Argument("", help="Show only ids containing this (case-insensitive)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List the 145 benchmark games, with the paper's LLM calls per game."""
    from autoharness.arena.catalogue import benchmark_games
    from autoharness.harness.library import find_harness

    rows = [g for g in benchmark_games() if pattern.lower() in g.id.lower()]
    if not rows:
        fail(f"no game matches '{pattern}'; `autoharness games` lists all 145")
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
    _print_games(records)


def _print_games(records: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    # Piped output is not cut to 80 columns: ids and file names stay whole.
    console = Console() if sys.stdout.isatty() else Console(width=400)
    table = Table(title=f"{len(records)} benchmark games")
    for column in ("id", "players", "paper game-play", "paper LLM calls", "harness"):
        table.add_column(column, no_wrap=column in ("id", "harness"))
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
    seeds: str = typer.Option("10", "--seeds",
                              help="Count (10 = seeds 0-9), list (1,5,9) or range (3-7)."),
    steps: int = typer.Option(1000, "--steps", callback=at_least(1), help="Actions per seed."),
    stress_positions: int = typer.Option(DEFAULT_STRESS_POSITIONS, "--stress-positions",
                                         callback=at_least(0),
                                         help="Positions where eval_action is probed."),
    show: int = typer.Option(5, "--show", callback=at_least(0), help="Contradictions to print."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable report (stdout: JSON "
                                                       "only)."),
    update_card: bool = typer.Option(False, "--update-card",
                                     help="Record the figures in the harness file's card."),
    timeout: float = typer.Option(1.0, "--timeout", callback=above(0),
                                  help="Seconds per harness call."),
    require_isolation: bool = typer.Option(False, "--require-isolation",
                                           help="Refuse to run harness code without the kernel "
                                                "sandbox layers (exit 3)."),
    engine: str = typer.Option("stock", "--engine", callback=engine_profile,
                               help=ENGINE_HELP),
    world_model: bool = typer.Option(False, "--world-model",
                                     help="Check the harness's world model instead (static, "
                                          "dynamics and information tiers against the engine)."),
) -> None:
    """Play a harness on every seat and check its verifier against the engine.
    Exit 0 when clean (no illegal action, false accept/reject or harness failure), else 1."""
    from autoharness.commands.verify_cmd import run_verify

    game_id = game_or_exit(game)
    seed_list = parse_seeds(seeds)
    sandbox_layers(require_isolation, defer=True)  # said once the harness file checks out
    if world_model:
        from autoharness.worldmodel.command import run_world_model_verify

        run_world_model_verify(game_id, harness, seed_list, steps, show, as_json,
                               update_card, timeout, engine=engine)
        return
    run_verify(game_id, harness, seed_list, steps, stress_positions, show, as_json,
               update_card, timeout, engine=engine)


@app.command()
def bench(
    games: str = typer.Option("paper", "--games",
                              help="paper (the 145; with --metric reward the paper's 16 "
                                   "one-player game-play games), a comma list, or a file of ids."),
    seeds: str = typer.Option(None, "--seeds",
                              help="Count (10 = seeds 0-9), list (1,5,9) or range (3-7); "
                                   "default 10 (20 with --metric reward)."),
    steps: int = typer.Option(None, "--steps", callback=at_least(1),
                              help="Actions per seed (default 1000); with --metric reward the "
                                   "cap per episode (default 5000)."),
    metric: str = typer.Option("legality", "--metric",
                               help="legality (the engine judges every action) or reward (the "
                                    "harness as a player: propose_action and choose_action, "
                                    "mean reward per game)."),
    agent: str = typer.Option("harness", "--agent",
                              help="harness, noisy:P, or an LLM as provider/model."),
    harness: str = typer.Option("auto", "--harness",
                                help="auto (the library's), none (the agent unwrapped), or a "
                                     "harness file."),
    jobs: int = typer.Option(0, "--jobs", callback=at_least(0), help="Processes (0: all cores)."),
    out: Path = typer.Option(None, "--out", help="Results folder (default eval/results/NAME)."),
    stress_positions: int = typer.Option(DEFAULT_STRESS_POSITIONS, "--stress-positions",
                                         callback=at_least(0),
                                         help="Positions per game where eval_action is probed."),
    timeout: float = typer.Option(1.0, "--timeout", callback=above(0),
                                  help="Seconds per harness call."),
    fresh: bool = typer.Option(False, "--fresh", help="Re-measure every game, ignoring rows of "
                                                      "an earlier run."),
    update_cards: bool = typer.Option(False, "--update-cards",
                                      help="Record each game's figures in its harness card."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output (stdout: JSON "
                                                       "only)."),
    require_isolation: bool = typer.Option(False, "--require-isolation",
                                           help="Refuse to run harness code without the kernel "
                                                "sandbox layers (exit 3)."),
    engine: str = typer.Option("stock", "--engine", callback=engine_profile,
                               help=ENGINE_HELP),
    ray: str = typer.Option(None, "--ray", metavar="[ADDRESS]", help=RAY_HELP),
    no_preflight: bool = typer.Option(False, "--no-preflight",
                                      help="Skip the check of an LLM agent's key and model "
                                           "before any engine time."),
) -> None:
    """The legality benchmark: the engine judges every action of every game (--metric reward:
    the reward benchmark). Exit 0 when every game is clean, 1 when one is not, 3 when a game
    could not be measured."""
    from autoharness.commands.bench_cmd import bench_config, run_bench_command

    if metric not in ("legality", "reward"):
        fail(f"--metric is legality or reward, not {metric!r}")
    if metric == "reward":
        from autoharness.policy.command import reward_config, run_reward_command

        if update_cards or ray is not None:
            fail("--update-cards and --ray go with --metric legality")
        config = reward_config(games=games, seeds=seeds, agent=agent, harness=harness,
                               jobs=jobs, out=out, timeout=timeout, fresh=fresh,
                               engine=engine, max_turns=steps)
        sandbox_layers(require_isolation)  # after the input checks: a typo is the only line
        run_reward_command(config, as_json)
        return
    seeds, steps = seeds or "10", steps or 1000
    config = bench_config(games=games, seeds=seeds, steps=steps, agent=agent, harness=harness,
                          jobs=jobs, out=out, stress_positions=stress_positions,
                          timeout=timeout, fresh=fresh, update_cards=update_cards,
                          engine=engine, preflight=not no_preflight)
    sandbox_layers(require_isolation)  # after the input checks: a typo is the only line
    run_bench_command(config, as_json, update_cards, ray=ray)


def objective_name(ctx: typer.Context, param: typer.CallbackParam,
                   value: str | None) -> str | None:
    """``--objective``: a known learn objective (learn/objectives.py), else one line, exit 2."""
    from autoharness.learn import objectives

    if value is not None and not ctx.resilient_parsing and value not in objectives.names():
        fail(f"--objective: unknown objective {value!r}; known: {', '.join(objectives.names())}")
    return value


@app.command()
def learn(
    ctx: typer.Context,
    game: str = typer.Argument(None, help="Game id or name, e.g. Chess-v0 or chess."),
    model: str = typer.Option(None, "--model", help="provider/model, e.g. gemini/gemini-2.5-flash"),
    seed_harness: Path = typer.Option(None, "--from", help="Start from this harness file."),
    out: Path = typer.Option(None, "--out", help="Where to save the learned harness."),
    replace: bool = typer.Option(False, "--replace",
                                 help="Overwrite the library harness that serves the game."),
    run_dir: Path = typer.Option(None, "--run-dir", help="Run directory (default: data dir)."),
    resume: Path = typer.Option(None, "--resume", help="Continue the run in this directory."),
    max_llm_calls: int = typer.Option(50, "--max-llm-calls", callback=at_least(1)),
    max_cost: float = typer.Option(None, "--max-cost", callback=above(0), help="Dollars."),
    max_tokens: int = typer.Option(None, "--max-tokens", callback=at_least(1),
                                   help="Input + output tokens."),
    max_minutes: float = typer.Option(None, "--max-minutes", callback=above(0)),
    envs: int = typer.Option(10, "--envs", callback=at_least(1),
                             help="Parallel rollout lanes per evaluation."),
    steps: int = typer.Option(1000, "--steps", callback=at_least(1), help="Actions per lane."),
    probe_positions: int = typer.Option(200, "--probe-positions", callback=at_least(0),
                                        help="Positions per evaluation where eval_action is "
                                             "probed."),
    examples: int = typer.Option(5, "--examples", callback=at_least(1),
                                 help="Contradictions per refinement prompt."),
    exploration: float = typer.Option(10.0, "--exploration", callback=at_least(0),
                                      help="REx's C."),
    temperature: float = typer.Option(1.0, "--temperature", callback=between(0, 2)),
    seed: int = typer.Option(0, "--seed", callback=at_least(0)),
    max_output_tokens: int = typer.Option(
        None, "--max-output-tokens", callback=at_least(1),
        help="Output cap per LLM call, thinking included (default: 12288 Gemini, 8192 others)."),
    thinking_budget: int = typer.Option(
        None, "--thinking-budget", callback=at_least(0),
        help="Thinking tokens per call: Gemini's thinking budget, Claude's extended thinking "
             "(>= 1024); 0 = off (default: a third of the cap on Gemini 2.5+, off elsewhere)."),
    price: str = typer.Option(None, "--price", help="IN,OUT: dollars per million input and "
                                                    "output tokens, for a model the price "
                                                    "table does not know."),
    max_failed_calls: int = typer.Option(3, "--max-failed-calls", callback=at_least(1),
                                         help="Provider failures in a row (each after its "
                                              "retries) before the run stops, resumable "
                                              "(exit 3)."),
    no_preflight: bool = typer.Option(False, "--no-preflight",
                                      help="Skip the check of key and model before any "
                                           "engine time."),
    require_isolation: bool = typer.Option(False, "--require-isolation",
                                           help="Refuse to run harness code without the kernel "
                                                "sandbox layers (exit 3)."),
    engine: str = typer.Option("stock", "--engine", callback=engine_profile,
                               help=ENGINE_HELP),
    objective: str = typer.Option("legality", "--objective", callback=objective_name,
                                  help="What to learn: legality (propose/eval), world-model "
                                       "(parse_state, legal_actions, apply, ...) or policy "
                                       "(choose_action's reward)."),
    games: str = typer.Option(None, "--games",
                              help="Learn many games in one run: paper (the 145), a comma "
                                   "list, or a file of ids. --out is then a folder."),
    from_library: bool = typer.Option(False, "--from-library",
                                      help="--games: start each game from its library harness "
                                           "(default: the skeleton)."),
    total_cost: float = typer.Option(None, "--total-cost", callback=above(0),
                                     help="--games: dollars for the whole run, all games "
                                          "together (hard: reserved before each call)."),
    jobs: int = typer.Option(0, "--jobs", callback=at_least(0),
                             help="--games: processes for the engine work (0: all cores)."),
    llm_concurrency: int = typer.Option(4, "--llm-concurrency", callback=at_least(1),
                                        help="--games: LLM calls in flight at once."),
    ray: str = typer.Option(None, "--ray", metavar="[ADDRESS]", help=RAY_HELP),
) -> None:
    """Learn a harness for GAME (or for each of --games) from engine contradictions with an
    LLM. Exit 0 confirmed clean, 1 stopped without a clean harness (budget), 2 bad input or a
    fatal provider error (key, model, request), 3 the provider kept failing or a game crashed
    (resume with --resume RUN_DIR)."""
    from autoharness.commands.learn_cmd import given_options, run_learn
    from autoharness.commands.learn_games_cmd import (
        LIBRARY_FLAGS,
        run_learn_games,
        single_game_conflict,
    )
    from autoharness.learn.library_dir import LibraryDir

    given = {name for name in (*LIBRARY_FLAGS, "out", "replace")
             if getattr(ctx.get_parameter_source(name), "name", None) == "COMMANDLINE"}
    many = games is not None or (resume is not None and LibraryDir.holds_library(resume))
    conflict = None if many else single_game_conflict(given)
    if conflict:
        fail(conflict)
    if many and seed_harness is not None:  # would be ignored: say so instead
        fail("--from starts one game from a file; with --games use --from-library")
    ignored = [flag for flag, value in (("--from", seed_harness), ("--run-dir", run_dir))
               if value is not None and resume is not None]
    if ignored:
        fail(f"{' and '.join(ignored)}: not with --resume (the run in {resume} keeps its "
             "starting harness and its directory)")
    sandbox_layers(require_isolation, defer=True)  # said after the key and model check out
    options = given_options(ctx, locals())
    if many:
        run_learn_games(options, games, resume=resume, run_dir=run_dir, out=out,
                        replace_files=replace, from_library=from_library, total_cost=total_cost,
                        jobs=jobs, llm_concurrency=llm_concurrency, ray=ray,
                        preflight=not no_preflight, given=given)
        return
    run_learn(options, resume, seed_harness, out, run_dir, replace, preflight=not no_preflight)


@app.command()
def show(
    what: Path = typer.Argument(..., help="A learn run directory, or a match log "
                                          "(MATCH.jsonl, written by `play`)."),
    as_json: bool = typer.Option(False, "--json"),
    boards: bool = typer.Option(True, "--boards/--no-boards",
                                help="Match logs: print the board after each move."),
) -> None:
    """Summarise a learn run, or replay a match log move by move."""
    if what.is_file() or what.suffix == ".jsonl":
        from autoharness.commands.show_match import show_match

        show_match(what, as_json, boards)
        return
    from autoharness.commands.learn_cmd import run_show

    run_show(what, as_json)


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
