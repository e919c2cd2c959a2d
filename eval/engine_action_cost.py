"""What one long action costs the engine, per game: the basis of ``DEFAULT_MAX_ACTION_LEN``.

    .venv/bin/python eval/engine_action_cost.py --write eval/engine-action-cost.md

For every benchmark game, at the first position of seed 0, the engine judges (``is_legal``, on a
trial copy) actions of each length made of one repeated unit (``[``, ``[[``, ``[col ``, spaces,
digits, ...: the shapes that drive the engines' regexes into backtracking), and the slowest is
kept. Each judgement is cut off after ``--cutoff`` seconds (CPython's ``re`` checks signals), so
a figure at the cut-off means "at least". A benchmark, not a test: the seconds depend on the
machine and its load (recorded).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import signal
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from signal_corpus.report import markdown  # noqa: E402

from autoharness.arena import GameEnv  # noqa: E402
from autoharness.arena.catalogue import benchmark_ids  # noqa: E402
from autoharness.harness.runtime import DEFAULT_MAX_ACTION_LEN  # noqa: E402

UNITS = ("[", "[[", "][", " ", "a", "1", "[1", "[1 ", "[a]", "[col ", "(", "0 ", "[0 0]", "up ",
         "1,", "A1 ")


class _CutOff(Exception):
    pass


def _alarm(*_: object) -> None:
    raise _CutOff


def worst_cost(env: GameEnv, length: int, cutoff: float) -> tuple[float, str]:
    """The slowest judgement over the shapes of ``length`` characters: (seconds, unit)."""
    worst, unit_of_worst = 0.0, ""
    for unit in UNITS:
        action = (unit * (length // len(unit) + 1))[:length]
        began = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, cutoff)
        try:
            env.is_legal(action)  # (GameEnv drops what the engine prints)
        except _CutOff:
            pass
        except Exception:  # an engine that crashes on the flood is a finding of its own
            pass
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        seconds = time.perf_counter() - began
        if seconds > worst:
            worst, unit_of_worst = seconds, unit
    return worst, unit_of_worst


def measure(games: list[str], lengths: list[int], cutoff: float) -> pd.DataFrame:
    signal.signal(signal.SIGALRM, _alarm)
    rows = []
    for game in games:
        env = GameEnv(game, seed=0)
        row: dict[str, object] = {"game": game}
        for length in lengths:
            seconds, unit = worst_cost(env, length, cutoff)
            row[f"{length} chars (ms)"] = round(seconds * 1000, 1)
            row[f"{length} chars: unit"] = repr(unit)
        rows.append(row)
        print(game, *(f"{k}={v}" for k, v in row.items() if k != "game"), flush=True)
    return pd.DataFrame(rows)


def report(table: pd.DataFrame, lengths: list[int], cutoff: float, load: float) -> str:
    cost = [f"{length} chars (ms)" for length in lengths]
    slowest = table.sort_values(cost[-1], ascending=False).head(12)
    summary = pd.DataFrame({
        "length (chars)": lengths,
        "slowest game (ms)": [table[c].max() for c in cost],
        "games over 10 ms": [int((table[c] > 10).sum()) for c in cost],
        "games over 100 ms": [int((table[c] > 100).sum()) for c in cost],
    })
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        "# What one long action costs the engine",
        "",
        f"Produced by `python eval/engine_action_cost.py` (see its docstring). Measured {when} on "
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average {load:.2f} at the start; {len(table)} games; "
        f"each judgement cut off at {cutoff:g} s.",
        "",
        f"The host caps every action a harness hands the engine at {DEFAULT_MAX_ACTION_LEN:,} "
        "characters (`DEFAULT_MAX_ACTION_LEN`; longer ones fail as `too_large`). The longest "
        "action any library harness plays is 73 characters (a Tak stack move).",
        "",
        markdown(summary),
        "",
        "The slowest games at the longest length:",
        "",
        markdown(slowest),
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", default="all", help="all (the 145) or a comma list")
    parser.add_argument("--lengths", default=f"256,{DEFAULT_MAX_ACTION_LEN},10000")
    parser.add_argument("--cutoff", type=float, default=3.0, help="seconds per judgement")
    parser.add_argument("--write", type=Path, help="write the report here")
    args = parser.parse_args()
    games = list(benchmark_ids()) if args.games == "all" else args.games.split(",")
    lengths = [int(n) for n in args.lengths.split(",")]
    load = os.getloadavg()[0]
    text = report(measure(games, lengths, args.cutoff), lengths, args.cutoff, load)
    if args.write:
        args.write.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
