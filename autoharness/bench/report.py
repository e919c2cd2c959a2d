"""Reading a benchmark table: a summary a person can quote, and a plot a person can read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def summarise(table: pd.DataFrame) -> dict[str, object]:
    measured = table[table.status.isin(["ok", "harness_failures"])]
    legal = pd.to_numeric(measured.legal_rate, errors="coerce")
    summary: dict[str, object] = {
        "games": int(len(table)),
        "measured": int(len(measured)),
        "games_at_1.000": int((legal >= 1.0).sum()),
        "mean_legal_rate": float(legal.mean()) if len(legal) else float("nan"),
        "min_legal_rate": float(legal.min()) if len(legal) else float("nan"),
        "actions": int(pd.to_numeric(measured.actions, errors="coerce").sum()),
        "illegal_actions": int(pd.to_numeric(measured.illegal_actions, errors="coerce").sum()),
        "false_accepts": int(pd.to_numeric(measured.false_accepts, errors="coerce").sum()),
        "false_rejects": int(pd.to_numeric(measured.false_rejects, errors="coerce").sum()),
        "stress_checks": int(pd.to_numeric(measured.stress_checks, errors="coerce").sum()),
        "harness_failures": int(pd.to_numeric(measured.harness_failures,
                                              errors="coerce").sum()),
        "missing": sorted(table[table.status == "missing"].game),
        "broken": sorted(table[~table.status.isin(["ok", "harness_failures", "missing"])].game),
    }
    if table.unwrapped_legal_rate.notna().any():
        summary["mean_unwrapped_legal_rate"] = float(
            pd.to_numeric(table.unwrapped_legal_rate, errors="coerce").mean())
    return summary


def format_summary(summary: dict[str, object]) -> str:
    lines = [
        f"games: {summary['games']} ({summary['measured']} measured)",
        f"games at legal rate 1.000: {summary['games_at_1.000']}/{summary['measured']}",
        f"mean legal rate: {summary['mean_legal_rate']:.4f} (lowest "
        f"{summary['min_legal_rate']:.4f})",
        f"actions judged by the engine: {summary['actions']:,} "
        f"({summary['illegal_actions']:,} illegal)",
        f"verifier on {summary['stress_checks']:,} stress checks: "
        f"{summary['false_accepts']} false accepts, {summary['false_rejects']} false rejects",
        f"harness failures (timeouts/crashes): {summary['harness_failures']}",
    ]
    if "mean_unwrapped_legal_rate" in summary:
        lines.append(f"mean legal rate of the same agent unwrapped: "
                     f"{summary['mean_unwrapped_legal_rate']:.4f}")
    for key in ("missing", "broken"):
        if summary[key]:
            lines.append(f"{key}: {', '.join(summary[key])}")
    return "\n".join(lines)


def plot(table: pd.DataFrame, path: Path, title: str) -> Path:
    """Per-game legal-action rate and verifier false-reject rate, one row per game."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = table.sort_values("game", ascending=False)
    games = data.game.tolist()
    y = np.arange(len(games))
    legal = pd.to_numeric(data.legal_rate, errors="coerce").to_numpy(dtype=float)
    false_rejects = pd.to_numeric(data.false_reject_rate, errors="coerce").to_numpy(dtype=float)
    height = max(4.0, 0.16 * len(games) + 1.5)
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, height), sharey=True,
                                         gridspec_kw={"width_ratios": [3, 2]})
    colours = np.where(np.nan_to_num(legal) >= 1.0, "#2a9d8f", "#e76f51")
    left.barh(y, np.nan_to_num(legal), color=colours, height=0.7)
    left_edge = min(0.9, np.nanmin(legal, initial=1.0))
    missing = np.isnan(legal)
    if missing.any():
        left.scatter(np.full(missing.sum(), left_edge), y[missing], marker="x", color="black",
                     label="no result")
    if "unwrapped_legal_rate" in data and data.unwrapped_legal_rate.notna().any():
        unwrapped = pd.to_numeric(data.unwrapped_legal_rate, errors="coerce").to_numpy(float)
        left.scatter(unwrapped, y, marker="|", color="black", s=40, label="unwrapped")
    left.set_xlim(left_edge - 0.01, 1.005)
    left.set_xlabel("legal-action rate (engine-judged)")
    left.set_yticks(y, games, fontsize=6)
    left.set_ylim(-1, len(games))
    if left.get_legend_handles_labels()[0]:
        left.legend(loc="lower left", fontsize=7)
    checks = pd.to_numeric(data.stress_checks, errors="coerce").to_numpy(dtype=float)
    accepts = pd.to_numeric(data.false_accepts, errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        accept_rate = np.where(checks > 0, accepts / checks, np.nan)
    right.barh(y - 0.2, np.nan_to_num(false_rejects) * 100, color="#264653", height=0.4,
               label="false rejects (% of legal checks)")
    right.barh(y + 0.2, np.nan_to_num(accept_rate) * 100, color="#e63946", height=0.4,
               label="false accepts (% of all checks)")
    right.set_xlabel("verifier errors on the stress mix (%)")
    right.axvline(0.5, color="#e76f51", linestyle="--", linewidth=0.8)
    right.legend(loc="lower right", fontsize=7)
    figure.suptitle(title)
    figure.tight_layout(rect=(0, 0, 1, 0.995))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
