"""``autoharness play``: N games of one game between an agent and an opponent, each wrapped in the
game's harness (or not, ``--harness none``), with a results table and a per-move JSONL log.

This module imports nothing heavy at load: ``play_command`` can be registered on the CLI app
(``app.command("play")(play_command)``) without importing TextArena.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from autoharness.cli_support import data_dir, fail, game_or_exit

console = Console(stderr=False)
err_console = Console(stderr=True)

AGENT_HELP = ("harness, noisy:P, textarena:Class[:model], or provider/model "
              "(openai/gpt-4o-mini, gemini/gemini-2.5-flash, anthropic/claude-haiku-4-5).")


def play_command(
    game: str = typer.Argument(..., help="Game id or name, e.g. Chess-v0 or chess."),
    agent: str = typer.Option(..., "--agent", help="The agent: " + AGENT_HELP),
    opponent: str = typer.Option("harness", "--opponent",
                                 help="The other seats (multi-player games), same forms."),
    harness: str = typer.Option("auto", "--harness",
                                help="auto (the library's harness), none (unwrapped baseline), "
                                     "or a harness file."),
    n_games: int = typer.Option(1, "--games", min=1, help="Games to play."),
    seed: int = typer.Option(0, "--seed", help="Seed of the first game; game i plays seed+i."),
    max_retries: int = typer.Option(3, "--max-retries", min=0,
                                    help="Rejected proposals before the harness plays."),
    mode: str = typer.Option("verify", "--mode",
                             help="verify (the harness checks the agent's move) or filter "
                                  "(the agent picks among the harness's legal moves)."),
    log: str = typer.Option(None, "--log", help="Per-move JSONL log (default: "
                                                "$AUTOHARNESS_DATA/matches/<game>-<time>.jsonl)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable results."),
    max_turns: int = typer.Option(0, "--max-turns", min=0,
                                  help="Stop a game after this many actions (0: no cap)."),
    timeout: float = typer.Option(1.0, "--timeout", help="Seconds per harness call."),
) -> None:
    """Play games with an LLM (or TextArena or offline) agent whose moves a harness keeps legal."""
    run_play(game_or_exit(game), agent, opponent, harness, n_games, seed, max_retries, mode, log,
             as_json, max_turns=max_turns or None, timeout=timeout)


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
             max_turns: int | None = None, timeout: float = 1.0) -> dict:
    """The command's body; returns the JSON summary (also printed with ``as_json``)."""
    from autoharness.arena.catalogue import num_players
    from autoharness.commands.loading import open_harness
    from autoharness.play import (
        AgentSpecError,
        HarnessedAgent,
        MatchLog,
        Unwrapped,
        build_agent,
        parse_agent_spec,
        play_games,
    )
    from autoharness.play.harnessed import MODES

    if mode not in MODES:
        fail(f"--mode is verify or filter, not {mode!r}")
    if games < 1 or max_retries < 0:
        fail("--games needs at least 1 and --max-retries at least 0")
    players = num_players(game_id)
    try:
        agent_s = parse_agent_spec(agent_spec)
        opponent_s = parse_agent_spec(opponent_spec) if players > 1 else None
    except AgentSpecError as error:
        fail(str(error))
    specs = [s for s in (agent_s, opponent_s) if s is not None]
    wrap = harness_opt.strip().lower() != "none"
    loaded: Any = None
    path: Path | None = None
    if wrap:
        explicit = None if harness_opt.strip().lower() == "auto" else harness_opt
        path, loaded = open_harness(game_id, explicit, timeout=timeout, seed=seed)
    elif any(s.needs_harness for s in specs):  # unwrapped, but an offline agent plays through it
        path, loaded = open_harness(game_id, None, timeout=timeout, seed=seed)

    def player(spec, offset: int):
        try:
            built = build_agent(spec, harness=loaded, seed=seed + offset)
        except AgentSpecError as error:
            fail(str(error))
        if wrap and spec.kind != "harness":
            return HarnessedAgent(built, loaded, max_retries=max_retries, mode=mode)
        return Unwrapped(built, max_retries=max_retries)

    log_path = Path(log).expanduser() if log else default_log_path(game_id)
    header = {"game": game_id, "agent": agent_s.text,
              "opponent": opponent_s.text if opponent_s else None,
              "harness": str(path) if wrap and path else None, "mode": mode if wrap else "none",
              "games": games, "seed": seed, "max_retries": max_retries, "max_turns": max_turns,
              "started": datetime.datetime.now().isoformat(timespec="seconds")}
    try:
        me = player(agent_s, 0)
        them = player(opponent_s, 1_000_003) if opponent_s is not None else None
        try:
            match_log = MatchLog(log_path, header)
        except OSError as error:
            fail(f"cannot write the log {log_path}: {error.strerror or error}")
        with match_log:
            def on_game(record) -> None:
                match_log.game(record)
                if not as_json:
                    err_console.print(_game_line(record, games), highlight=False)

            results = play_games(game_id, me, them, games=games, seed=seed,
                                 max_turns=max_turns, max_retries=max_retries, players=players,
                                 on_move=lambda record, side: match_log.move(record, side),
                                 on_game=on_game)
    finally:
        if loaded is not None:
            loaded.close()
    summary = {**results.to_dict(), **{k: v for k, v in header.items() if k not in
                                        ("game", "agent", "opponent")},
               "log": str(log_path)}
    summary["agent"]["spec"] = agent_s.text
    if summary["opponent"] is not None and opponent_s is not None:
        summary["opponent"]["spec"] = opponent_s.text
    if as_json:
        typer.echo(json.dumps(summary, indent=1))
    else:
        print_results(summary)
    return summary


def _game_line(record, total: int) -> str:
    result = f"reward {record.agent_reward:g}" if record.outcome == "reward" else record.outcome
    why = f" — {record.reason}" if record.reason else ""
    return (f"game {record.index + 1}/{total} seed {record.seed} seat {record.agent_seat}: "
            f"{result} after {record.turns} actions{why}")


def _results_text(results: dict | None) -> str:
    if results is None:
        return ""
    if "rewards" in results:
        mean = results["mean_reward"]
        text = f"mean reward {mean:.3f}" if mean is not None else "no reward"
    else:
        text = f"{results['wins']}W {results['draws']}D {results['losses']}L"
    extra = [f"{results[k]} {k}" for k in ("unfinished", "error") if results.get(k)]
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
    table.add_row("tokens", *[f"{row['tokens']:,}" for row in rows])
    table.add_row("cost $", *[cost(row) for row in rows])
    console.print(table)
    console.print("illegal: actions that reached the engine and were rejected; retries: "
                  "re-asks after the harness rejected a proposal; fallbacks: moves the harness "
                  "played (or, with a failing harness, the agent's unchecked move).",
                  highlight=False, markup=False)
    console.print(f"harness: {wrapped or 'none'}", highlight=False, markup=False)
    console.print(f"per-move log: {summary['log']}", highlight=False, markup=False)
