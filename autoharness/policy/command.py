"""``autoharness bench --metric reward``: the reward benchmark's command-line side.

Checks everything the user typed before any game runs (one line, exit 2), runs
``policy.rewards``, writes the table, summary and plot, and exits 0 when every episode was
measured and clean (no harness call failed, no avoidable illegal action), 1 when one was not
(or a game's harness has no ``choose_action``), 3 when an episode could not be measured.
"""

from __future__ import annotations

import json
from pathlib import Path

from autoharness.cli_support import (
    EXIT_CLEAN,
    EXIT_ENVIRONMENT,
    EXIT_NOT_CLEAN,
    engine_output_to_stderr,
    exit_with,
    fail,
    game_or_exit,
    parse_seeds,
    warn,
)

DEFAULT_SEEDS = "20"
DEFAULT_OUT = Path("eval/results/policy-rewards")
ONLY_LEGALITY = ("--steps", "--stress-positions", "--update-cards", "--ray")


def reward_config(*, games: str, seeds: str | None, agent: str, harness: str, jobs: int,
                  out: Path | None, timeout: float, fresh: bool, engine: str,
                  max_turns: int | None):
    from autoharness.commands.bench_cmd import check_harness_option, check_out, parse_games
    from autoharness.policy.episodes import MAX_TURNS
    from autoharness.policy.rewards import RewardConfig, paper_games

    if agent not in ("harness", "harness-policy"):
        fail(f"--metric reward measures the harness as a player (propose_action and "
             f"choose_action), not --agent {agent}")
    chosen = paper_games() if games == "paper" else parse_games(games)
    if games != "paper":
        chosen = tuple(game_or_exit(g) for g in chosen)
    seed_list = tuple(parse_seeds(seeds or DEFAULT_SEEDS))
    check_harness_option(harness, chosen)
    if harness == "none":
        fail("--metric reward plays the harness itself; --harness none leaves nothing to play")
    out = out or DEFAULT_OUT
    check_out(out)
    return RewardConfig(games=chosen, seeds=seed_list, out=out, harness=harness, jobs=jobs,
                        timeout=timeout, max_turns=max_turns or MAX_TURNS, engine=engine,
                        fresh=fresh)


def exit_code(rows: list[dict]) -> int:
    if any(r.get("status") in ("error",) for r in rows):
        return EXIT_ENVIRONMENT
    for row in rows:
        if row.get("status") != "ok":
            return EXIT_NOT_CLEAN
        avoidable = row.get("illegal_actions", 0) - row.get("illegal_undecidable", 0)
        if row.get("harness_failures") or row.get("slow") or (
                row["agent"] == "harness-policy" and avoidable):
            return EXIT_NOT_CLEAN
    return EXIT_CLEAN


def summary_text(summary: dict) -> str:
    lines = [f"reward benchmark: {summary['games']} games × {len(summary['seeds'])} seeds, "
             f"engine {summary['engine']}, {summary['timeout_s']:g} s per harness call"]
    for prefix, label in (("random", "random legal (propose_action)"),
                          ("policy", "policy (choose_action)")):
        key = f"{prefix}_mean_over_games"
        if key in summary:
            lines.append(f"  {label}: mean reward {summary[key]:.3f} over "
                         f"{summary[f'{prefix}_games_measured']} games; illegal actions "
                         f"{summary[f'{prefix}_illegal_actions']:,} of "
                         f"{summary[f'{prefix}_actions']:,}; failed calls "
                         f"{summary[f'{prefix}_harness_failures']}; episodes without a reward "
                         f"{summary[f'{prefix}_episodes_without_reward']}")
    paper = summary.get("paper_means", {})
    quoted = ", ".join(f"{k} {v:.3f}" for k, v in paper.items() if k != "source")
    lines.append(f"  the paper's means ({paper.get('source', '')}): {quoted}")
    return "\n".join(lines)


def run_reward_command(config, as_json: bool) -> None:
    from autoharness.cli_support import progress_bar
    from autoharness.policy.rewards import run_rewards, save

    total = len(config.games) * len(config.agents) * len(config.seeds)
    with engine_output_to_stderr(as_json), \
            progress_bar(total, "bench --metric reward", quiet=as_json) as advance:
        rows = run_rewards(config, progress=lambda done, _total: advance(done))
    try:
        table, summary, written = save(rows, config)
    except OSError as error:
        fail(f"cannot write the results to {config.out}: {error.strerror or error}",
             EXIT_ENVIRONMENT)
    if as_json:
        print(json.dumps({"summary": summary, "games": json.loads(
            table.to_json(orient="records"))}, indent=1))
    else:
        print(summary_text(summary))
        print(f"table: {written[1]}  plot: {written[3]}")
    errors = [r for r in rows if r.get("status") == "error"]
    if errors:
        warn(f"{len(errors)} episode(s) could not be measured, e.g. {errors[0]['game']} seed "
             f"{errors[0]['seed']}: {errors[0].get('error')}")
    missing = sorted({r["game"] for r in rows if r.get("status") in ("missing", "no_policy")})
    if missing:
        warn(f"no harness or no choose_action for: {', '.join(missing)}")
    exit_with(exit_code(rows))
