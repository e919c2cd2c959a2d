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


def timed_verify(runtime, source: str, name: str, game: str, seeds: list[int],
                 steps: int) -> tuple[float, dict]:
    started = time.perf_counter()
    with runtime(source, name=name, seed=0) as harness:
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
    rows, total_in, total_sb, count_in, count_sb = [], 0.0, 0.0, 0, 0
    for index, game in enumerate(args.games.split(",")):
        path = find_harness(game)
        if path is None:
            raise SystemExit(f"{game}: no library harness serves it")
        source = path.read_text()
        runs = [(InProcessHarness, "in-process"), (SandboxedHarness, "sandboxed")]
        if index % 2:  # alternate the order: neither runtime always runs on a warmer machine
            runs.reverse()
        measured = {}
        for runtime, label in runs:
            measured[label] = timed_verify(runtime, source, path.name, game, seeds, args.steps)
        (t_in, f_in), (t_sb, f_sb) = measured["in-process"], measured["sandboxed"]
        n_in, n_sb = f_in["interactions"], f_sb["interactions"]
        total_in, total_sb = total_in + t_in, total_sb + t_sb
        count_in, count_sb = count_in + n_in, count_sb + n_sb
        rows.append(f"| {game} | {n_in:,} / {n_sb:,} | {t_in:.2f} | {t_sb:.2f} | "
                    f"{(t_sb / n_sb) / (t_in / n_in):.2f} |")
        print(rows[-1], flush=True)
    rows.append(f"| **all** | {count_in:,} / {count_sb:,} | {total_in:.2f} | {total_sb:.2f} | "
                f"**{(total_sb / count_sb) / (total_in / count_in):.2f}** |")
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join([
        "# The sandbox's share of a bench row", "",
        f"Produced by `python eval/verify_sandbox_ratio.py --seeds {args.seeds} --steps "
        f"{args.steps}` ({__doc__.splitlines()[0]}). Measured {stamp} on {platform.system()} "
        f"{platform.release()}, {os.cpu_count()} CPUs, running as uid {os.getuid()}; load "
        f"average {load:.2f} at the start (other jobs shared the machine: read the ratios, not "
        "the seconds).", "",
        "| game | interactions in-process / sandboxed | in-process (s) | sandboxed (s) | "
        "sandboxed / in-process, per interaction |",
        "|---|---|---|---|---|", *rows, ""])
    print(rows[-1])
    if args.write:
        args.write.write_text(text)


if __name__ == "__main__":
    main()
