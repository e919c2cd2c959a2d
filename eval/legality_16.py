"""The 16 games the first benchmark left below 1.000, and the harnesses that touch them, measured
on both engine profiles and on seeds the harnesses were not written against.

    python eval/legality_16.py [--out eval/legality-16.md] [--results eval/results/legality-16]

Runs ``autoharness bench`` three times (stock on seeds 0-9, stock on seeds 100-129, fixed on
seeds 0-9; 1000 actions per seed) into ``RESULTS/{stock,stock-100-129,fixed}`` (a finished run's
rows are reused, as bench always does) and writes one table per run with the columns that matter
here: illegal actions, how many were forced guesses (undecidable) or at stuck positions, engine
errors, and the verifier's false accepts and rejects (decidable ones, and undecidable ones apart).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pandas as pd

GAMES = [
    "Breakthrough-v0-small", "Breakthrough-v0-tiny", "Checkers-v0", "Checkers-v0-long",
    "Stratego-v0", "UltimateTicTacToe-v0", "QuantumTicTacToe-v0", "IndianPoker-v0",
    "IndianPoker-v0-short", "IndianPoker-v0-medium", "IndianPoker-v0-long",
    "IndianPoker-v0-extreme", "Minesweeper-v0", "Minesweeper-v0-small", "Minesweeper-v0-medium",
    "Minesweeper-v0-hard",
    # harnesses changed with them: engine-crash verdicts, or the same file
    "Chess-v0", "Chess-v0-blind", "Chess-v0-long", "Tak-v0", "Tak-v0-medium", "Tak-v0-hard",
    "SpiteAndMalice-v0", "Breakthrough-v0", "Breakthrough-v0-large", "Breakthrough-v0-blind",
    "Breakthrough-v0-long",
]
RUNS = {  # name: (seeds, engine profile)
    "stock": ("10", "stock"),
    "stock-100-129": ("100-129", "stock"),
    "fixed": ("10", "fixed"),
}
COLUMNS = ["game", "legal_rate", "actions", "illegal_actions", "illegal_undecidable",
           "illegal_stuck", "engine_errors", "false_accepts", "false_rejects",
           "undecidable_false_accepts", "stress_checks"]


def run(results: Path, name: str, seeds: str, engine: str) -> pd.DataFrame:
    out = results / name
    command = [sys.executable, "-m", "autoharness.cli", "bench", "--games", ",".join(GAMES),
               "--seeds", seeds, "--steps", "1000", "--engine", engine, "--out", str(out)]
    subprocess.run(command, check=False)  # exit 1 (not clean) is an expected outcome here
    return pd.read_csv(out / "results.csv")


def table(frame: pd.DataFrame) -> str:
    shown = frame[[c for c in COLUMNS if c in frame.columns]].copy()
    lines = ["| " + " | ".join(shown.columns) + " |", "|" + " --- |" * len(shown.columns)]
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(str(v) for v in row) + " |")
    totals = {c: int(shown[c].sum()) for c in shown.columns
              if c not in ("game", "legal_rate") and shown[c].dtype != object}
    lines.append("| total | | " + " | ".join(str(totals.get(c, "")) for c in shown.columns[2:])
                 + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="eval/legality-16.md")
    parser.add_argument("--results", default="eval/results/legality-16")
    args = parser.parse_args()
    results = Path(args.results)
    parts = ["# The 16 games below 1.000, re-measured", "",
             f"`python eval/legality_16.py` (results in `{results}/`): `autoharness bench --games "
             "<the ids below> --steps 1000` with the library harnesses, on each engine profile. "
             "`illegal_undecidable`: forced guesses (Minesweeper positions where no hidden cell "
             "is provably safe); `illegal_stuck`: positions where no legal action was known; "
             "`false_accepts`/`false_rejects`: the verifier on decidable verdicts; "
             "`undecidable_false_accepts`: on Minesweeper cells the visible board does not "
             "decide.", ""]
    for name, (seeds, engine) in RUNS.items():
        frame = run(results, name, seeds, engine)
        parts += [f"## {engine} profile, seeds {seeds if '-' in seeds else '0-9'}", "",
                  table(frame), ""]
    Path(args.out).write_text("\n".join(parts))
    print("\n".join(parts))


if __name__ == "__main__":
    main()
