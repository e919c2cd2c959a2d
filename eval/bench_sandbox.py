"""What the sandbox costs: a sandboxed harness call against the same call in this process.

    .venv/bin/python eval/bench_sandbox.py                 # print the tables
    .venv/bin/python eval/bench_sandbox.py --write eval/sandbox-overhead.md

Observations are TextArena-style transcripts (intro + one board render per turn) of about 5 KB
and 50 KB. The harness is a small TicTacToe harness that finds the last board with ``rfind``, so
its own work is tiny and the difference is the sandbox's round trip. Each measurement alternates
between 64 distinct observations (a new observation on every call is the worst case: it is sent
whole), except "same observation", where the worker keeps the one it already has. Batches have
18 actions, the size of ``verify``'s stress mix. A benchmark, not a test: numbers depend on the
machine and its load, which the report records.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autoharness.harness.runtime import InProcessHarness, SandboxedHarness  # noqa: E402

HARNESS = '''"""TicTacToe harness for the sandbox benchmark."""
GAMES = ["TicTacToe-v0"]
import re

MOVE = re.compile(r"\\s*\\[(\\d)\\]\\s*")


def board(obs):
    at = obs.rfind("Current Board:")
    return re.findall(r"\\[(\\d)\\]|\\b[XO]\\b", obs[at:at + 200]) if at >= 0 else []


def free(obs):
    return [cell for cell in board(obs) if cell]


def propose_action(obs):
    cells = free(obs)
    return f"[{cells[0]}]" if cells else "[0]"


def eval_action(obs, action):
    match = MOVE.fullmatch(action)
    return bool(match) and match.group(1) in free(obs)
'''

INTRO = ("[GAME] You are Player 0 in Tic Tac Toe. Your goal is to win three in a row "
         "(horizontally, vertically, or diagonally) on the board. On your turn, mark an empty "
         "square by entering its number in square brackets, like [4].\n")
TURN = ("[Player {p}] [{cell}]\n[GAME] Player {p} placed their symbol ({sym}) in cell {cell}.\n"
        "[GAME] Current Board:\n\n {a} | {b} | {c}\n---+---+---\n {d} | X | {f}\n"
        "---+---+---\n {g} | O | [8]\n\nAvailable Moves: turn {n}\n")


def observation(size: int, variant: int) -> str:
    parts, n = [INTRO], 0
    while sum(map(len, parts)) < size:
        n += 1
        cells = {k: f"[{i}]" for i, k in enumerate("abcdefg")}
        parts.append(TURN.format(p=n % 2, cell=n % 9, sym="XO"[n % 2], n=n + variant, **cells))
    return "".join(parts)


def timed(fn, calls: int) -> list[float]:
    """Per-call wall times in ms."""
    times = []
    for i in range(calls):
        started = time.perf_counter_ns()
        fn(i)
        times.append((time.perf_counter_ns() - started) / 1e6)
    return times


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def measure(harness, observations: list[str], calls: int, kind: str) -> list[float]:
    actions = ["[0]", "[1]", "[4]", "[8]", " [2] ", "[9]", "[x]", "4", "[3]", "[5]", "[6]", "[7]",
               "[10]", "", "[0", "0]", "[ 1]", "[2]"]
    n = len(observations)
    if kind == "eval":
        return timed(lambda i: harness.evaluate(observations[i % n], actions[i % 18]), calls)
    if kind == "eval-same":
        return timed(lambda i: harness.evaluate(observations[0], actions[i % 18]), calls)
    if kind == "propose":
        return timed(lambda i: harness.propose(observations[i % n]), calls)
    if kind == "batch":
        per_item = timed(lambda i: harness.evaluate_many(observations[i % n], actions),
                         calls // 18)
        return [t / len(actions) for t in per_item]
    raise ValueError(kind)


def overhead_table(calls: int) -> list[str]:
    rows = ["| observation | call | in-process p50 / p90 (ms) | sandboxed p50 / p90 (ms) "
            "| overhead p50 / p90 (ms) |", "|---|---|---|---|---|"]
    labels = {"eval": "`evaluate`, new obs each call", "eval-same": "`evaluate`, same obs",
              "propose": "`propose`, new obs each call",
              "batch": "`evaluate_many` × 18, per item"}
    for size in (5_000, 50_000):
        observations = [observation(size, v) for v in range(64)]
        local = InProcessHarness(HARNESS)
        with SandboxedHarness(HARNESS, seed=0) as sandboxed:
            for kind in labels:
                measure(local, observations, 200, kind)  # warm up both
                measure(sandboxed, observations, 200, kind)
                a = measure(local, observations, calls, kind)
                b = measure(sandboxed, observations, calls, kind)
                assert sandboxed.stats.failed == 0, sandboxed.stats
                rows.append(f"| {len(observations[0]) / 1000:.1f} KB | {labels[kind]} "
                            f"| {pct(a, 50):.4f} / {pct(a, 90):.4f} "
                            f"| {pct(b, 50):.4f} / {pct(b, 90):.4f} "
                            f"| **{pct(b, 50) - pct(a, 50):.4f}** / "
                            f"{pct(b, 90) - pct(a, 90):.4f} |")
    return rows


KERNEL_LAYERS = ("pidns", "netns", "mountns", "landlock", "uid", "seccomp")


def kernel_layers_table(calls: int, repeats: int) -> list[str]:
    """What the kernel layers add, measured in this run: every layer against the same worker
    with the kernel layers switched off (``disable=``), interleaved."""
    observations = [observation(5_000, v) for v in range(64)]
    rows = ["| worker | `evaluate` p50 (ms), new 5 KB obs | construct → first answer p50 (ms) |",
            "|---|---|---|"]
    calls_by, starts_by = {"all": [], "off": []}, {"all": [], "off": []}
    for _ in range(repeats):
        for label, disable in (("all", ()), ("off", KERNEL_LAYERS)):
            started = time.perf_counter()
            with SandboxedHarness(HARNESS, seed=0, disable=disable) as harness:
                assert harness.evaluate(observations[0], "[1]") in (True, False)
                starts_by[label].append((time.perf_counter() - started) * 1000)
                measure(harness, observations, 100, "eval")
                calls_by[label] += measure(harness, observations, calls // repeats, "eval")
    for label, text in (("all", "every layer"), ("off", "kernel layers off (" +
                                                  ", ".join(KERNEL_LAYERS) + ")")):
        rows.append(f"| {text} | {pct(calls_by[label], 50):.4f} "
                    f"| {statistics.median(starts_by[label]):.0f} |")
    ratio_call = pct(calls_by["all"], 50) / pct(calls_by["off"], 50)
    ratio_start = statistics.median(starts_by["all"]) / statistics.median(starts_by["off"])
    rows.append(f"| ratio | ×{ratio_call:.2f} | ×{ratio_start:.2f} |")
    return rows


def startup_table(repeats: int) -> tuple[list[str], dict[str, bool], list[str]]:
    sources = {
        "`re` only": HARNESS,
        "`numpy`": HARNESS.replace("import re\n", "import re\nimport numpy\n"),
        "`chess`": HARNESS.replace("import re\n", "import re\nimport chess\n"),
    }
    rows = ["| harness imports | construct → first answer p50 (ms) | respawn after a timeout, "
            "next answer p50 (ms) |", "|---|---|---|"]
    protections: dict[str, bool] = {}
    details: dict[str, str] = {}
    hang = "\n\ndef propose_action(obs):\n    if obs == 'hang':\n        while True:\n" \
           "            pass\n    return 'x'\n"
    for label, source in sources.items():
        first, again = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            with SandboxedHarness(source + hang, timeout=0.2) as harness:
                assert harness.evaluate("Current Board: [1]", "[1]") is True
                first.append((time.perf_counter() - started) * 1000)
                protections, details = harness.protections, harness.layer_details
                assert harness.propose("hang").kind == "timeout"
                started = time.perf_counter()
                assert harness.propose("x") == "x"
                again.append((time.perf_counter() - started) * 1000)
        rows.append(f"| {label} | {statistics.median(first):.0f} "
                    f"| {statistics.median(again):.0f} |")
    missing = [f"{k} ({details.get(k, 'unavailable')})" for k, v in protections.items() if not v]
    return rows, protections, missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=3000, help="calls per measurement")
    parser.add_argument("--startups", type=int, default=5, help="worker starts per harness")
    parser.add_argument("--write", type=Path, help="also write the markdown report here")
    args = parser.parse_args()

    load = os.getloadavg()
    overhead = overhead_table(args.calls)
    startup, protections, missing = startup_table(args.startups)
    kernel = kernel_layers_table(args.calls, args.startups)
    active = ", ".join(k for k, v in protections.items() if v)
    inactive = "; ".join(missing) or "none"
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {platform.system()} "
        f"{platform.release()} ({platform.machine()}), {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, running as {'root' if os.geteuid() == 0 else 'a user'}; "
        f"load average {load[0]:.2f} at the start; {args.calls} calls per row.",
        "",
        f"Active protections: {active}. Inactive: {inactive}.",
        "",
        *overhead,
        "",
        *startup,
        "",
        *kernel,
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        text = args.write.read_text() if args.write.exists() else ""
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        block = f"{start}\n{report}\n{end}"
        if start in text and end in text:
            text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
        else:
            text = text + ("\n" if text else "") + block + "\n"
        args.write.write_text(text)


if __name__ == "__main__":
    main()
