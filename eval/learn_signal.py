"""How good is the learning signal? A planted-bug corpus, today's probe engine vs the old signal.

    python eval/learn_signal.py [--jobs 2] [--games chess,tictactoe] [--limit 220]
                                [--results /tmp/learn-signal] [--out eval/learn-signal.md]

1. **Corpus.** For one game of every library harness (``harnesses/*.py``), the harness's own play
   is profiled and every mutation operator that applies is applied (``signal_corpus/
   operators.py``); ``--limit`` keeps a seeded sample, dealt round-robin over the operators. The
   mutants' sources are written to the results directory.
2. **Truth.** Each mutant's true per-action legality T = p_true · v_true is measured on fixed
   reference positions with exhaustive, oracle-judged action sets (``signal_corpus/truth.py``);
   mutants the engine cannot tell from the library (not *live*) are left out of the rates.
3. **New signal** (``autoharness.probes``): run A, one evaluation of 10 lanes × 100 positions with
   200 fully probed, capped at 10,000 interactions, gives h and detection within 10k; if nothing
   was found, run B (10 more lanes × 1000 positions, 1000 fully probed) goes on to 100,000.
4. **Old signal** (``signal_corpus/legacy.py``, the loop at commit 84198a0): one learn evaluation
   (10 lanes × 1000 steps, stop at the first illegal action, 200 stress positions) gives its h;
   evaluations on fresh seeds repeat until a detection or 100,000 interactions.

A contradiction counts as a detection only if it is the mutant's: the library harness answers the
same question right (a false accept/reject or failure), or the library's own run never showed
that kind and pattern (an illegal proposal by its normalised reason, a narrow proposer by the
test that flagged it and the move or class of moves). Interactions are harness answers
compared with the engine; both signals count them the same way (actions + verifier checks).
Harnesses run in-process (the library and its mutants are our code): ratios, not absolute speed.
Per-mutant rows go to RESULTS/rows.jsonl as they finish; a rerun skips the rows already there.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from signal_corpus.legacy import legacy_signal  # noqa: E402
from signal_corpus.operators import Mutant, mutants  # noqa: E402
from signal_corpus.profile import build_profile  # noqa: E402
from signal_corpus.report import write_report  # noqa: E402
from signal_corpus.truth import build_reference, measure  # noqa: E402

from autoharness.arena.catalogue import benchmark_ids  # noqa: E402
from autoharness.harness.library import list_harnesses  # noqa: E402
from autoharness.harness.runtime import InProcessHarness  # noqa: E402
from autoharness.learn.critic import normalise  # noqa: E402
from autoharness.probes import (  # noqa: E402
    FALSE_ACCEPT,
    FALSE_REJECT,
    HARNESS_FAILURE,
    ILLEGAL_PROPOSAL,
    NARROW_PROPOSER,
    Contradiction,
    ProbePlan,
    run_probes,
)

SMALL, LARGE = 10_000, 100_000
PLAN_A = ProbePlan(positions=200, max_interactions=SMALL)
PLAN_B = ProbePlan(positions=1000, max_interactions=LARGE - SMALL)
SEEDS_A, STEPS_A = list(range(10)), 100
SEEDS_B, STEPS_B = list(range(100, 110)), 1000


def corpus_games(only: list[str] | None) -> list[tuple[str, str, Path]]:
    """(game, family, file): the first benchmark game of every library harness."""
    ids = set(benchmark_ids())
    found = []
    for path, card in list_harnesses():
        games = [g for g in card.games if g in ids]
        if games and (not only or path.stem in only or games[0] in only):
            found.append((games[0], path.stem, path))
    return found


def generate(games: list[tuple[str, str, Path]], limit: int | None, seed: int) -> list[Mutant]:
    corpus: list[Mutant] = []
    for game, family, path in games:
        source = path.read_text()
        with InProcessHarness(source, name=path.name, seed=0) as library:
            profile, _vocabulary = build_profile(game, library)
        corpus += mutants(game, family, source, profile)
    if limit is None or len(corpus) <= limit:
        return corpus
    rng = random.Random(seed)
    by_operator: dict[str, list[Mutant]] = {}
    for mutant in corpus:
        by_operator.setdefault(mutant.operator, []).append(mutant)
    for members in by_operator.values():
        rng.shuffle(members)
    chosen: list[Mutant] = []
    while len(chosen) < limit:
        for members in by_operator.values():
            if members and len(chosen) < limit:
                chosen.append(members.pop())
    return chosen


class _Attribution:
    """Is a contradiction the mutant's, or would the library harness make it too?"""

    def __init__(self, library, baseline: set[tuple[str, str]]) -> None:
        self.library, self.baseline = library, baseline

    def __call__(self, kind: str, observation: str, action: str | None,
                 engine_legal: bool | None, reason: str | None = None,
                 pattern: str | None = None) -> bool:
        if kind in (FALSE_ACCEPT, FALSE_REJECT):
            return self.library.evaluate(observation, action) is engine_legal
        if kind == HARNESS_FAILURE:
            if action is None:
                return isinstance(self.library.propose(observation), str)
            return isinstance(self.library.evaluate(observation, action), bool)
        if kind == ILLEGAL_PROPOSAL:
            return (kind, normalise(reason or "")) not in self.baseline
        return (kind, pattern or kind) not in self.baseline

    def contradiction(self, item: Contradiction) -> bool:
        return self(item.kind, item.observation, item.action, item.engine_legal,
                    item.engine_reason, item.pattern)


def baseline_patterns(game: str, library) -> set[tuple[str, str]]:
    """What the library harness's own runs show (illegal proposals and their patterns, narrow
    findings), over the same two runs the mutants get."""
    found: set[tuple[str, str]] = set()

    def note(item: Contradiction) -> bool:
        if item.kind == ILLEGAL_PROPOSAL:
            found.add((item.kind, normalise(item.engine_reason or "")))
        elif item.kind == NARROW_PROPOSER:  # by test and unit: the library's own leanings
            found.add((item.kind, item.pattern or item.kind))
        return False

    def note_legacy(kind, _observation, _action, _legal, reason) -> bool:
        if kind == ILLEGAL_PROPOSAL:
            found.add((kind, normalise(reason or "")))
        return False

    run_probes(game, library, SEEDS_A, STEPS_A, plan=PLAN_A, watch=note)
    run_probes(game, library, SEEDS_B, STEPS_B,
               plan=ProbePlan(positions=1000, max_interactions=30_000), watch=note)
    legacy_signal(game, library, list(range(10)), 1000, watch=note_legacy)
    return found


def new_signal(game: str, harness, attribution: _Attribution) -> dict:
    first: dict = {}

    def watch_a(item: Contradiction) -> bool:
        if not first and attribution.contradiction(item):
            first.update(kind=item.kind, at=item.interactions)
        return False

    started = time.perf_counter()
    run_a = run_probes(game, harness, SEEDS_A, STEPS_A, plan=PLAN_A, watch=watch_a)
    interactions, seconds = run_a.interactions, time.perf_counter() - started
    row = {"h": run_a.score.h, "p": run_a.score.proposer_legal_rate,
           "v": run_a.score.verifier_agreement}
    if not first:
        def watch_b(item: Contradiction) -> bool:
            if attribution.contradiction(item):
                first.update(kind=item.kind, at=run_a.interactions + item.interactions)
                return True
            return False

        started = time.perf_counter()
        run_b = run_probes(game, harness, SEEDS_B, STEPS_B, plan=PLAN_B, watch=watch_b)
        interactions += run_b.interactions
        seconds += time.perf_counter() - started
    row.update(detected_kind=first.get("kind"), detected_at=first.get("at"),
               interactions=interactions, seconds=seconds)
    return row


def old_signal(game: str, harness, attribution: _Attribution) -> dict:
    interactions = seconds = 0.0
    row: dict = {}
    for round_ in range(LARGE // SMALL):
        seeds = list(range(10 * round_, 10 * round_ + 10))
        result = legacy_signal(game, harness, seeds, 1000, watch=attribution,
                               stop_when_detected=round_ > 0)
        if round_ == 0:
            row["h"] = result.h
        if result.detected_at is not None:
            row.update(detected_kind=result.detected_kind,
                       detected_at=int(interactions + result.detected_at))
        interactions += result.interactions
        seconds += result.elapsed_s
        if result.detected_at is not None or interactions >= LARGE:
            break
    row.setdefault("detected_kind", None)
    row.setdefault("detected_at", None)
    row.update(interactions=int(interactions), seconds=seconds)
    return row


def run_game(game: str, family: str, chosen: list[dict], results: Path) -> list[dict]:
    """Every chosen mutant of one game (one worker process: the reference is built once)."""
    source = Path(chosen[0]["library"]).read_text()
    rows = []
    with InProcessHarness(source, name=f"{family}.py", seed=0) as library:
        _profile, vocabulary = build_profile(game, library)
        reference = build_reference(game, library, vocabulary)
        baseline = baseline_patterns(game, library)
        attribution = _Attribution(library, baseline)
        library_truth = measure(library, reference)
        for item in chosen:
            mutant_source = (results / "mutants" / f"{item['id'].replace(':', '__')}.py"
                             ).read_text()
            row = {"id": item["id"], "game": game, "operator": item["operator"],
                   "bug_class": item["bug_class"]}
            with InProcessHarness(mutant_source, name=item["id"], seed=0) as mutant:
                truth = measure(mutant, reference)
                row.update(T=truth.T, p_true=truth.p_true, v_true=truth.v_true,
                           live=truth.live, why_live=truth.why_live,
                           library_T=library_truth.T)
                if truth.live:
                    row["new"] = new_signal(game, mutant, attribution)
                    row["old"] = old_signal(game, mutant, attribution)
            rows.append(row)
            with open(results / "rows.jsonl", "a") as handle:
                handle.write(json.dumps(row) + "\n")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--games", default=None, help="harness families or game ids, a,b,c")
    parser.add_argument("--limit", type=int, default=220, help="mutants kept (seeded sample)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--results", default="/tmp/learn-signal")
    parser.add_argument("--out", default=None, help="write the Markdown report here")
    args = parser.parse_args()
    results = Path(args.results)
    (results / "mutants").mkdir(parents=True, exist_ok=True)
    games = corpus_games(args.games.split(",") if args.games else None)
    corpus = generate(games, args.limit, args.seed)
    files = {game: str(path) for game, _family, path in games}
    families = {game: family for game, family, _path in games}
    manifest = []
    for mutant in corpus:
        (results / "mutants" / f"{mutant.id.replace(':', '__')}.py").write_text(mutant.source)
        manifest.append({"id": mutant.id, "game": mutant.game, "operator": mutant.operator,
                         "bug_class": mutant.bug_class, "library": files[mutant.game]})
    (results / "manifest.json").write_text(json.dumps(manifest, indent=1))
    done = set()
    rows_path = results / "rows.jsonl"
    if rows_path.exists():
        done = {json.loads(line)["id"] for line in rows_path.read_text().splitlines() if line}
    todo: dict[str, list[dict]] = {}
    for item in manifest:
        if item["id"] not in done:
            todo.setdefault(item["game"], []).append(item)
    print(f"{len(manifest)} mutants over {len({m['game'] for m in manifest})} games; "
          f"{len(done)} done, {sum(map(len, todo.values()))} to run", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        pending = {pool.submit(run_game, game, families[game], items, results): game
                   for game, items in sorted(todo.items(), key=lambda kv: -len(kv[1]))}
        for future in as_completed(pending):
            game = pending[future]
            try:
                rows = future.result()
                print(f"{game}: {len(rows)} mutants", file=sys.stderr)
            except Exception as error:  # recorded, the others go on
                print(f"{game}: FAILED {type(error).__name__}: {error}", file=sys.stderr)
    rows = [json.loads(line) for line in rows_path.read_text().splitlines() if line]
    text = write_report(rows, manifest)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
