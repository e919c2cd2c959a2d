"""What the sandbox adds to a bench row: ``verify`` of a library harness through SandboxedHarness
against the same run in this process, interleaved in one run (ratios, not absolute times).

    .venv/bin/python eval/verify_sandbox_ratio.py [--games a,b] [--seeds 10] [--steps 1000]
                                                  [--write eval/verify-sandbox-ratio.md]

A bench row is one ``verify`` (seeds × steps, the probe engine, the oracle); the in-process run
does the same work with the same seeds. The two make nearly the same number of interactions, not
exactly: in this process the harness's ``random`` is the module the engine also draws from, so its
samples differ; the ratio is therefore of seconds per interaction (harness answers judged). The
work itself (how many checks the probes make) is not what this measures.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autoharness.harness.library import find_harness  # noqa: E402
from autoharness.harness.runtime import InProcessHarness, SandboxedHarness  # noqa: E402
from autoharness.harness.verify import verify  # noqa: E402

GAMES = ["TicTacToe-v0", "ConnectFour-v0", "Nim-v0", "2048-v0", "Poker-v0", "Chess-v0",
         "Othello-v0", "Minesweeper-v0", "Mastermind-v0", "Battleship-v0"]
COMPARED = ("actions", "illegal_actions", "false_accepts", "false_rejects", "stress_checks",
            "interactions", "harness_failures")


KERNEL_LAYERS = ("pidns", "netns", "mountns", "landlock", "uid", "seccomp")
#: (label, runtime, keyword arguments): the three ways a bench row can run its harness.
RUNS = [("in-process", InProcessHarness, {}),
        ("sandbox, kernel layers off", SandboxedHarness, {"disable": KERNEL_LAYERS}),
        ("sandbox, every layer", SandboxedHarness, {})]


def timed_verify(runtime, options: dict, source: str, name: str, game: str, seeds: list[int],
                 steps: int) -> tuple[float, dict]:
    """Seconds of one verify, worker start-up included (a bench row pays it once), and its
    figures."""
    started = time.perf_counter()
    with runtime(source, name=name, seed=0, **options) as harness:
        report = verify(game, harness, seeds, steps)
    seconds = time.perf_counter() - started
    figures = report.to_dict() if hasattr(report, "to_dict") else vars(report)
    return seconds, {k: figures.get(k) for k in COMPARED}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--games", default=",".join(GAMES))
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    load = os.getloadavg()[0]
    labels = [label for label, _, _ in RUNS]
    seconds = dict.fromkeys(labels, 0.0)
    counts = dict.fromkeys(labels, 0)
    rows = []

    def per_interaction(spent: dict, done: dict, label: str) -> float:
        return spent[label] / max(1, done[label])

    def row(name: str, spent: dict, done: dict, bold: bool = False) -> str:
        base = per_interaction(spent, done, "in-process")
        off = per_interaction(spent, done, labels[1]) / base
        full = per_interaction(spent, done, labels[2]) / base
        kernel = full / off
        cells = [f"{off:.2f}", f"{full:.2f}", f"{kernel:.2f}"]
        if bold:
            cells = [f"**{c}**" for c in cells]
        return (f"| {name} | {' / '.join(f'{done[x]:,}' for x in labels)} | "
                f"{' / '.join(f'{spent[x]:.2f}' for x in labels)} | {' | '.join(cells)} |")

    for index, game in enumerate(args.games.split(",")):
        path = find_harness(game)
        if path is None:
            raise SystemExit(f"{game}: no library harness serves it")
        source = path.read_text()
        order = RUNS[index % len(RUNS):] + RUNS[:index % len(RUNS)]  # rotate: no runtime
        spent, done = {}, {}                                           # always runs first
        for label, runtime, options in order:
            spent[label], figures = timed_verify(runtime, options, source, path.name, game,
                                                 seeds, args.steps)
            done[label] = figures["interactions"] or 0
            seconds[label] += spent[label]
            counts[label] += done[label]
        rows.append(row(game, spent, done))
        print(rows[-1], flush=True)
    rows.append(row("**all**", seconds, counts, bold=True))
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join([
        "# The sandbox's share of a bench row", "",
        f"Produced by `python eval/verify_sandbox_ratio.py --seeds {args.seeds} --steps "
        f"{args.steps}` ({__doc__.splitlines()[0]}). Measured {stamp} on {platform.system()} "
        f"{platform.release()}, {os.cpu_count()} CPUs, running as uid {os.getuid()}; load "
        f"average {load:.2f} at the start (read the ratios, not the seconds).", "",
        "Each runtime's seconds include starting its worker, which a bench row pays once. "
        f"*Kernel layers* are {', '.join(KERNEL_LAYERS)}: the boundary issue 13 added; the "
        "sandbox without them still runs the harness in its own process with rlimits, the time "
        "budget, the Python-level guards and secret redaction.", "",
        "| game | interactions (in-process / kernel layers off / every layer) | seconds (same "
        "order) | sandbox without kernel layers / in-process | every layer / in-process | "
        "every layer / kernel layers off |",
        "|---|---|---|---|---|---|", *rows, ""])
    print(rows[-1])
    if args.write:
        args.write.write_text(text)


if __name__ == "__main__":
    main()
