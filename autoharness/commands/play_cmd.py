"""``autoharness play``: N games of one game between an agent and an opponent, each wrapped in the
game's harness (or not, ``--harness none``), with a results table and a per-move JSONL log. Each
move is printed as it happens (stderr; ``--quiet`` turns it off).

Exit codes: 0 when no illegal action reached the engine, no harness call failed and no game ended
in an engine error; 1 otherwise; 2 for bad input; 3 when the environment or a provider failed (a
missing API key, a model that failed on every call).

This module imports nothing heavy at load: ``play_command`` can be registered on the CLI app
(``app.command("play")(play_command)``) without importing TextArena.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from autoharness.cli_support import (
    EXIT_CLEAN,
    EXIT_ENVIRONMENT,
    EXIT_INPUT,
    EXIT_NOT_CLEAN,
    above,
    at_least,
    data_dir,
    engine_output_to_stderr,
    exit_with,
    fail,
    game_or_exit,
    sandbox_layers,
    writable_or_exit,
)
from autoharness.commands.engine_option import ENGINE_HELP, engine_profile

console = Console(stderr=False)

AGENT_HELP = ("harness, harness-policy (the harness's choose_action), noisy:P, human (you, at the "
              "terminal), textarena:Class[:model], or "
              "provider/model "
              "(openai/gpt-4o-mini, gemini/gemini-2.5-flash, anthropic/claude-haiku-4-5).")


def play_command(
    game: str = typer.Argument(..., help="Game id or name, e.g. Chess-v0 or chess."),
    agent: str = typer.Option(..., "--agent", help="The agent: " + AGENT_HELP),
    opponent: str = typer.Option("harness", "--opponent",
                                 help="The other seats (multi-player games), same forms."),
    harness: str = typer.Option("auto", "--harness",
                                help="auto (the library's harness), none (unwrapped baseline), "
                                     "or a harness file."),
    n_games: int = typer.Option(1, "--games", callback=at_least(1), help="Games to play."),
    seed: int = typer.Option(0, "--seed", callback=at_least(0),
                             help="Seed of the first game; game i plays seed+i."),
    max_retries: int = typer.Option(3, "--max-retries", callback=at_least(0),
                                    help="Rejected proposals before the harness plays."),
    mode: str = typer.Option("verify", "--mode",
                             help="verify (the harness checks the agent's move) or filter "
                                  "(the agent picks among the harness's legal moves)."),
    log: str = typer.Option(None, "--log", help="Per-move JSONL log (default: "
                                                "$AUTOHARNESS_DATA/matches/<game>-<time>.jsonl)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable results (stdout: JSON "
                                                       "only)."),
    max_turns: int = typer.Option(0, "--max-turns", callback=at_least(0),
                                  help="Stop a game after this many actions (0: no cap)."),
    timeout: float = typer.Option(1.0, "--timeout", callback=above(0),
                                  help="Seconds per harness call."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print each move as it "
                                                            "happens."),
    require_isolation: bool = typer.Option(False, "--require-isolation",
                                           help="Refuse to run harness code without the kernel "
                                                "sandbox layers (exit 3)."),
    engine: str = typer.Option("stock", "--engine", callback=engine_profile,
                               help=ENGINE_HELP),
    no_preflight: bool = typer.Option(False, "--no-preflight",
                                      help="Skip the check of an LLM agent's key and model "
                                           "before the match."),
    max_output_tokens: int = typer.Option(
        None, "--max-output-tokens", callback=at_least(1),
        help="LLM agents: output cap per call, thinking included (default: 12288 Gemini, 8192 "
             "others)."),
    thinking_budget: int = typer.Option(
        None, "--thinking-budget", callback=at_least(0),
        help="LLM agents: thinking tokens per call, Gemini's thinking budget or Claude's "
             "extended thinking (>= 1024); 0 = off (default: a third of the cap on Gemini 2.5+, "
             "off elsewhere)."),
) -> None:
    """Play games with an LLM (or TextArena, offline or human) agent whose moves a harness keeps
    legal. Exit 0 when no illegal action reached the engine, else 1; 2 also when a provider
    refused the agent (key, model, request), 3 when it never answered or kept failing."""
    game_id = game_or_exit(game)
    sandbox_layers(require_isolation, defer=True)  # said once the harness file checks out
    summary = run_play(game_id, agent, opponent, harness, n_games, seed, max_retries,
                       mode, log, as_json, max_turns=max_turns or None, timeout=timeout,
                       quiet=quiet, engine=engine, preflight=not no_preflight,
                       max_output_tokens=max_output_tokens, thinking_budget=thinking_budget)
    exit_with(play_exit_code(summary))


def default_log_path(game_id: str) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = data_dir() / "matches"
    path = folder / f"{game_id}-{stamp}.jsonl"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{game_id}-{stamp}-{n}.jsonl"
    return path


def run_play(game_id: str, agent_spec: str, opponent_spec: str = "harness",
             harness_opt: str = "auto", games: int = 1, seed: int = 0, max_retries: int = 3,
             mode: str = "verify", log: str | None = None, as_json: bool = False, *,
             max_turns: int | None = None, timeout: float = 1.0, quiet: bool = False,
             engine: str = "stock", preflight: bool = True,
             max_output_tokens: int | None = None, thinking_budget: int | None = None) -> dict:
    """The command's body; returns the JSON summary (also printed with ``as_json``).
    ``max_output_tokens`` and ``thinking_budget`` apply to the LLM sides (None: the provider's
    default); the values each side used are in the log's header and the summary."""
    from autoharness.arena.catalogue import num_players
    from autoharness.commands.loading import open_harness
    from autoharness.play import (
        AgentSpecError,
        AgentUnavailable,
        HarnessedAgent,
        MatchLog,
        Unwrapped,
        build_agent,
        parse_agent_spec,
        play_games,
    )
    from autoharness.play.harnessed import MODES
    from autoharness.play.human import HumanQuit
    from autoharness.play.render import describe_game
    from autoharness.play.specs import llm_settings

    if mode not in MODES:
        fail(f"--mode is verify or filter, not {mode!r}")
    if games < 1 or max_retries < 0:
        fail("--games needs at least 1 and --max-retries at least 0")
    players = num_players(game_id)
    try:
        agent_s = parse_agent_spec(agent_spec)
        opponent_s = parse_agent_spec(opponent_spec) if players > 1 else None
    except AgentSpecError as error:
        fail(str(error), error.exit_code)
    sides = {"agent": (agent_s, 0), "opponent": (opponent_s, 1_000_003)}
    sides = {side: value for side, value in sides.items() if value[0] is not None}
    try:
        settings = {side: llm_settings(spec, max_output_tokens, thinking_budget)
                    for side, (spec, _) in sides.items()}
    except AgentSpecError as error:
        fail(str(error), error.exit_code)
    settings = {side: value for side, value in settings.items() if value is not None}
    if (max_output_tokens is not None or thinking_budget is not None) and not settings:
        fail("--max-output-tokens and --thinking-budget set an LLM agent's calls; neither "
             f"{agent_spec} nor {opponent_spec if opponent_s else 'any opponent'} is one")
    specs = [spec for spec, _ in sides.values()]
    wrap = harness_opt.strip().lower() != "none"
    loaded: Any = None
    path: Path | None = None

    def build(spec, offset: int, side: str):
        options = settings.get(side) or {}
        try:
            built = build_agent(spec, harness=loaded, seed=seed + offset,
                                max_tokens=options.get("max_output_tokens"),
                                llm_options={"thinking_budget": options.get("thinking_budget")})
        except AgentSpecError as error:
            fail(str(error), error.exit_code)
        if preflight:  # key and model checked before any engine time
            try:
                built.preflight()
            except AgentUnavailable as error:
                fail(f"{error} (preflight; no game was played)",
                     EXIT_INPUT if error.fatal else EXIT_ENVIRONMENT)
        return built

    log_path = Path(log).expanduser() if log else default_log_path(game_id)
    if log_path.is_dir():  # checked before any key, harness or sandbox line (nothing created)
        fail(f"cannot write the log {log_path}: it is a folder")
    writable_or_exit(log_path.parent)
    # Agents that need no harness (LLMs, TextArena's) are built and checked first: a wrong key
    # is one line before any harness worker starts.
    built = {side: build(spec, offset, side) for side, (spec, offset) in sides.items()
             if not spec.needs_harness}
    if wrap:
        explicit = None if harness_opt.strip().lower() == "auto" else harness_opt
        path, loaded = open_harness(game_id, explicit, timeout=timeout, seed=seed,
                                    engine=engine)
    elif any(s.needs_harness for s in specs):  # unwrapped, but an offline agent plays through it
        path, loaded = open_harness(game_id, None, timeout=timeout, seed=seed, engine=engine)

    def player(side: str):
        spec, offset = sides[side]
        agent = built[side] if side in built else build(spec, offset, side)
        if spec.kind == "harness-policy":
            from autoharness.play.policy_agent import NoPolicyError, require_policy

            try:
                require_policy(loaded, str(path))
            except NoPolicyError as error:
                fail(str(error))
        if wrap and spec.kind not in ("harness", "harness-policy"):  # the harness's own moves
            return HarnessedAgent(agent, loaded, max_retries=max_retries, mode=mode)
        return Unwrapped(agent, max_retries=max_retries)

    header = {"game": game_id, "agent": agent_s.text,
              "opponent": opponent_s.text if opponent_s else None,
              "harness": str(path) if wrap and path else None, "mode": mode if wrap else "none",
              "games": games, "seed": seed, "max_retries": max_retries, "max_turns": max_turns,
              "engine": engine, "llm": settings,  # each LLM side's output cap and thinking
              "started": datetime.datetime.now().isoformat(timespec="seconds")}
    try:
        me = player("agent")
        them = player("opponent") if opponent_s is not None else None
        try:
            match_log = MatchLog(log_path, header)
        except OSError as error:
            fail(f"cannot write the log {log_path}: {error.strerror or error}")
        watching = not quiet and not as_json
        with match_log, engine_output_to_stderr(as_json):
            def on_move(record, side: str) -> None:
                match_log.move(record, side)
                if watching:
                    _print_move(record, side)

            def on_game(record) -> None:
                match_log.game(record)
                if not as_json:
                    typer.echo(describe_game(asdict(record), games), err=True)

            try:
                results = play_games(game_id, me, them, games=games, seed=seed,
                                     max_turns=max_turns, max_retries=max_retries,
                                     players=players, on_move=on_move, on_game=on_game,
                                     engine=engine)
            except HumanQuit as why:
                fail(f"the human player stopped the match ({why}); the moves so far are in "
                     f"{log_path}", EXIT_NOT_CLEAN)
    finally:
        if loaded is not None:
            loaded.close()
    summary = {**results.to_dict(), **{k: v for k, v in header.items() if k not in
                                        ("game", "agent", "opponent")},
               "log": str(log_path)}
    summary["agent"]["spec"] = agent_s.text
    summary["agent"]["provider_failed"] = _provider_failure(me.records)
    summary["agent"]["unavailable_fatal"] = _unavailable_fatal(me.records)
    if summary["opponent"] is not None and opponent_s is not None and them is not None:
        summary["opponent"]["spec"] = opponent_s.text
        summary["opponent"]["provider_failed"] = _provider_failure(them.records)
        summary["opponent"]["unavailable_fatal"] = _unavailable_fatal(them.records)
    if as_json:
        typer.echo(json.dumps(summary, indent=1))
    else:
        print_results(summary)
    for side in ("agent", "opponent"):
        row = summary.get(side) or {}
        failure = row.get("provider_failed")
        if failure:
            typer.echo(f"error: every call of the {side} ({row['spec']}) failed: "
                       f"{' '.join(failure.split())}", err=True)
        elif row.get("unavailable"):
            played = len(summary.get("per_game", []))
            typer.echo(f"error: the {side} became unavailable, and the match ended after "
                       f"{played} of {games} game(s): {' '.join(row['unavailable'].split())}",
                       err=True)
    return summary


def _print_move(record, side: str) -> None:
    from autoharness.play.render import describe_move

    typer.echo(describe_move(record.to_dict(), side), err=True)  # one line, never wrapped


def play_exit_code(summary: dict) -> int:
    """0 clean, 1 when an illegal action reached the engine, a harness call failed or a game
    ended in an engine error, 3 when an LLM agent's every call failed (a provider failure)."""
    sides = [summary[side] for side in ("agent", "opponent") if summary.get(side)]
    if any(side.get("unavailable_fatal") for side in sides):
        return EXIT_INPUT  # a key, model or request the provider refuses: the user's to fix
    if any(side.get("provider_failed") or side.get("unavailable") for side in sides):
        return EXIT_ENVIRONMENT
    errors = sum(1 for game in summary.get("per_game", []) if game.get("outcome") == "error")
    dirty = errors or any(side["illegal_to_engine"] or side["harness_failures"] for side in sides)
    return EXIT_NOT_CLEAN if dirty else EXIT_CLEAN


def _provider_failure(records) -> str | None:
    """The first failure, when every call of an agent failed for its provider or itself (None
    otherwise): the agent never answered."""
    attempts = [a for record in records for a in record.attempts if a.source == "agent"]
    failed = [a for a in attempts if a.agent_failure_kind in ("fatal", "transient")]
    if attempts and len(failed) == len(attempts):
        return failed[0].agent_failure
    return None


def _unavailable_fatal(records) -> bool:
    """The agent became unavailable on a fatal failure (a wrong key, model or request)."""
    for record in records:
        if record.unavailable:
            kinds = [a.agent_failure_kind for a in record.attempts if a.source == "agent"]
            return bool(kinds) and kinds[-1] == "fatal"
    return False


def _results_text(results: dict | None) -> str:
    if results is None:
        return ""
    if "rewards" in results:
        mean = results["mean_reward"]
        text = f"mean reward {mean:.3f}" if mean is not None else "no reward"
    else:
        text = f"{results['wins']}W {results['draws']}D {results['losses']}L"
    extra = [f"{results[k]} {k.replace('_', ' ')}"
             for k in ("unfinished", "error", "unavailable", "not_played") if results.get(k)]
    return text + (f" ({', '.join(extra)})" if extra else "")


def print_results(summary: dict) -> None:
    wrapped = summary["harness"]
    title = f"{summary['game']}: {summary['games']} game(s) from seed {summary['seed']}"
    sides = [side for side in ("agent", "opponent") if summary.get(side) is not None]
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("")
    for side in sides:
        table.add_column(side, overflow="fold")
    rows = [summary[side] for side in sides]

    def cost(row: dict) -> str:
        return f"{row['cost_usd']:.4f}" + ("" if row["cost_complete"] else " (+unpriced)")

    def failed(row: dict) -> str:
        n = row.get("failed_calls", 0)
        return f"[red]{n}[/red]" if n else "0"

    def illegal(row: dict) -> str:
        n = row["illegal_to_engine"]
        return f"[red]{n}[/red]" if n else "0"

    table.add_row("player", *[row["spec"] for row in rows])
    table.add_row("harness", *[summary["mode"] if row["wrapped"] else "none" for row in rows])
    table.add_row("results", *[_results_text(row["results"]) for row in rows])
    table.add_row("moves", *[str(row["moves"]) for row in rows])
    table.add_row("illegal to engine", *[illegal(row) for row in rows])
    table.add_row("retries", *[str(row["retries"]) for row in rows])
    table.add_row("fallbacks", *[str(row["fallbacks"]) for row in rows])
    table.add_row("failed calls", *[failed(row) for row in rows])
    if any(row.get("unavailable") for row in rows):
        table.add_row("UNAVAILABLE", *["[red]yes[/red]" if row.get("unavailable") else ""
                                       for row in rows])
    table.add_row("tokens", *[f"{row['tokens']:,}" for row in rows])
    table.add_row("cost $", *[cost(row) for row in rows])
    console.print(table)
    console.print("illegal: actions that reached the engine and were rejected; retries: "
                  "re-asks after the harness rejected a proposal; fallbacks: moves the harness "
                  "played (or, with a failing harness, the agent's unchecked move); failed "
                  "calls: the agent's service (or the agent) failed, after its retries.",
                  highlight=False, markup=False)
    console.print(f"harness: {wrapped or 'none'}", highlight=False, markup=False)
    console.print(f"per-move log: {summary['log']}", highlight=False, markup=False)
