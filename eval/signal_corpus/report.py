"""The Markdown report of ``eval/learn_signal.py``: the corpus, both signals side by side."""

from __future__ import annotations

import numpy as np
import pandas as pd

SMALL, LARGE = 10_000, 100_000


def spearman(x: pd.Series, y: pd.Series) -> float:
    if len(x) < 3:
        return float("nan")
    rx, ry = x.rank(method="average"), y.rank(method="average")
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def markdown(table: pd.DataFrame) -> str:
    """A Markdown table (pandas' own needs the tabulate package)."""
    cells = [[str(c) for c in table.columns]] + [[str(v) for v in row]
                                                  for row in table.itertuples(index=False)]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def _flatten(rows: list[dict]) -> pd.DataFrame:
    flat = []
    for row in rows:
        item = {k: v for k, v in row.items() if k not in ("new", "old")}
        for signal in ("new", "old"):
            for key, value in (row.get(signal) or {}).items():
                item[f"{signal}_{key}"] = value
        flat.append(item)
    return pd.DataFrame(flat)


def _within(data: pd.DataFrame, signal: str, budget: int) -> pd.Series:
    at = pd.to_numeric(data[f"{signal}_detected_at"], errors="coerce")
    return at.notna() & (at <= budget)


def summary(data: pd.DataFrame) -> dict:
    live = data[data.live]
    out = {"mutants": len(data), "games": data.game.nunique(), "live": len(live),
           "live_games": live.game.nunique()}
    for signal in ("new", "old"):
        out[f"{signal}_10k"] = float(_within(live, signal, SMALL).mean()) if len(live) else 0.0
        out[f"{signal}_100k"] = float(_within(live, signal, LARGE).mean()) if len(live) else 0.0
        out[f"{signal}_rho"] = spearman(live[f"{signal}_h"], live["T"])
        seconds = live[f"{signal}_seconds"].sum()
        out[f"{signal}_rate"] = live[f"{signal}_interactions"].sum() / seconds if seconds else 0.0
    return out


def write_report(rows: list[dict], manifest: list[dict]) -> str:
    data = _flatten(rows)
    if data.empty:
        return "# Learning-signal benchmark\n\nNo rows yet.\n"
    s = summary(data)
    live = data[data.live].copy()
    lines = [
        "# Learning-signal benchmark: a planted-bug corpus",
        "",
        "Produced by `python eval/learn_signal.py --jobs 2 --out eval/learn-signal.md` (see its "
        "docstring for the protocol). Each mutant is a library harness with one small edit made "
        "by a mutation operator (`eval/signal_corpus/operators.py`); the new signal is the probe "
        "engine (`autoharness/probes/`), the old one the learning loop as it was at commit "
        "84198a0 (`eval/signal_corpus/legacy.py`). Detection counts only contradictions the "
        "library harness does not make. T is the mutant's true per-action legality, "
        "p_true · v_true measured exhaustively on fixed reference positions "
        "(`eval/signal_corpus/truth.py`); h is what one evaluation of the signal reports.",
        "",
        f"Corpus: {s['mutants']} mutants over {s['games']} games; {s['live']} live over "
        f"{s['live_games']} games (the rest are equivalent: on the reference positions the "
        f"engine cannot tell them from the library, so no signal can detect them there).",
        "",
        "| | new signal (probe engine) | old signal (84198a0) |",
        "|---|---|---|",
        f"| detected within 10k interactions | {s['new_10k']:.1%} | {s['old_10k']:.1%} |",
        f"| detected within 100k interactions | {s['new_100k']:.1%} | {s['old_100k']:.1%} |",
        f"| Spearman ρ(h, true legality T) | {s['new_rho']:.3f} | {s['old_rho']:.3f} |",
        f"| interactions/s (in-process harness, same run) | {s['new_rate']:,.0f} | "
        f"{s['old_rate']:,.0f} |",
        "",
        "Targets (issue 14): ≥ 95% within 10k, 100% within 100k, ρ ≥ 0.9.",
        "",
        "## By operator",
        "",
    ]
    by_op = []
    for operator, group in data.groupby("operator"):
        alive = group[group.live]
        by_op.append({
            "operator": operator, "bug class": group.bug_class.iloc[0], "mutants": len(group),
            "live": len(alive),
            "new ≤10k": int(_within(alive, "new", SMALL).sum()) if len(alive) else 0,
            "new ≤100k": int(_within(alive, "new", LARGE).sum()) if len(alive) else 0,
            "old ≤10k": int(_within(alive, "old", SMALL).sum()) if len(alive) else 0,
            "old ≤100k": int(_within(alive, "old", LARGE).sum()) if len(alive) else 0,
        })
    lines.append(markdown(pd.DataFrame(by_op)))
    lines += ["", "## Live mutants", ""]
    columns = ["id", "bug_class", "T", "new_h", "new_detected_kind", "new_detected_at", "old_h",
               "old_detected_kind", "old_detected_at"]
    table = live[columns].sort_values("id").copy()
    for column in ("T", "new_h", "old_h"):
        table[column] = table[column].map(lambda v: f"{v:.4f}")
    for column in ("new_detected_at", "old_detected_at"):
        table[column] = table[column].map(lambda v: "—" if pd.isna(v) else f"{int(v):,}")
    lines.append(markdown(table))
    missed = live[~_within(live, "new", LARGE)]
    if len(missed):
        lines += ["", "## Missed by the new signal within 100k", ""]
        lines += [f"- `{r.id}`: {r.why_live}" for r in missed.itertuples()]
    equivalent = data[~data.live]
    lines += ["", f"## Equivalent mutants ({len(equivalent)})", "",
              ", ".join(f"`{i}`" for i in sorted(equivalent.id)), ""]
    return "\n".join(lines) + "\n"
