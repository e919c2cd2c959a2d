"""The reward benchmark of the harness as a policy: eval/policy-rewards.md and .png.

    .venv/bin/python eval/policy_rewards.py run    [--games G,...] [--seeds 20] [--jobs 1]
    .venv/bin/python eval/policy_rewards.py report

* ``run`` — ``autoharness.policy.rewards`` (what ``bench --metric reward`` runs) on the chosen
  games (default: the paper's 16 one-player game-play games): per game and seed one episode of
  the random legal harness (``propose_action``) and one of the library policy (``choose_action``,
  hand-written), each in a fresh sandboxed harness, the engine judging every action. Episodes
  are saved one by one under eval/results/policy-rewards/rows/ and reused while their cache key
  (harness file hash, timeout, turn cap, engine, version) matches, so games can be run in turns.
  Then ``report``.
* ``report`` — from the saved episodes of all 16 games (a game not yet run is shown as such):
  mean reward ± standard error per game and agent, the policy's illegal actions, failed calls,
  95th-percentile and largest move time (wall clock, host side, sandbox included), the best
  reward any policy can reach where it is below 1 (``autoharness/policy/caps.py``, each cap
  tested in ``tests/policy/test_reward_caps.py``), and the means beside the paper's published
  means (labelled as the paper's; it gives no per-game figures we could read).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "eval" / "results" / "policy-rewards"
MARKDOWN = ROOT / "eval" / "policy-rewards.md"
PICTURE = ROOT / "eval" / "policy-rewards.png"
TARGET = 0.95  # issue 18


def _config(games: tuple[str, ...], seeds: int, jobs: int, timeout: float):
    from autoharness.policy.rewards import RewardConfig

    return RewardConfig(games=games, seeds=tuple(range(seeds)), out=OUT, jobs=jobs,
                        timeout=timeout)


def run(games: tuple[str, ...], seeds: int, jobs: int, timeout: float) -> None:
    from autoharness.policy.rewards import run_rewards

    config = _config(games, seeds, jobs, timeout)
    total = len(games) * len(config.agents) * seeds

    def progress(done: int, _total: int) -> None:
        print(f"\r{done}/{total} episodes", end="", file=sys.stderr, flush=True)

    rows = run_rewards(config, progress=progress)
    print(file=sys.stderr)
    bad = [r for r in rows if r.get("status") != "ok"]
    for row in bad[:5]:
        print(f"not measured: {row['game']} {row['agent']} seed {row['seed']}: "
              f"{row.get('error')}", file=sys.stderr)


def _cell(mean, se) -> str:
    if mean is None or mean != mean:
        return "not run"
    return f"{mean:.3f} ± {se:.3f}" if se is not None and se == se else f"{mean:.3f}"


def _number(value, digits: int = 0) -> str:
    return "" if value is None or value != value else f"{value:.{digits}f}"


def _illegal(row: dict) -> str:
    """The policy's illegal actions, with the forced Minesweeper guesses among them."""
    forced = row.get("policy_illegal_undecidable") or 0
    text = _number(row["policy_illegal"])
    return f"{text} ({forced} forced guess{'es' if forced > 1 else ''})" if forced else text


def report(seeds: int, timeout: float) -> None:
    from autoharness.arena.profiles import describe
    from autoharness.policy.caps import caps
    from autoharness.policy.paper import PAPER_MEANS, SOURCE
    from autoharness.policy.rewards import game_table, paper_games, saved_rows

    games = paper_games()
    config = _config(games, seeds, 1, timeout)
    rows = saved_rows(config)
    table = game_table(rows, config)
    best = {game: 1.0 for game in games} | caps(config.seeds)
    records = table.to_dict(orient="records")
    measured = [r for r in records if r["policy_episodes"] == seeds]
    lines = [
        "# The harness as a policy: reward per game",
        "",
        f"`.venv/bin/python eval/policy_rewards.py run` then `report` (this file; "
        f"`eval/policy_rewards.py` says what each does). {seeds} seeds (0-{seeds - 1}) per game "
        f"and agent, engine {describe(config.engine)}, {timeout:g} s per harness call; machine: "
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
        f"report written {datetime.date.today().isoformat()}.",
        "",
        "The policies (`choose_action`) are written by hand for this repository, not learned; "
        "the random legal harness is each file's `propose_action`. *best reachable* is the most "
        "any policy can earn where that is below 1 on this engine (Bandit, FifteenPuzzle: "
        "exactly, on these seeds; Blackjack, Secretary: in expectation), from "
        "`autoharness/policy/caps.py`, each tested in `tests/policy/test_reward_caps.py`.",
        "",
        f"Games measured: {len(measured)} of {len(games)}"
        + ("" if len(measured) == len(games) else
           f" (not yet run: {', '.join(r['game'] for r in records if r not in measured)})")
        + ".",
        "",
        "| game | random legal: mean ± s.e. | policy: mean ± s.e. | best reachable | policy "
        "illegal / actions | policy failed calls | policy p95 move ms | policy max move ms "
        "| random p95 move ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in records:
        if r["policy_episodes"] == 0:
            lines.append(f"| {r['game']} | not run | not run | {best[r['game']]:.3f} "
                         "| | | | | |")
            continue
        lines.append(
            f"| {r['game']} | {_cell(r['random_mean'], r['random_se'])} "
            f"| {_cell(r['policy_mean'], r['policy_se'])} | {best[r['game']]:.3f} "
            f"| {_illegal(r)} / {_number(r['policy_actions'])} "
            f"| {_number(r['policy_failures'])} | {_number(r['policy_p95_ms'], 1)} "
            f"| {_number(r['policy_max_ms'], 1)} | {_number(r['random_p95_ms'], 1)} |")
    def mean_of(column: str) -> str:
        values = [r[column] for r in measured]
        return f"{statistics.fmean(values):.3f}" if values else "not run"

    lines += ["", f"| mean reward over the {len(measured)} measured games | value | by |",
              "| --- | --- | --- |",
              f"| random legal harness (propose_action) | {mean_of('random_mean')} | this run |",
              f"| harness policy (choose_action, hand-written) | {mean_of('policy_mean')} "
              "| this run |",
              f"| best reachable by any policy (the caps above) | "
              f"{statistics.fmean(best[r['game']] for r in measured):.3f} | caps.py |"
              if measured else "| best reachable by any policy | | |"]
    lines += [f"| paper: {name} (16 games) | {value:.3f} | {SOURCE} |"
              for name, value in PAPER_MEANS.items()]
    all_best = statistics.fmean(best.values())
    lines += ["", f"Over all 16 games the best reachable mean is **{all_best:.3f}** on this "
                  f"engine (issue 18's target: {TARGET}); "
                  "`test_the_issue_target_is_out_of_reach_on_the_stock_engine` checks it.",
              "", f"![reward per game]({PICTURE.name})", ""]
    MARKDOWN.write_text("\n".join(lines))
    _plot(table, best, PAPER_MEANS, seeds)
    print(f"wrote {MARKDOWN.relative_to(ROOT)} and {PICTURE.relative_to(ROOT)}")


def _plot(table, best: dict[str, float], paper: dict[str, float], seeds: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    games = list(table.game)
    x = np.arange(len(games))
    width = 0.38
    fig, ax = plt.subplots(figsize=(13, 5.5))
    for offset, prefix, color, label in ((-width / 2, "random", "#9e9e9e",
                                          "random legal (propose_action)"),
                                         (width / 2, "policy", "#1f77b4",
                                          "policy (choose_action, hand-written)")):
        means = table[f"{prefix}_mean"].astype(float).to_numpy()
        errors = table[f"{prefix}_se"].astype(float).fillna(0).to_numpy()
        run = ~np.isnan(means)  # a game not yet run gets no bar
        ax.bar(x[run] + offset, means[run], width, yerr=errors[run], capsize=2, color=color,
               label=label)
    ax.scatter(x, [best[g] for g in games], marker="_", s=400, color="black", zorder=3,
               label="best reachable by any policy")
    policy = paper.get("harness-as-policy (Flash-synthesised code)")
    if policy is not None:
        ax.axhline(policy, color="#d62728", linestyle=":", linewidth=1,
                   label=f"paper: harness-as-policy mean {policy:.3f}")
    ax.axhline(TARGET, color="#2ca02c", linestyle="--", linewidth=1,
               label=f"issue 18 target {TARGET}")
    ax.set_xticks(x)
    measured = table["policy_mean"].notna().to_numpy()
    ax.set_xticklabels([g.replace("-v0", "") + ("" if ok else " (not run)")
                        for g, ok in zip(games, measured, strict=True)], rotation=45, ha="right")
    ax.set_ylabel("mean reward (± standard error)")
    ax.set_ylim(-0.15, 1.1)
    ax.set_title(f"Reward per game, {seeds} seeds, stock engine")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(PICTURE, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("run", "report"))
    parser.add_argument("--games", default="paper",
                        help="paper (the 16) or a comma list of game ids")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds per harness call")
    args = parser.parse_args()
    from autoharness.policy.rewards import paper_games

    games = paper_games() if args.games == "paper" else tuple(args.games.split(","))
    unknown = sorted(set(games) - set(paper_games()))
    if unknown:
        parser.error(f"not one of the paper's 16 games: {', '.join(unknown)}")
    if args.step == "run":
        run(games, args.seeds, args.jobs, args.timeout)
    report(args.seeds, args.timeout)


if __name__ == "__main__":
    main()
