"""The final table of ``learn --games``, like the paper's Table 1: per game, the LLM calls it
took next to the paper's count, whether the harness was confirmed clean, its legality on fresh
seeds (a benchmark row of the saved harness), cost and engine interactions; with a summary and a
plot. Built from the parent run directory alone, so it is the same however often the run was
interrupted and resumed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from autoharness.learn.library_dir import LibraryDir, Plan

COLUMNS = ["game", "players", "paper_llm_calls", "llm_calls", "failed_calls", "status",
           "confirmed", "best_h", "nodes", "fresh_legal_rate", "fresh_actions",
           "fresh_illegal_actions", "fresh_false_accepts", "fresh_false_rejects",
           "fresh_harness_failures", "fresh_clean", "cost_usd", "tokens", "engine_interactions",
           "minutes", "harness", "stop_reason"]


def game_row(library: LibraryDir, plan: Plan, game: str,
             status: str | None = None) -> dict[str, Any]:
    from autoharness.arena.catalogue import game_info, num_players
    from autoharness.bench.report import clean_rows
    from autoharness.learn.budget import Budget

    info = game_info(game)
    row: dict[str, Any] = {"game": game, "players": num_players(game),
                           "paper_llm_calls": info.paper_llm_calls if info else None}
    run = library.run(game)
    if run is None:
        return {**row, "status": status or "not started"}
    meta, exchanges, nodes = run.meta(), run.exchanges(), run.nodes()
    budget = Budget(run.config(), exchanges)
    evaluated = [n for n in nodes if n.score is not None]
    best = max(evaluated, key=lambda n: (n.confirmed, n.score, n.id), default=None)
    row.update(
        llm_calls=len(exchanges), failed_calls=sum(e.error is not None for e in exchanges),
        status=status or _status(meta), confirmed=bool(meta.get("confirmed")),
        best_h=None if best is None else round(float(best.score), 4), nodes=len(nodes),
        cost_usd=None if budget.spent_cost is None else round(budget.spent_cost, 6),
        tokens=budget.tokens, engine_interactions=int(meta.get("engine_steps") or 0),
        minutes=round(float(meta.get("minutes") or 0.0), 2), stop_reason=meta.get("stop_reason"),
    )
    saved = library.saved().get(game)
    row["harness"] = saved["path"] if saved else None
    check = library.check(game)
    if check is not None:
        row.update({f"fresh_{k}": check.get(k) for k in
                    ("legal_rate", "actions", "illegal_actions", "false_accepts",
                     "false_rejects", "harness_failures")})
        row["fresh_clean"] = bool(clean_rows(pd.DataFrame([check])).iloc[0])
    return row


def _status(meta: dict[str, Any]) -> str:
    state = meta.get("state")
    if state == "finished":
        return "clean" if meta.get("confirmed") else "budget"
    return {"stopped": "fatal", "interrupted": "unavailable"}.get(state, "unfinished")


def table(library: LibraryDir, plan: Plan,
          statuses: dict[str, str] | None = None) -> pd.DataFrame:
    statuses = statuses or {}
    rows = [game_row(library, plan, game, statuses.get(game)) for game in plan.games]
    frame = pd.DataFrame(rows)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = pd.NA
    return frame[COLUMNS]


def summarise(frame: pd.DataFrame) -> dict[str, Any]:
    calls = pd.to_numeric(frame.llm_calls, errors="coerce").fillna(0)
    paper = pd.to_numeric(frame.paper_llm_calls, errors="coerce")
    legal = pd.to_numeric(frame.fresh_legal_rate, errors="coerce")
    cost = pd.to_numeric(frame.cost_usd, errors="coerce")
    statuses = frame.status.value_counts().to_dict()
    return {
        "games": int(len(frame)),
        "statuses": {str(k): int(v) for k, v in statuses.items()},
        "confirmed_clean": int(frame.confirmed.fillna(False).astype(bool).sum()),
        "fresh_clean": int(frame.fresh_clean.fillna(False).astype(bool).sum()),
        "llm_calls": int(calls.sum()),
        "paper_llm_calls": int(paper[paper.notna()].sum()),
        "mean_fresh_legal_rate": None if legal.notna().sum() == 0 else float(legal.mean()),
        "cost_usd": None if cost[frame.llm_calls.notna()].isna().any()  # started, unpriced
        else round(float(cost.sum()), 6),
        "tokens": int(pd.to_numeric(frame.tokens, errors="coerce").fillna(0).sum()),
        "engine_interactions": int(pd.to_numeric(frame.engine_interactions,
                                                 errors="coerce").fillna(0).sum()),
        "not_clean": sorted(frame[~(frame.status == "clean")
                                  | ~frame.fresh_clean.fillna(False).astype(bool)].game),
    }


def markdown(frame: pd.DataFrame, summary: dict[str, Any], title: str) -> str:
    shown = ["game", "paper_llm_calls", "llm_calls", "status", "best_h", "fresh_legal_rate",
             "fresh_false_accepts", "fresh_false_rejects", "cost_usd", "engine_interactions"]
    lines = [f"# {title}", "", "| " + " | ".join(shown) + " |",
             "| " + " | ".join("---" for _ in shown) + " |"]
    for row in frame[shown].itertuples(index=False):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    cost = summary["cost_usd"]
    lines += ["", f"{summary['games']} games: {summary['confirmed_clean']} confirmed clean, "
                  f"{summary['fresh_clean']} clean on fresh seeds; LLM calls "
                  f"{summary['llm_calls']} (the paper: {summary['paper_llm_calls']} for these "
                  f"games); cost {'unknown' if cost is None else f'${cost:.4f}'}; engine "
                  f"interactions {summary['engine_interactions']:,}.", ""]
    return "\n".join(lines)


def cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.4f}".rstrip("0")
    return str(value)


def plot(frame: pd.DataFrame, path: Path, title: str) -> Path:
    """Per game: LLM calls next to the paper's, legality on fresh seeds, cost and engine
    interactions (a game whose cost is unknown gets no cost bar, and says so)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    data = frame.iloc[::-1]
    y = np.arange(len(data))
    ours = pd.to_numeric(data.llm_calls, errors="coerce").fillna(0).to_numpy(float)
    paper = pd.to_numeric(data.paper_llm_calls, errors="coerce").to_numpy(float)
    legal = pd.to_numeric(data.fresh_legal_rate, errors="coerce").to_numpy(float)
    cost = pd.to_numeric(data.cost_usd, errors="coerce").to_numpy(float)
    steps = pd.to_numeric(data.engine_interactions, errors="coerce").fillna(0).to_numpy(float)
    height = max(3.5, 0.18 * len(data) + 1.5)
    figure, (calls_axis, legal_axis, cost_axis, steps_axis) = plt.subplots(
        1, 4, figsize=(16, height), sharey=True, gridspec_kw={"width_ratios": [3, 2, 2, 2]})
    calls_axis.barh(y + 0.2, ours, height=0.4, color="#264653", label="this run")
    calls_axis.barh(y - 0.2, np.nan_to_num(paper), height=0.4, color="#e9c46a",
                    label="the paper")
    calls_axis.set_xlabel("LLM calls")
    calls_axis.set_yticks(y, data.game.tolist(), fontsize=7)
    calls_axis.legend(loc="lower right", fontsize=7)
    colours = np.where(np.nan_to_num(legal) >= 1.0, "#2a9d8f", "#e76f51")
    legal_axis.barh(y, np.nan_to_num(legal), color=colours, height=0.7)
    low = min(0.9, float(np.nanmin(legal, initial=1.0)))
    legal_axis.set_xlim(low - 0.01, 1.005)
    legal_axis.set_xlabel("legal-action rate on fresh seeds")
    cost_axis.barh(y, np.nan_to_num(cost), color="#8d99ae", height=0.7)
    for row in np.flatnonzero(np.isnan(cost) & (ours > 0)):
        cost_axis.text(0, y[row], " unknown", va="center", fontsize=6)
    cost_axis.set_xlim(0, max(1e-4, float(np.nanmax(cost, initial=0.0))) * 1.05)
    cost_axis.set_xlabel("cost (USD)")
    steps_axis.barh(y, steps, color="#6d597a", height=0.7)
    steps_axis.set_xlim(0, max(1.0, float(steps.max(initial=0.0))) * 1.05)
    steps_axis.set_xlabel("engine interactions")
    figure.suptitle(title)
    figure.tight_layout(rect=(0, 0, 1, 0.98))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def save(library: LibraryDir, frame: pd.DataFrame, title: str) -> tuple[dict[str, Any],
                                                                        list[Path]]:
    summary = summarise(frame)
    out = library.path
    frame.to_csv(out / "table.csv", index=False)
    (out / "table.md").write_text(markdown(frame, summary, title))
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    picture = plot(frame, out / "table.png", title)
    return summary, [out / "table.csv", out / "table.md", picture, out / "summary.json"]
