"""Is any library proposer flagged narrow? The false-alarm check of the spread test.

    python eval/signal_corpus/library_narrow.py [--jobs 2] [--families poker,tak]

Every library harness of the corpus (the first benchmark game of each) is probed on several seed
sets, each a run of its own, with the plans the learn-signal benchmark uses: seeds 0-9 × 100
steps (run A's plan), and seeds 100-109, 20-29 and 200-209 × 1000 steps within 30,000
interactions. A library proposer is hand-written to give every legal move a chance, so a
narrow-proposer finding on one is a false alarm of the test (or a real lean worth a look).
Prints one Markdown row per family with findings, and a total; exits 1 when there are any.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(EVAL))
sys.path.insert(0, str(EVAL.parent))

SEED_SETS = ((range(10), 100, 200, 10_000), (range(100, 110), 1000, 1000, 30_000),
             (range(20, 30), 1000, 1000, 30_000), (range(200, 210), 1000, 1000, 30_000))


def family_findings(family: str) -> tuple[str, list[str]]:
    """The narrow findings of one library harness over every seed set."""
    import learn_signal as ls

    from autoharness.harness.runtime import InProcessHarness
    from autoharness.probes import NARROW_PROPOSER, ProbePlan, run_probes

    [(game, _family, path)] = ls.corpus_games([family])
    found: list[str] = []
    with contextlib.redirect_stdout(io.StringIO()), \
            InProcessHarness(path.read_text(), name=path.name, seed=0) as library:
        for seeds, steps, positions, budget in SEED_SETS:
            report = run_probes(game, library, seeds, steps,
                                plan=ProbePlan(positions=positions, max_interactions=budget))
            found += [f"seeds {seeds.start}-{seeds.stop - 1}: {c.pattern}"
                      for c in report.contradictions if c.kind == NARROW_PROPOSER]
    return family, found


def main() -> int:
    import learn_signal as ls

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--families", default="", help="comma-separated; default: all")
    args = parser.parse_args()
    only = [f for f in args.families.split(",") if f] or None
    families = [family for _game, family, _path in ls.corpus_games(only)]
    flagged: dict[str, list[str]] = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(family_findings, f) for f in families]
        for done, future in enumerate(as_completed(futures), 1):
            family, found = future.result()
            print(f"{family}: {len(found)} findings ({done}/{len(families)})", file=sys.stderr,
                  flush=True)
            if found:
                flagged[family] = found
    print("| family | narrow findings |\n|---|---|")
    for family, found in sorted(flagged.items()):
        print(f"| {family} | {'; '.join(found)} |")
    print(f"\n{len(flagged)} of {len(families)} library proposers flagged narrow on "
          f"{len(SEED_SETS)} seed sets.")
    return 1 if flagged else 0


if __name__ == "__main__":
    raise SystemExit(main())
