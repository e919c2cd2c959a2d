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

The runs take most of an hour on a tree other people edit, so the inputs are pinned: every run
reads one copy of ``harnesses/`` taken at the start (``AUTOHARNESS_HARNESSES``, which Ray workers
get too), and every row's cache key (the harness file's hash, a hash of autoharness's own code,
the versions) is compared across runs. When rows differ, the report names the games and columns,
and says whether their inputs changed between runs (an edit of the tree, not Ray) or not.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AUTOHARNESS = [sys.executable, "-m", "autoharness.cli"]
VARYING = {"elapsed_s", "reused"}


def bench(out: Path, games: str, seeds: str, steps: str, ray: bool,
          environment: dict[str, str] | None = None) -> dict:
    command = [*AUTOHARNESS, "bench", "--games", games, "--seeds", seeds, "--steps", steps,
               "--jobs", "2", "--fresh", "--out", str(out), *(["--ray"] if ray else [])]
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **(environment or {})})
    seconds = time.perf_counter() - began
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return {"mode": "Ray (local, 2 CPUs)" if ray else "local processes (--jobs 2)",
            "ray": ray, "seconds": seconds, "load_before": load_before,
            "load_after": os.getloadavg()[0], "rows": rows(out / "results.csv"),
            "keys": cache_keys(out)}


def rows(path: Path) -> list[dict]:
    with open(path, newline="") as handle:
        return [{k: v for k, v in r.items() if k not in VARYING} for r in csv.DictReader(handle)]


def cache_keys(out: Path) -> dict[str, dict]:
    """game -> the cache key of its saved row (what decided it: harness hash, code hash, ...)."""
    keys = {}
    for path in sorted((out / "rows").glob("*.json")):
        row = json.loads(path.read_text())
        keys[row["game"]] = row.get("cache_key") or {}
    return keys


def differences(runs: list[dict]) -> list[str]:
    """One line per game whose row differs from run 1's: the run, the columns (run 1's value ->
    this run's) and whether the game's inputs (its cache key) differ too. Empty: all equal."""
    first = {row["game"]: row for row in runs[0]["rows"]}
    first_keys = runs[0]["keys"]
    lines = []
    for index, run in enumerate(runs[1:], 2):
        for row in run["rows"]:
            game = row["game"]
            reference = first.get(game)
            if reference == row:
                continue
            if reference is None:
                lines.append(f"run {index} ({run['mode']}): {game} is not in run 1")
                continue
            columns = ", ".join(f"{k} {reference.get(k)!r} -> {row.get(k)!r}"
                                for k in sorted(set(reference) | set(row))
                                if reference.get(k) != row.get(k))
            key, first_key = run["keys"].get(game), first_keys.get(game)
            changed = sorted(k for k in set(key or {}) | set(first_key or {})
                             if (key or {}).get(k) != (first_key or {}).get(k))
            cause = (f"inputs changed between the runs ({', '.join(changed)})" if changed
                     else "same inputs")
            lines.append(f"run {index} ({run['mode']}): {game}: {columns}; {cause}")
        missing = set(first) - {row["game"] for row in run["rows"]}
        lines += [f"run {index} ({run['mode']}): {game} is missing" for game in sorted(missing)]
    return lines


def frozen_library(folder: Path) -> dict[str, str]:
    """A copy of the harness library for every run to read (the tree may be edited meanwhile),
    as the environment that points autoharness (and Ray's workers) at it."""
    copy = folder / "harnesses"
    shutil.copytree(REPO / "harnesses", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return {"AUTOHARNESS_HARNESSES": str(copy)}


def ray_version() -> str:
    try:
        import ray

        return ray.__version__
    except ImportError:
        return "not installed"


def measure(folder: Path, games: str, seeds: str, steps: str) -> tuple[list[dict], list[dict]]:
    environment = frozen_library(folder)
    startup = [bench(folder / f"tiny-{i}", "TicTacToe-v0", "1", "10", ray, environment)
               for i, ray in enumerate((False, True))]
    runs = []
    for index, ray in enumerate((False, True, True, False)):
        runs.append(bench(folder / f"run-{index}", games, seeds, steps, ray, environment))
        print(f"{runs[-1]['mode']}: {runs[-1]['seconds']:.1f} s", file=sys.stderr, flush=True)
    return startup, runs


def report(startup: list[dict], runs: list[dict], games: str, seeds: str, steps: str) -> str:
    local = sum(r["seconds"] for r in runs if not r["ray"])
    remote = sum(r["seconds"] for r in runs if r["ray"])
    differing = differences(runs)
    inputs_changed = any("inputs changed" in line for line in differing)
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
                       "measures exactly what local processes measure." if not differing else
                       "THE RUNS DIFFER" + (" (the code or a harness was edited during the "
                                            "runs: re-run on a quiet tree)" if inputs_changed
                                            else "") + ":"),
        *(f"- {line}" for line in differing),
        "",
        "Every run read one copy of `harnesses/` taken at the start; each row's cache key "
        "(harness hash, autoharness source hash, versions) is compared across runs.",
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
