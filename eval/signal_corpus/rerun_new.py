"""The new signal's columns of ``eval/learn-signal.md`` re-measured on the current probe engine.

    python eval/signal_corpus/rerun_new.py [--jobs 2] [--results /tmp/learn-signal-new]

Every live mutant of the report's "Live mutants" table is rebuilt (same operator, same library
file) and judged again by ``learn_signal.new_signal`` with the library's baseline of the current
code, under the same protocol (runs A and B, the same attribution). T and the old signal's columns
are taken from the table: neither depends on the probe engine (T is measured on fixed reference
positions by ``truth.py``; the old signal is the loop frozen at 84198a0), so only the new columns
can move. A full ``learn_signal.py`` run re-measures everything (about 2 h on 2 cores); this takes
a fraction of it. Rows go to RESULTS/rows.jsonl as each game finishes (a rerun skips them); the
summary is printed as Markdown.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(EVAL))
sys.path.insert(0, str(EVAL.parent))

import pandas as pd  # noqa: E402

from signal_corpus.operators import mutants  # noqa: E402
from signal_corpus.profile import build_profile  # noqa: E402
from signal_corpus.report import markdown, spearman  # noqa: E402

REPORT = EVAL / "learn-signal.md"
SMALL, LARGE = 10_000, 100_000


def live_table(report: Path = REPORT) -> pd.DataFrame:
    """The report's "Live mutants" table."""
    rows, header = [], None
    in_table = False
    for line in report.read_text().splitlines():
        if line.startswith("## Live mutants"):
            in_table = True
            continue
        if in_table and line.startswith("## "):
            break
        if not (in_table and line.startswith("|")):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not set(cells[0]) <= {"-"}:
            rows.append(dict(zip(header, cells, strict=True)))
    table = pd.DataFrame(rows)
    for column in ("new_detected_at", "old_detected_at"):
        table[column] = pd.to_numeric(table[column].str.replace(",", ""), errors="coerce")
    for column in ("T", "new_h", "old_h"):
        table[column] = pd.to_numeric(table[column], errors="coerce")
    return table


def run_family(family: str, ids: list[str]) -> list[dict]:
    """The new signal on the given mutants of one library family (one process)."""
    import learn_signal as ls

    from autoharness.harness.runtime import InProcessHarness

    [(game, _family, path)] = ls.corpus_games([family])
    source = path.read_text()
    rows = []
    # (stdout swallowed: some engines print as they parse)
    with contextlib.redirect_stdout(io.StringIO()), \
            InProcessHarness(source, name=path.name, seed=0) as library:
        profile, _vocabulary = build_profile(game, library)
        baseline = ls.baseline_patterns(game, library)
        attribution = ls._Attribution(library, baseline)
        built = {m.id: m for m in mutants(game, family, source, profile)}
        for mutant_id in ids:
            if mutant_id not in built:
                rows.append({"id": mutant_id, "error": "the operator no longer applies"})
                continue
            with InProcessHarness(built[mutant_id].source, name=mutant_id, seed=0) as mutant:
                rows.append({"id": mutant_id, **ls.new_signal(game, mutant, attribution)})
    library_narrow = sorted(p for kind, p in baseline if kind == "narrow_proposer")
    return [{**row, "library_narrow": library_narrow} for row in rows]


def summarise(table: pd.DataFrame, new: pd.DataFrame) -> str:
    data = table.merge(new, on="id", how="left")
    at = pd.to_numeric(data["detected_at"], errors="coerce")
    live = len(data)

    def share(column: pd.Series, budget: int) -> str:
        hits = int((column <= budget).sum())
        return f"{hits}/{live} ({hits / live:.1%})"

    lines = [
        "| | new signal, current code | new signal, last full run | old signal |",
        "|---|---|---|---|",
        f"| detected within 10k | {share(at, SMALL)} | {share(data.new_detected_at, SMALL)} | "
        f"{share(data.old_detected_at, SMALL)} |",
        f"| detected within 100k | {share(at, LARGE)} | {share(data.new_detected_at, LARGE)} | "
        f"{share(data.old_detected_at, LARGE)} |",
        f"| Spearman ρ(h, T) | {spearman(data.h, data['T']):.3f} | "
        f"{spearman(data.new_h, data['T']):.3f} | {spearman(data.old_h, data['T']):.3f} |",
        "",
    ]
    moved = data[(at.fillna(-1) != data.new_detected_at.fillna(-1))
                 & ((at > LARGE) | at.isna() | (data.new_detected_at > LARGE)
                    | data.new_detected_at.isna())]
    if not moved.empty:
        lines += ["Mutants whose detection within 100k changed:", "",
                  markdown(moved[["id", "new_detected_kind", "new_detected_at",
                                  "detected_kind", "detected_at"]].rename(columns={
                                      "new_detected_kind": "last full run: kind",
                                      "new_detected_at": "at",
                                      "detected_kind": "current code: kind",
                                      "detected_at": "at "})), ""]
    missed = data[at.isna() | (at > LARGE)]
    lines += [f"Still missed within 100k: {', '.join(missed.id) or 'none'}.", ""]
    flagged = sorted({(row.id.split(':')[0], tuple(row.library_narrow))
                      for row in data.itertuples() if getattr(row, "library_narrow", None)})
    lines += ["Library harnesses flagged narrow in their own baseline runs: "
              + (", ".join(f"{family} {list(units)}" for family, units in flagged) or "none")
              + "."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--results", type=Path, default=Path("/tmp/learn-signal-new"))
    args = parser.parse_args()
    table = live_table()
    args.results.mkdir(parents=True, exist_ok=True)
    rows_path = args.results / "rows.jsonl"
    done = {}
    if rows_path.exists():
        for line in rows_path.read_text().splitlines():
            row = json.loads(line)
            done[row["id"]] = row
    by_family: dict[str, list[str]] = {}
    for mutant_id in table.id:
        if mutant_id not in done:
            by_family.setdefault(mutant_id.split(":")[0], []).append(mutant_id)
    with ProcessPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_family, f, ids): f for f, ids in by_family.items()}
        for future in as_completed(futures):
            rows = future.result()
            with open(rows_path, "a") as handle:
                for row in rows:
                    handle.write(json.dumps(row) + "\n")
                    done[row["id"]] = row
            print(f"{futures[future]}: {len(rows)} mutants ({len(done)}/{len(table)})",
                  file=sys.stderr, flush=True)
    print(summarise(table, pd.DataFrame(list(done.values()))))


if __name__ == "__main__":
    main()
