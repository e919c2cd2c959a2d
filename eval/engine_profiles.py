"""Side by side: one benchmark measured on the stock and on the fixed engine profile.

Reads two ``bench`` output folders (their ``results.csv``) and writes a Markdown table of every
game whose figures differ or that is not clean on either profile, plus the totals.

    python eval/engine_profiles.py STOCK_DIR FIXED_DIR [--out eval/engine-profiles.md]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

FIGURES = ["legal_rate", "illegal_actions", "illegal_stuck", "illegal_undecidable",
           "engine_errors", "false_accepts", "undecidable_false_accepts", "false_rejects",
           "engine_error_accepts"]
MEASURED = ("ok", "harness_failures")


def _load(folder: Path) -> pd.DataFrame:
    table = pd.read_csv(folder / "results.csv")
    for column in FIGURES:
        if column not in table:
            table[column] = 0
        table[column] = pd.to_numeric(table[column], errors="coerce").fillna(0)
    return table.set_index("game")


def _totals(table: pd.DataFrame) -> dict[str, object]:
    measured = table[table.status.isin(MEASURED)]
    avoidable = measured.illegal_actions - measured.illegal_undecidable
    return {
        "engine": ", ".join(sorted(set(map(str, measured.get("engine", pd.Series(["?"])))))),
        "games measured": len(measured),
        "games at legal rate 1.000": int((measured.legal_rate >= 1.0).sum()),
        "games at 1.000 apart from undecidable verdicts": int((avoidable == 0).sum()),
        "mean legal rate": f"{measured.legal_rate.mean():.4f}",
        "illegal actions": int(measured.illegal_actions.sum()),
        "of which at stuck positions": int(measured.illegal_stuck.sum()),
        "of which forced guesses (undecidable)": int(measured.illegal_undecidable.sum()),
        "of which engine errors": int(measured.engine_errors.sum()),
        "false accepts (decidable)": int(measured.false_accepts.sum()),
        "of which on engine-crashing actions": int(measured.engine_error_accepts.sum()),
        "false accepts on undecidable verdicts": int(measured.undecidable_false_accepts.sum()),
        "false rejects": int(measured.false_rejects.sum()),
    }


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if not value.is_integer() or value <= 1 else f"{value:.0f}"
    return str(value)


def side_by_side(stock: pd.DataFrame, fixed: pd.DataFrame) -> str:
    totals_stock, totals_fixed = _totals(stock), _totals(fixed)
    lines = ["| | stock | fixed |", "| --- | --- | --- |"]
    lines += [f"| {key} | {totals_stock[key]} | {totals_fixed[key]} |" for key in totals_stock]
    games = sorted(set(stock.index) | set(fixed.index))
    shown = []
    for game in games:
        a = stock.loc[game] if game in stock.index else None
        b = fixed.loc[game] if game in fixed.index else None
        values = [[None if row is None else row[c] for c in FIGURES] for row in (a, b)]
        not_clean = any(row is not None and (row.illegal_actions - row.illegal_undecidable > 0
                                             or row.false_accepts > 0 or row.false_rejects > 0)
                        for row in (a, b))
        if values[0] != values[1] or not_clean:
            shown.append((game, values))
    lines += ["", "Games whose figures differ between the profiles, or that are not clean on "
              "one of them (stock / fixed):", "",
              "| game | " + " | ".join(FIGURES) + " |",
              "| --- | " + " | ".join("---" for _ in FIGURES) + " |"]
    for game, (a, b) in shown:
        cells = [f"{_cell(x)} / {_cell(y)}" for x, y in zip(a, b, strict=True)]
        lines.append(f"| {game} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stock", type=Path)
    parser.add_argument("fixed", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    text = side_by_side(_load(args.stock), _load(args.fixed))
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
