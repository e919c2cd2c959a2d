"""The reward benchmark (``autoharness bench --metric reward``): what the harness earns as a player.

For every game and seed, two agents play a whole episode in a fresh sandboxed harness: the random
legal player (``harness``: ``propose_action``) and the harness's policy (``harness-policy``:
``choose_action``). The engine judges every action and pays the reward (``env.close()``). Each
episode's result is written to ``<out>/rows/<game>/<agent>-<seed>.json`` as soon as it is done, so
a killed run resumes; a saved episode is reused only when its cache key (the harness file's hash,
timeout, turn cap, engine profile, versions) matches. The table (``results.csv``/``.md``) has,
per game and agent, the mean reward with its standard error over the seeds, the illegal actions,
failed calls and the 95th-percentile time of a call (wall clock, host side, sandbox included);
``summary.json`` has the means over games, beside the paper's means (labelled as the paper's);
``rewards.png`` is the plot.
"""

from __future__ import annotations

import concurrent.futures as futures
import hashlib
import json
import math
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from autoharness.policy.episodes import MAX_TURNS, POLICY, PROPOSER, percentile

AGENTS = {"harness": PROPOSER, "harness-policy": POLICY}
LABELS = {"harness": "random legal (propose_action)", "harness-policy": "policy (choose_action)"}


@dataclass(frozen=True)
class RewardConfig:
    games: tuple[str, ...]
    seeds: tuple[int, ...]
    out: Path
    agents: tuple[str, ...] = ("harness", "harness-policy")
    harness: str = "auto"  # auto (the library's) | a harness file
    jobs: int = 0  # 0: all cores
    timeout: float = 1.0  # seconds per harness call
    max_turns: int = MAX_TURNS
    engine: str = "stock"
    fresh: bool = False

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


@dataclass(frozen=True)
class EpisodeTask:
    game: str
    agent: str
    seed: int
    harness_path: str | None
    timeout: float
    max_turns: int
    engine: str


def paper_games() -> tuple[str, ...]:
    """The paper's 16 one-player game-play games (``paper_gameplay_eval`` = yes)."""
    from autoharness.arena.catalogue import benchmark_games

    return tuple(g.id for g in benchmark_games() if g.paper_gameplay_eval and g.players == 1)


def harness_path(config: RewardConfig, game: str) -> Path | None:
    if config.harness != "auto":
        return Path(config.harness)
    from autoharness.harness.library import find_harness

    return find_harness(game)


def _digest(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def cache_key(task: EpisodeTask) -> dict:
    from autoharness import __version__
    from autoharness.arena.profiles import fingerprint

    return {"game": task.game, "agent": task.agent, "seed": task.seed,
            "harness_sha256": _digest(task.harness_path), "timeout": task.timeout,
            "max_turns": task.max_turns, "engine": fingerprint(task.engine),
            "autoharness": __version__}


def run_episode(task: EpisodeTask) -> dict:
    """One episode in a fresh sandboxed harness: a row (never raises)."""
    began = time.perf_counter()
    row: dict = {"game": task.game, "agent": task.agent, "seed": task.seed,
                 "harness": Path(task.harness_path).name if task.harness_path else None}
    if task.harness_path is None:
        return {**row, "status": "missing", "error": "no harness serves this game"}
    try:
        from autoharness.harness.runtime import SandboxedHarness
        from autoharness.policy.episodes import play_episode

        source = Path(task.harness_path).read_text(encoding="utf-8")
        with SandboxedHarness(source, name=Path(task.harness_path).name, timeout=task.timeout,
                              seed=task.seed, engine=task.engine) as harness:
            function = AGENTS[task.agent]
            has_policy = harness.defines(POLICY)  # also waits for the worker: not timed below
            if function == POLICY and not has_policy:
                return {**row, "status": "no_policy",
                        "error": "the harness defines no choose_action"}
            episode = play_episode(task.game, harness, task.seed, function,
                                   max_turns=task.max_turns, engine=task.engine)
            slow = getattr(getattr(harness, "meter", None), "exceeded", None)
    except Exception as error:  # noqa: BLE001 - a row says what went wrong
        return {**row, "status": "error", "error": f"{type(error).__name__}: {error}",
                "traceback": traceback.format_exc(limit=6)}
    times = episode.call_seconds
    return {**row, "status": "ok", "reward": episode.reward, "score": episode.score,
            "turns": episode.turns, "illegal_actions": episode.illegal,
            "illegal_undecidable": episode.illegal_undecidable,
            "harness_failures": episode.failures, "engine_error": episode.engine_error,
            "unfinished": episode.unfinished, "reason": episode.reason, "slow": slow,
            "calls": len(times), "call_seconds_total": sum(times),
            "p95_ms": 1000 * (percentile(times, 0.95) or 0.0),
            "max_ms": 1000 * max(times, default=0.0),
            "call_ms": [round(1000 * t, 3) for t in times],
            "elapsed_s": time.perf_counter() - began}


def _row_path(out: Path, task: EpisodeTask) -> Path:
    return out / "rows" / task.game / f"{task.agent}-{task.seed}.json"


def _saved(out: Path, task: EpisodeTask, key: dict) -> dict | None:
    try:
        row = json.loads(_row_path(out, task).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(row, dict) and row.get("cache_key") == key and row.get("status") == "ok"
    return row if ok else None


def _save(out: Path, task: EpisodeTask, row: dict) -> None:
    path = _row_path(out, task)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(row, default=str))
    temporary.replace(path)


def tasks_of(config: RewardConfig) -> list[EpisodeTask]:
    """Every (game, agent, seed) episode of ``config``, in table order."""
    paths = {game: harness_path(config, game) for game in config.games}
    return [EpisodeTask(game, agent, seed, str(paths[game]) if paths[game] else None,
                        config.timeout, config.max_turns, config.engine)
            for game in config.games for agent in config.agents for seed in config.seeds]


def saved_rows(config: RewardConfig) -> list[dict]:
    """The rows saved under ``config.out`` whose cache key still matches, without playing; an
    episode with none is a row with status ``not_run``."""
    rows = []
    for task in tasks_of(config):
        saved = _saved(config.out, task, cache_key(task))
        rows.append(saved or {"game": task.game, "agent": task.agent, "seed": task.seed,
                              "status": "not_run"})
    return rows


def _expected_cost(task: EpisodeTask) -> float:
    slow = {"2048": 50.0, "Sokoban": 5.0, "RushHour": 3.0, "Minesweeper": 3.0,
            "FifteenPuzzle": 3.0, "Sudoku": 2.0}
    family = task.game.split("-v", 1)[0]
    return slow.get(family, 1.0) * (3.0 if task.agent == "harness-policy" else 1.0)


ProgressHook = Callable[[int, int], None]  # episodes done, episodes total


def run_rewards(config: RewardConfig, progress: ProgressHook | None = None) -> list[dict]:
    """Every (game, agent, seed) episode of ``config``: rows (saved ones reused)."""
    tasks = tasks_of(config)
    rows: dict[EpisodeTask, dict] = {}
    keys = {task: cache_key(task) for task in tasks}
    if not config.fresh:
        for task in tasks:
            saved = _saved(config.out, task, keys[task])
            if saved is not None:
                rows[task] = {**saved, "reused": True}
    todo = sorted((t for t in tasks if t not in rows), key=lambda t: -_expected_cost(t))
    if progress:
        progress(len(rows), len(tasks))

    def finish(task: EpisodeTask, row: dict) -> None:
        row["cache_key"] = keys[task]
        if row.get("status") == "ok":
            _save(config.out, task, row)
        rows[task] = {**row, "reused": False}
        if progress:
            progress(len(rows), len(tasks))

    if config.workers <= 1 or len(todo) <= 1:
        for task in todo:
            finish(task, run_episode(task))
    else:
        context = multiprocessing.get_context("forkserver")
        with futures.ProcessPoolExecutor(min(config.workers, len(todo)),
                                         mp_context=context) as pool:
            pending = {pool.submit(run_episode, task): task for task in todo}
            for future in futures.as_completed(pending):
                task = pending[future]
                try:
                    finish(task, future.result())
                except Exception as error:  # noqa: BLE001 - a worker died: record it, go on
                    finish(task, {"game": task.game, "agent": task.agent, "seed": task.seed,
                                  "status": "error", "error": f"worker died: {error}"})
    return [rows[t] for t in tasks]


# ---- the table ---------------------------------------------------------------------------------

def _mean_se(values: Sequence[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, None
    variance = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(variance / len(values))


def game_table(rows: Sequence[dict], config: RewardConfig):
    """One line per game: per agent the mean reward, its standard error, illegal actions,
    failed calls and the 95th-percentile call time, as a pandas DataFrame."""
    import pandas as pd

    lines = []
    for game in config.games:
        line: dict = {"game": game}
        for agent in config.agents:
            mine = [r for r in rows if r["game"] == game and r["agent"] == agent]
            ok = [r for r in mine if r.get("status") == "ok"]
            prefix = "random" if agent == "harness" else "policy"
            mean, se = _mean_se([r["score"] for r in ok])
            calls = [ms for r in ok for ms in r.get("call_ms", [])]
            line.update({
                f"{prefix}_mean": mean, f"{prefix}_se": se, f"{prefix}_episodes": len(ok),
                f"{prefix}_actions": sum(r["turns"] for r in ok),
                f"{prefix}_illegal": sum(r["illegal_actions"] for r in ok),
                f"{prefix}_illegal_undecidable": sum(r.get("illegal_undecidable", 0) for r in ok),
                f"{prefix}_failures": sum(r["harness_failures"] for r in ok),
                f"{prefix}_no_reward": sum(r["reward"] is None for r in ok),
                f"{prefix}_p95_ms": percentile(calls, 0.95),
                f"{prefix}_max_ms": max(calls, default=None),
                f"{prefix}_status": _status(mine),
            })
        lines.append(line)
    return pd.DataFrame(lines)


def _status(rows: Sequence[dict]) -> str:
    bad = sorted({r.get("status", "?") for r in rows} - {"ok"})
    return "ok" if not bad else ",".join(bad)


def summarise(table, config: RewardConfig) -> dict:
    from autoharness.arena.profiles import describe
    from autoharness.policy.paper import PAPER_MEANS, SOURCE

    summary: dict = {"games": len(table), "seeds": list(config.seeds),
                     "engine": describe(config.engine), "timeout_s": config.timeout,
                     "max_turns": config.max_turns}
    for prefix in ("random", "policy"):
        column = f"{prefix}_mean"
        if column in table and table[column].notna().any():
            summary[f"{prefix}_mean_over_games"] = float(table[column].mean())
            summary[f"{prefix}_illegal_actions"] = int(table[f"{prefix}_illegal"].sum())
            summary[f"{prefix}_actions"] = int(table[f"{prefix}_actions"].sum())
            summary[f"{prefix}_harness_failures"] = int(table[f"{prefix}_failures"].sum())
            summary[f"{prefix}_episodes_without_reward"] = int(table[f"{prefix}_no_reward"].sum())
            summary[f"{prefix}_games_measured"] = int(table[column].notna().sum())
    summary["paper_means"] = {"source": SOURCE, **PAPER_MEANS}
    return summary


def markdown(table, summary: dict) -> str:
    """The per-game table and the means beside the paper's, as Markdown."""
    def cell(mean, se) -> str:
        if mean is None or mean != mean:
            return ""
        return f"{mean:.3f} ± {se:.3f}" if se is not None and se == se else f"{mean:.3f}"

    def number(value, digits: int = 0) -> str:
        if value is None or value != value:
            return ""
        return f"{value:.{digits}f}"

    lines = ["| game | random legal: mean ± s.e. | policy: mean ± s.e. | policy illegal / actions "
             "| policy failed calls | policy p95 move ms | random p95 move ms |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in table.to_dict(orient="records"):
        lines.append(
            f"| {row['game']} | {cell(row.get('random_mean'), row.get('random_se'))} "
            f"| {cell(row.get('policy_mean'), row.get('policy_se'))} "
            f"| {number(row.get('policy_illegal'))} / {number(row.get('policy_actions'))} "
            f"| {number(row.get('policy_failures'))} | {number(row.get('policy_p95_ms'), 1)} "
            f"| {number(row.get('random_p95_ms'), 1)} |")
    means = ["", "| mean reward over the games | value | measured by |", "| --- | --- | --- |"]
    for prefix, label in (("random", "random legal harness (propose_action)"),
                          ("policy", "harness policy (choose_action, hand-written)")):
        if f"{prefix}_mean_over_games" in summary:
            means.append(f"| {label} | {summary[f'{prefix}_mean_over_games']:.3f} "
                         f"| this run |")
    paper = summary.get("paper_means", {})
    for name, value in paper.items():
        if name != "source":
            means.append(f"| paper: {name} | {value:.3f} | {paper.get('source', 'the paper')} |")
    return "\n".join(lines + means) + "\n"


def plot(table, summary: dict, path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    games = list(table.game)
    x = np.arange(len(games))
    fig, ax = plt.subplots(figsize=(max(8, 0.75 * len(games) + 3), 5))
    width = 0.38
    for offset, prefix, color, label in ((-width / 2, "random", "#9e9e9e", LABELS["harness"]),
                                         (width / 2, "policy", "#1f77b4",
                                          LABELS["harness-policy"])):
        if f"{prefix}_mean" not in table:
            continue
        means = table[f"{prefix}_mean"].astype(float).fillna(0).to_numpy()
        errors = table[f"{prefix}_se"].astype(float).fillna(0).to_numpy()
        ax.bar(x + offset, means, width, yerr=errors, capsize=2, color=color, label=label)
    if "policy_mean_over_games" in summary:
        ax.axhline(summary["policy_mean_over_games"], color="#1f77b4", linestyle="--",
                   linewidth=1, label=f"policy mean {summary['policy_mean_over_games']:.3f}")
    paper_policy = summary.get("paper_means", {}).get("harness-as-policy (Flash-synthesised code)")
    if paper_policy is not None:
        ax.axhline(paper_policy, color="#d62728", linestyle=":", linewidth=1,
                   label=f"paper: harness-as-policy mean {paper_policy:.3f}")
    ax.set_xticks(x)
    ax.set_xticklabels([g.replace("-v0", "") for g in games], rotation=45, ha="right")
    ax.set_ylabel("mean reward (± standard error)")
    ax.set_ylim(min(0.0, float(np.nanmin(table.filter(like="_mean").to_numpy(dtype=float)))
                    if len(table) else 0.0) - 0.02, 1.08)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def save(rows: Sequence[dict], config: RewardConfig) -> tuple[object, dict, list[Path]]:
    """The table, summary and plot for the rows, written under ``config.out``."""
    table = game_table(rows, config)
    summary = summarise(table, config)
    out = config.out
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "results.csv", index=False)
    (out / "results.md").write_text(markdown(table, summary))
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    picture = plot(table, summary, out / "rewards.png",
                   f"Reward per game, {len(config.seeds)} seeds ({summary['engine']})")
    return table, summary, [out / "results.csv", out / "results.md", out / "summary.json",
                            picture]
