"""Reading a benchmark table: a summary a person can quote, and a plot a person can read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

MEASURED = ("ok", "harness_failures")
# Counts that make a measured game "not clean" when above 0 (add a new column here if it should).
NOT_CLEAN_COUNTS = ("illegal_actions", "false_accepts", "false_rejects", "harness_failures",
                    "engine_errors", "slow_calls")


def _numbers(table: pd.DataFrame, column: str) -> pd.Series:
    if column not in table:
        return pd.Series([0.0] * len(table), index=table.index)
    return pd.to_numeric(table[column], errors="coerce").fillna(0)


def avoidable_illegal(table: pd.DataFrame) -> pd.Series:
    """Illegal actions apart from forced guesses on verdicts the observation cannot decide
    (``illegal_undecidable``: Minesweeper's guesses when no cell is provably safe)."""
    return _numbers(table, "illegal_actions") - _numbers(table, "illegal_undecidable")


def clean_rows(table: pd.DataFrame) -> pd.Series:
    """Per row: measured, no avoidable illegal action, and none of the other
    ``NOT_CLEAN_COUNTS`` (undecidable verdicts are reported apart and do not count)."""
    clean = table.status.isin(MEASURED) & (avoidable_illegal(table) == 0)
    for column in NOT_CLEAN_COUNTS:
        if column != "illegal_actions":
            clean &= _numbers(table, column) == 0
    return clean


def _engines(table: pd.DataFrame) -> list[str]:
    if "engine" not in table:
        return ["stock"]
    return sorted({str(e) for e in table.engine.dropna()}) or ["stock"]


def summarise(table: pd.DataFrame) -> dict[str, object]:
    measured = table[table.status.isin(MEASURED)]
    legal = pd.to_numeric(measured.legal_rate, errors="coerce")
    below = measured[legal < 1.0]
    clean = clean_rows(table)
    errors = table.status == "error"
    summary: dict[str, object] = {
        "games": int(len(table)),
        "measured": int(len(measured)),
        "reused": int(table["reused"].fillna(False).astype(bool).sum()) if "reused" in table
        else 0,
        "games_at_1.000": int((legal >= 1.0).sum()),
        "below_1.000": {game: float(rate) for game, rate in
                        sorted(zip(below.game, pd.to_numeric(below.legal_rate), strict=True),
                               key=lambda pair: pair[1])},
        "mean_legal_rate": float(legal.mean()) if len(legal) else None,
        "min_legal_rate": float(legal.min()) if len(legal) else None,
        "actions": int(_numbers(measured, "actions").sum()),
        "illegal_actions": int(_numbers(measured, "illegal_actions").sum()),
        "false_accepts": int(_numbers(measured, "false_accepts").sum()),
        "false_rejects": int(_numbers(measured, "false_rejects").sum()),
        "stress_checks": int(_numbers(measured, "stress_checks").sum()),
        "harness_failures": int(_numbers(measured, "harness_failures").sum()),
        "engine_errors": int(_numbers(measured, "engine_errors").sum()),
        "engine": ", ".join(_engines(table)),
        "games_at_1.000_apart_from_undecidable": int((avoidable_illegal(measured) == 0).sum()),
        "illegal_stuck": int(_numbers(measured, "illegal_stuck").sum()),
        "illegal_undecidable": int(_numbers(measured, "illegal_undecidable").sum()),
        "engine_error_accepts": int(_numbers(measured, "engine_error_accepts").sum()),
        "undecidable_false_accepts": int(_numbers(measured, "undecidable_false_accepts").sum()),
        "undecidable_false_rejects": int(_numbers(measured, "undecidable_false_rejects").sum()),
        "clean": int(clean.sum()),
        "not_clean": sorted(table[~clean & ~errors].game),
        "errors": sorted(table[errors].game),
        "missing": sorted(table[table.status == "missing"].game),
        "broken": sorted(table[~table.status.isin([*MEASURED, "missing", "error"])].game),
    }
    if table.unwrapped_legal_rate.notna().any():
        summary["mean_unwrapped_legal_rate"] = float(
            pd.to_numeric(table.unwrapped_legal_rate, errors="coerce").mean())
    return summary


def _describe_engines(names: str) -> str:
    from autoharness.arena.profiles import UnknownProfileError, describe

    described = []
    for name in names.split(", "):
        try:
            described.append(describe(name))
        except UnknownProfileError:
            described.append(name)
    return ", ".join(described)


def _rate(value: object) -> str:
    return "none measured" if value is None else f"{value:.4f}"


def format_summary(summary: dict[str, object]) -> str:
    below = summary["below_1.000"]
    assert isinstance(below, dict)
    lines = [
        f"games: {summary['games']} ({summary['measured']} measured, {summary['reused']} "
        "reused from an earlier run" + (", --fresh re-measures" if summary["reused"] else "")
        + ")",
        f"engine: {_describe_engines(str(summary.get('engine', 'stock')))}",
        f"games at legal rate 1.000: {summary['games_at_1.000']}/{summary['measured']}"
        + (f" ({summary['games_at_1.000_apart_from_undecidable']} apart from forced guesses "
           "on undecidable verdicts)" if summary.get("illegal_undecidable") else ""),
    ]
    if below:
        shown = ", ".join(f"{game} {rate:.4f}" for game, rate in list(below.items())[:20])
        more = f" and {len(below) - 20} more" if len(below) > 20 else ""
        lines.append(f"below 1.000: {shown}{more}")
    lowest = ("" if summary["min_legal_rate"] is None
              else f" (lowest {_rate(summary['min_legal_rate'])})")
    lines += [
        f"mean legal rate: {_rate(summary['mean_legal_rate'])}{lowest}",
        f"actions judged by the engine: {summary['actions']:,} "
        f"({summary['illegal_actions']:,} illegal)",
        f"verifier on {summary['stress_checks']:,} stress checks: "
        f"{summary['false_accepts']} false accepts, {summary['false_rejects']} false rejects",
        f"harness failures (timeouts/crashes): {summary['harness_failures']}",
        f"engine errors: {summary['engine_errors']} (actions the engine raised on, counted "
        f"illegal; {summary.get('engine_error_accepts', 0)} accepted by the verifier)",
        f"illegal at stuck positions (no legal action known): {summary.get('illegal_stuck', 0)}; "
        f"forced guesses on undecidable verdicts: {summary.get('illegal_undecidable', 0)}",
        f"verifier on undecidable verdicts (apart): "
        f"{summary.get('undecidable_false_accepts', 0)} false accepts, "
        f"{summary.get('undecidable_false_rejects', 0)} false rejects",
    ]
    if "mean_unwrapped_legal_rate" in summary:
        lines.append(f"mean legal rate of the same agent unwrapped: "
                     f"{summary['mean_unwrapped_legal_rate']:.4f}")
    for key in ("missing", "broken", "errors"):
        if summary[key]:
            lines.append(f"{key}: {', '.join(summary[key])}")  # type: ignore[arg-type]
    not_clean = list(summary["not_clean"])  # type: ignore[call-overload]
    if not not_clean and not summary["errors"]:
        lines.append(f"clean: all {summary['games']} games")
    else:
        named = ", ".join(not_clean[:10]) + (f" and {len(not_clean) - 10} more"
                                             if len(not_clean) > 10 else "")
        verdict = f"NOT clean: {len(not_clean)} of {summary['games']} games"
        verdict += f" ({named})" if not_clean else ""
        if summary["errors"]:
            verdict += f"; {len(summary['errors'])} could not be measured"
        lines.append(verdict)
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
