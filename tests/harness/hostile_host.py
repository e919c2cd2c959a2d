"""A host process for the kernel-level hostile tests (run by ``test_sandbox_kernel.py`` as root
and as an unprivileged uid).

Reads a JSON list of cases from stdin; a case is ``{"name", "steps"}`` with steps
``["new", id, source, kwargs]``, ``["propose", id, obs]``, ``["evaluate", id, obs, action]``,
``["call", id, function, args]``, ``["cpu", id]`` (CPU seconds the worker's processes have
used),
``["threads", id]`` (the most threads in any of its processes),
``["pids", id]`` (the host pids of the launcher and everything under it), ``["sleep", seconds]``,
``["protections", id]``, ``["hold"]`` (print and wait to be killed). Prints one JSON line per
case, ``{"case", "results"}``, flushed as it goes, so a crash of this host shows where. In
observations, ``{host}`` becomes this process's pid and ``{victim}`` the pid of a sleeping
process started for the purpose (the test checks it survives).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from autoharness.harness.runtime import CallFailure, SandboxedHarness, TimeBudget


def _encode(result: object) -> object:
    if isinstance(result, CallFailure):
        return {"failure": result.kind, "message": result.message}
    if isinstance(result, (bytes, tuple)):
        return repr(result)
    return result


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def _tree(pid: int) -> list[int]:
    """``pid`` and every process under it."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending += _children(current)
    return found


def _threads(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("Threads:"))
    except (OSError, StopIteration):
        return 0


def _cpu_seconds(pid: int) -> float:
    """CPU seconds used by ``pid`` and every process under it (the launcher, the namespace's
    init and the worker, and anything else that got started)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(") ", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        pending += _children(current)
    return total


def main() -> None:
    cases = json.load(sys.stdin)
    victim = subprocess.Popen(["sleep", "300"])
    harnesses: dict[str, SandboxedHarness] = {}
    print(json.dumps({"host": os.getpid(), "victim": victim.pid, "uid": os.geteuid()}),
          flush=True)

    def fill(text: str) -> str:
        for key, value in (("{host}", str(os.getpid())), ("{victim}", str(victim.pid)),
                           ("{canary}", os.environ.get("HOSTILE_CANARY", "/nonexistent")),
                           ("{project_file}", os.environ.get("HOSTILE_PROJECT_FILE", "/x"))):
            text = text.replace(key, value)
        return text

    for case in cases:
        print(json.dumps({"starting": case["name"]}), flush=True)
        results: list = []
        for step in case["steps"]:
            op = step[0]
            if op == "new":
                kwargs = dict(step[3])
                # Attacks report what they saw through their proposal: a channel, not an engine
                # action, so the host's action-length cap is raised for it.
                kwargs.setdefault("max_action_len", 100_000)
                if "budget" in kwargs:
                    factor, floor, cap = kwargs["budget"]
                    kwargs["budget"] = TimeBudget(factor, floor, cap)
                harnesses[step[1]] = SandboxedHarness(fill(step[2]), check=False, **kwargs)
                results.append(None)
            elif op == "propose":
                results.append(_encode(harnesses[step[1]].propose(fill(step[2]))))
            elif op == "evaluate":
                results.append(_encode(harnesses[step[1]].evaluate(fill(step[2]), step[3])))
            elif op == "call":
                results.append(_encode(harnesses[step[1]].call(step[2], *step[3])))
            elif op == "cpu":
                harness = harnesses[step[1]]
                launcher = harness._worker.proc.pid if harness._worker else None
                results.append(_cpu_seconds(launcher) if launcher else None)
            elif op == "threads":  # the most threads any process of the worker has
                harness = harnesses[step[1]]
                results.append(max(_threads(pid) for pid in _tree(harness._worker.proc.pid)))
            elif op == "pids":
                harness = harnesses[step[1]]
                harness.propose("warm up")
                results.append(_tree(harness._worker.proc.pid))
            elif op == "sleep":
                time.sleep(step[1])
                results.append(None)
            elif op == "protections":
                harness = harnesses[step[1]]
                results.append([harness.protections, harness.layer_details])
            elif op == "hold":
                print(json.dumps({"case": case["name"], "results": results}), flush=True)
                time.sleep(300)
        print(json.dumps({"case": case["name"], "results": results,
                          "victim_alive": victim.poll() is None}), flush=True)
        for harness in harnesses.values():
            harness.close()
        harnesses.clear()
    victim.kill()
    victim.wait()


if __name__ == "__main__":
    main()
