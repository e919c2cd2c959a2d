"""What Ray costs against local processes: the same benchmark run both ways, interleaved.

    .venv/bin/python eval/ray_overhead.py                       # print the table
    .venv/bin/python eval/ray_overhead.py --write eval/ray-overhead.md

Each run is the whole command, ``autoharness bench --games paper --seeds 1 --steps 1000
--jobs 2 --fresh`` (145 games; ``--seeds`` to change), once with local processes and once with
``--ray`` (a new local Ray with 2 CPUs, started and stopped by the command, so its start-up is
counted), in the order local, Ray, Ray, local (ABBA: a load that drifts steadily over the runs
cancels in the ratio).
A tiny benchmark (one game, one seed, 10 steps) run both ways gives the fixed cost of starting
Ray. Every run's rows are compared: Ray must measure exactly what local processes measure. A
benchmark, not a test: the machine is shared, so the report records its load around each run.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AUTOHARNESS = [sys.executable, "-m", "autoharness.cli"]
VARYING = {"elapsed_s", "reused"}


def bench(out: Path, games: str, seeds: str, steps: str, ray: bool) -> dict:
    command = [*AUTOHARNESS, "bench", "--games", games, "--seeds", seeds, "--steps", steps,
               "--jobs", "2", "--fresh", "--out", str(out), *(["--ray"] if ray else [])]
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return {"mode": "Ray (local, 2 CPUs)" if ray else "local processes (--jobs 2)",
            "ray": ray, "seconds": seconds, "load_before": load_before,
            "load_after": os.getloadavg()[0], "rows": rows(out / "results.csv")}


def rows(path: Path) -> list[dict]:
    with open(path, newline="") as handle:
        return [{k: v for k, v in r.items() if k not in VARYING} for r in csv.DictReader(handle)]


def ray_version() -> str:
    try:
        import ray

        return ray.__version__
    except ImportError:
        return "not installed"


def measure(folder: Path, games: str, seeds: str, steps: str) -> tuple[list[dict], list[dict]]:
    startup = [bench(folder / f"tiny-{i}", "TicTacToe-v0", "1", "10", ray)
               for i, ray in enumerate((False, True))]
    runs = []
    for index, ray in enumerate((False, True, True, False)):
        runs.append(bench(folder / f"run-{index}", games, seeds, steps, ray))
        print(f"{runs[-1]['mode']}: {runs[-1]['seconds']:.1f} s", file=sys.stderr, flush=True)
    return startup, runs


def report(startup: list[dict], runs: list[dict], games: str, seeds: str, steps: str) -> str:
    local = sum(r["seconds"] for r in runs if not r["ray"])
    remote = sum(r["seconds"] for r in runs if r["ray"])
    same = all(r["rows"] == runs[0]["rows"] for r in runs)
    games_count = len(runs[0]["rows"])
    tiny_local, tiny_ray = (r["seconds"] for r in startup)
    lines = [
        "# Ray's overhead against local processes (bench)",
        "",
        f"`autoharness bench --games {games} --seeds {seeds} --steps {steps} --jobs 2 --fresh` "
        f"({games_count} games), the whole command timed, with local processes and with `--ray` "
        "(a new local Ray with 2 CPUs, started and stopped by the command), in the order local, "
        "Ray, Ray, local.",
        "",
        "| run | mode | wall time | load average (1 min) before / after |",
        "| --- | --- | --- | --- |",
    ]
    for index, run in enumerate(runs, 1):
        lines.append(f"| {index} | {run['mode']} | {run['seconds']:.1f} s | "
                     f"{run['load_before']:.1f} / {run['load_after']:.1f} |")
    lines += [
        "",
        f"**Ray / local = {remote / local:.3f}** (sum of the two Ray runs over the sum of the two "
        f"local runs: {remote:.1f} s / {local:.1f} s).",
        "",
        f"Fixed cost of `--ray` (one game, one seed, 10 steps): {tiny_ray:.1f} s with Ray against "
        f"{tiny_local:.1f} s local, i.e. about {tiny_ray - tiny_local:.0f} s to start and stop a "
        "local Ray instance and its workers.",
        "",
        "Results: " + ("every run produced the same rows (all columns but elapsed time): Ray "
                       "measures exactly what local processes measure." if same else
                       "THE RUNS DIFFER (see the rows)."),
        "",
        f"Conditions: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, Ray {ray_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M')}. The machine is shared with other engineers' work "
        "while this ran (see the load averages: 2 cores), so the absolute times are not this "
        "machine's speed; the ratio is from runs interleaved under the same load.",
        "",
        f"Command: `.venv/bin/python eval/ray_overhead.py --games {games} --seeds {seeds} "
        f"--steps {steps} --write eval/ray-overhead.md`.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--games", default="paper")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--steps", default="1000")
    parser.add_argument("--write", type=Path, help="write the report (Markdown) here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ray-overhead-") as folder:
        startup, runs = measure(Path(folder), args.games, args.seeds, args.steps)
    text = report(startup, runs, args.games, args.seeds, args.steps)
    print(text)
    if args.write:
        args.write.write_text(text)


if __name__ == "__main__":
    main()
