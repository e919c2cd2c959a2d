"""The harness runtime with well-behaved (and clumsy, not hostile) harnesses: the interface,
batches, timeouts in batches, load failures, tracebacks, seeding, lifecycle, threads, pools."""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
import random
import signal
import struct
import threading
import time

import pytest

from autoharness.harness.errors import HarnessError
from autoharness.harness.runtime import (
    CallFailure,
    InProcessHarness,
    SandboxedHarness,
    load_harness,
)
from autoharness.harness.sandbox import seccomp

TICTACTOE = '''"""A small TicTacToe-like harness."""
GAMES = ["TicTacToe-v0"]
PROVENANCE = {"method": "hand-written"}
import random
import re


def free_cells(obs):
    board = obs.rsplit("Board:", 1)[-1]
    return re.findall(r"\\[(\\d)\\]", board)


def propose_action(obs: str) -> str:
    cells = free_cells(obs)
    return f"[{random.choice(cells)}]" if cells else "[0]"


def eval_action(obs: str, action: str) -> bool:
    match = re.fullmatch(r"\\s*\\[(\\d)\\]\\s*", action)
    return bool(match) and match.group(1) in free_cells(obs)
'''
OBS = "Welcome to TicTacToe.\nBoard: [0] X [2]\n O [4] [5]\n X O [8]"


def _spin(name: str = "spin") -> str:
    return f"def {name}(seconds):\n    end = __import__('time').monotonic() + seconds\n" \
           "    while __import__('time').monotonic() < end:\n        pass\n"


BATCHY = '''GAMES = ["Test-v0"]
import math


def busy(n):
    total = 0
    for i in range(n):
        total += math.sqrt(i)
    return total


def propose_action(obs):
    if obs == "boom":
        raise ValueError("bad observation")
    return obs.upper()


def eval_action(obs, action):
    if action == "hang":
        while True:
            pass
    if action.startswith("busy"):
        busy(int(action[4:]))
    if action == "raise":
        return helper(action)
    return action in obs


def helper(action):
    return {}[action]
'''


@pytest.fixture
def harness():
    with SandboxedHarness(TICTACTOE, seed=0, timeout=1.0) as h:
        yield h


def test_calls(harness):
    assert harness.propose(OBS) in {"[0]", "[2]", "[4]", "[5]", "[8]"}
    assert harness.evaluate(OBS, "[4]") is True
    assert harness.evaluate(OBS, "[1]") is False
    assert harness.evaluate_many(OBS, ["[0]", "[1]", " [8] ", "x"]) == [True, False, True, False]
    assert harness.evaluate_many(OBS, []) == []
    assert harness.propose_many([OBS, "Board: [7]", "Board:"]) [1:] == ["[7]", "[0]"]
    assert harness.propose_many([]) == []
    assert harness.stats.calls == 1 + 2 + 4 + 3
    assert harness.stats.failed == 0 and harness.stats.spawns == 1


def test_observation_is_sent_once_and_cache_survives_respawn():
    with SandboxedHarness(BATCHY, timeout=0.3) as h:
        big = "obs " * 20_000 + "needle"
        assert h.evaluate(big, "needle") is True
        assert h.evaluate(big, "needle") is True                 # same object: not resent
        assert h.evaluate("x" + big[1:], "needle") is True       # equal-length, different
        assert h.evaluate("other", "needle") is False
        assert h.evaluate("other", "hang").kind == "timeout"
        assert h.evaluate("other", "other") is True              # new worker: resent


def test_inputs_must_be_str(harness):
    with pytest.raises(TypeError):
        harness.evaluate(OBS, 4)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        harness.propose_many([OBS, None])  # type: ignore[list-item]


def test_surrogates_and_unicode_round_trip():
    src = 'GAMES = ["T-v0"]\ndef propose_action(obs):\n    return obs[::-1]\n' \
          'def eval_action(obs, action):\n    return action == obs\n'
    with SandboxedHarness(src) as h:
        weird = "é漢\U0001f600\ud800x"
        assert h.propose(weird) == weird[::-1]
        assert h.evaluate(weird, weird) is True


def test_protections_report(harness):
    layers = harness.protections
    details = harness.layer_details
    for key in ("process", "kill_on_timeout", "scrubbed_env", "tmp_cwd", "host_nondumpable",
                "pidns", "netns", "mountns", "landlock", "uid", "no_new_privs", "pdeathsig",
                "rlimit_as", "rlimit_cpu", "rlimit_fsize", "rlimit_nofile", "rlimit_nproc",
                "seccomp", "cgroup", "time_budget", "audit_hook", "import_guard",
                "restricted_builtins"):
        assert isinstance(layers[key], bool), key
    for key, active in layers.items():  # every missing layer says why
        assert active or details.get(key), key
    assert layers["audit_hook"] and layers["rlimit_as"] and layers["rlimit_fsize"]
    if seccomp.supported() is None:
        assert layers["seccomp"] and layers["no_new_privs"]


def test_disabled_layers_are_reported():
    disable = ["audit_hook", "seccomp", "netns", "pidns", "mountns", "landlock", "uid"]
    with SandboxedHarness(TICTACTOE, disable=disable) as h:
        layers = h.protections
        for layer in disable:
            assert not layers[layer] and h.layer_details[layer] == "disabled", layer
        assert h.evaluate(OBS, "[4]") is True
    with pytest.raises(ValueError, match="unknown sandbox layers"):
        SandboxedHarness(TICTACTOE, disable=["firewall"])


def test_seccomp_program_is_well_formed():
    program = seccomp.program()
    assert len(program) % 8 == 0 and len(program) // 8 < 4096
    instructions = [struct.unpack("=HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    for index, (code, jt, jf, _k) in enumerate(instructions):
        if code & 0x07 == 0x05:  # jumps stay inside the program
            assert index + 1 + max(jt, jf) < len(instructions)
    assert instructions[-1] == (0x06, 0, 0, 0x00050000 | 1)  # default: EPERM


# ---- batches and timeouts -------------------------------------------------------------------


def test_batch_timeout_fails_that_item_and_the_rest():
    with SandboxedHarness(BATCHY, timeout=0.3) as h:
        results = h.evaluate_many("a b", ["a", "b", "hang", "a"])
        assert results[:2] == [True, True]
        assert [r.kind for r in results[2:]] == ["timeout", "timeout"]
        assert "not run" in results[3].message
        assert h.evaluate_many("a b", ["a", "c"]) == [True, False]
        assert h.stats.respawns == 1 and h.stats.failures["timeout"] == 2


def test_batch_longer_than_the_timeout_in_total_is_fine():
    with SandboxedHarness(BATCHY, timeout=0.25) as h:
        h.evaluate("warm", "up")
        started = time.monotonic()
        results = h.evaluate_many("obs", ["busy200000"] * 40)
        assert all(r is False for r in results), results[:3]
        assert time.monotonic() - started > 0.25 or pytest.skip("machine too fast to matter")


def test_exceptions_are_trimmed_to_the_harness():
    with SandboxedHarness(BATCHY, name="batchy.py") as h:
        failure = h.evaluate("obs", "raise")
        assert isinstance(failure, CallFailure) and failure.kind == "exception"
        assert 'File "batchy.py", line 25, in eval_action' in failure.message
        assert 'File "batchy.py", line 30, in helper' in failure.message
        assert "return {}[action]" in failure.message
        assert failure.message.rstrip().endswith("KeyError: 'raise'")
        assert "worker.py" not in failure.message and "runtime.py" not in failure.message
        assert h.propose_many(["ok", "boom", "ok"])[::2] == ["OK", "OK"]
        assert h.stats.respawns == 0


def test_load_failures_are_reported_on_every_call_without_respawning():
    bad = ('GAMES = ["T-v0"]\nraise RuntimeError("broken at import")\n'
           'def propose_action(obs):\n    return "x"\n'
           'def eval_action(obs, action):\n    return True\n')
    with SandboxedHarness(bad) as h:
        results = [h.propose("o"), h.evaluate("o", "a"), *h.evaluate_many("o", ["a", "b"])]
        assert {r.kind for r in results} == {"exception"}
        assert "harness failed to load" in results[0].message
        assert "broken at import" in results[0].message
        assert h.stats.spawns == 1


@pytest.mark.parametrize(("body", "kind", "words"), [
    ("while True:\n    pass\n", "timeout", "failed to load"),
    ("import socket\n", "blocked", "import socket"),
    ("def oops(:\n", "exception", "SyntaxError"),
    ("propose_action = 3\n", "exception", "no callable propose_action"),
])
def test_load_failure_kinds(body, kind, words):
    src = 'GAMES = ["T-v0"]\ndef propose_action(obs):\n    return "x"\n' \
          f'def eval_action(obs, action):\n    return True\n{body}'
    with SandboxedHarness(src, check=False, load_timeout=0.3) as h:
        result = h.propose("o")
        assert isinstance(result, CallFailure) and result.kind == kind, result
        assert words in result.message


def test_static_checks_run_at_construction():
    with pytest.raises(HarnessError, match=r"line 6: import of 'os' is not allowed"):
        SandboxedHarness(TICTACTOE.replace("import re\n", "import re\nimport os\n"))


# ---- seeding --------------------------------------------------------------------------------

RANDOM = '''GAMES = ["T-v0"]
import random


def propose_action(obs):
    if obs == "hang":
        while True:
            pass
    return f"{random.random():.12f} {list({'a', 'b', 'c', 'd', 'e'})}"


def eval_action(obs, action):
    return True
'''


def test_seed_makes_runs_reproducible():
    with SandboxedHarness(RANDOM, seed=7, timeout=0.3) as a, SandboxedHarness(RANDOM, seed=7) as b:
        first = [a.propose("o") for _ in range(3)]
        assert first == [b.propose("o") for _ in range(3)]
        assert a.propose("hang").kind == "timeout"
        assert [a.propose("o") for _ in range(3)] == first  # reseeded at respawn
    with SandboxedHarness(RANDOM, seed=8) as c:
        assert c.propose("o") != first[0]


# ---- lifecycle ------------------------------------------------------------------------------


def _gone(pid: int) -> bool:
    """No such process — not even a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            stat.read()
    except FileNotFoundError:
        return True
    return False


def test_close_reaps_the_worker_and_refuses_calls():
    h = SandboxedHarness(TICTACTOE)
    assert h.evaluate(OBS, "[0]") is True
    pid, workdir = h._worker.proc.pid, h._worker.workdir
    h.close()
    assert _gone(pid) and not os.path.exists(workdir)
    with pytest.raises(ValueError, match="closed"):
        h.propose(OBS)
    h.close()  # idempotent


def test_garbage_collection_reaps_the_worker():
    h = SandboxedHarness(TICTACTOE)
    assert h.evaluate(OBS, "[0]") is True
    pid = h._worker.proc.pid
    del h
    gc.collect()
    assert _gone(pid)


def test_a_worker_killed_between_calls_is_replaced_silently(harness):
    assert harness.evaluate(OBS, "[0]") is True
    os.kill(harness._worker.proc.pid, signal.SIGKILL)
    time.sleep(0.05)
    assert harness.evaluate(OBS, "[0]") is True
    assert harness.stats.idle_replacements == 1 and harness.stats.failed == 0


def test_threads_share_and_own_harnesses(harness):
    errors: list[object] = []

    def work(own: bool) -> None:
        h = SandboxedHarness(TICTACTOE) if own else harness
        try:
            for i in range(30):
                cell = str(i % 9)
                expected = f"[{cell}]" in OBS.rsplit("Board:", 1)[1]
                if h.evaluate(OBS, f"[{cell}]") is not expected:
                    errors.append((own, i))
        finally:
            if own:
                h.close()

    threads = [threading.Thread(target=work, args=(i % 2 == 0,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


_INHERITED: SandboxedHarness | None = None


def _pool_task(i: int) -> tuple[bool, bool]:
    with SandboxedHarness(TICTACTOE, seed=i) as own:
        fresh = own.evaluate(OBS, "[4]") is True
    assert _INHERITED is not None
    inherited = _INHERITED.evaluate(OBS, "[5]") is True  # respawned in this process
    return fresh, inherited


def test_process_pool_workers_can_use_harnesses():
    global _INHERITED
    _INHERITED = SandboxedHarness(TICTACTOE)
    try:
        assert _INHERITED.evaluate(OBS, "[5]") is True
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
            assert list(pool.map(_pool_task, range(4))) == [(True, True)] * 4
        assert _INHERITED.evaluate(OBS, "[5]") is True  # the parent's worker is untouched
        assert _INHERITED.stats.spawns == 1
    finally:
        _INHERITED.close()
        _INHERITED = None


# ---- in-process and loading -----------------------------------------------------------------


def test_in_process_harness_has_the_same_interface():
    h = InProcessHarness(BATCHY, name="batchy.py", timeout=5.0)
    assert h.evaluate("a b", "a") is True
    assert h.evaluate_many("a b", ["a", "x"]) == [True, False]
    assert h.propose_many(["ok", "boom"])[0] == "OK"
    failure = h.propose("boom")
    assert failure.kind == "exception" and "ValueError: bad observation" in failure.message
    assert 'File "batchy.py"' in failure.message
    assert h.protections == {"process": False}
    with pytest.raises(TypeError):
        InProcessHarness(BATCHY, firewall=True)


def test_in_process_return_checks():
    src = ('GAMES = ["T-v0"]\ndef propose_action(obs):\n'
           '    return 3 if obs == "int" else "x" * 50\n'
           'def eval_action(obs, action):\n    return 1\n')
    h = InProcessHarness(src, max_action_len=10)
    assert h.propose("int").kind == "bad_return"
    assert h.propose("long").kind == "too_large"
    assert h.evaluate("o", "a").kind == "bad_return"


def test_load_harness_from_path_and_source(tmp_path):
    path = tmp_path / "tictactoe.py"
    path.write_text(TICTACTOE)
    with load_harness(path) as h:
        assert isinstance(h, SandboxedHarness) and h.name == "tictactoe.py"
        assert h.evaluate(OBS, "[0]") is True
    with load_harness(str(path), sandbox=False) as h:
        assert isinstance(h, InProcessHarness) and h.evaluate(OBS, "[0]") is True
    with load_harness(TICTACTOE, sandbox=False, seed=3) as h:
        state = random.getstate()
        assert h.propose(OBS).startswith("[")
        random.setstate(state)


def test_call_failure_is_falsy_and_readable():
    failure = CallFailure("timeout", "no answer within 1 s")
    assert not failure
    assert str(failure) == "timeout: no answer within 1 s"


EVERYTHING_ALLOWED = '''"""Uses the corners of the allowlist that do unusual things at run time."""
from __future__ import annotations

GAMES = ["Chess-v0"]
import bisect
import collections
import dataclasses
import decimal
import enum
import fractions
import functools
import heapq
import itertools
import json
import math
import random
import re
import statistics
import string
import typing

import chess
import numpy as np


@dataclasses.dataclass(frozen=True)
class Move:
    uci: str
    score: float = 0.0


class Colour(enum.Enum):
    WHITE = 1
    BLACK = 2


Pair = collections.namedtuple("Pair", "a b")


class Typed(typing.NamedTuple):
    x: int


@functools.lru_cache(maxsize=None)
def legal(fen: str) -> frozenset[str]:
    return frozenset(m.uci() for m in chess.Board(fen).legal_moves)


def propose_action(obs: str) -> str:
    print("debugging output goes nowhere", obs[:10])
    moves = sorted(legal(chess.STARTING_FEN))
    heapq.heapify(moves)
    scores = np.array([len(m) for m in moves], dtype=float)
    values = [statistics.mean([1, 2, 3]), fractions.Fraction(1, 3), decimal.Decimal("1.1"),
              math.comb(5, 2), bisect.bisect([1, 2, 3], 2), Colour.WHITE.name, Pair(1, 2).a,
              Typed(3).x, json.dumps({"a": [1, 2]}), string.ascii_lowercase[:3],
              list(itertools.islice(itertools.count(), 3)), random.random() < 2,
              float(scores.mean()), collections.Counter("aab").most_common(1),
              "é".encode("latin-1"), "x".encode("idna"), dataclasses.replace(Move("a"), score=1)]
    assert all(v is not None for v in values)
    return f"[{moves[0]}]"


def eval_action(obs: str, action: str) -> bool:
    match = re.fullmatch(r"\\[([a-h][1-8][a-h][1-8][qrbn]?)\\]", action.strip())
    return bool(match) and match.group(1) in legal(chess.STARTING_FEN) and np.bool_(True)
'''


def test_the_allowlist_works_under_every_layer():
    with SandboxedHarness(EVERYTHING_ALLOWED, timeout=5) as h:
        action = h.propose("a chess observation")
        assert isinstance(action, str) and action.startswith("["), action
        assert h.evaluate("obs", "[e2e4]") is True
        assert h.evaluate("obs", "[e2e5]") is False
        assert h.stats.failed == 0


def test_workers_die_with_their_parent(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\n"
        "from autoharness.harness.runtime import SandboxedHarness\n"
        f"h = SandboxedHarness({TICTACTOE!r})\n"
        f"assert h.evaluate({OBS!r}, '[0]') is True\n"
        "print(h._worker.proc.pid, flush=True)\n"
        "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        worker_pid = int(parent.stdout.readline())
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 5
        while not _gone_or_zombie(worker_pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _gone_or_zombie(worker_pid)
    finally:
        parent.kill()
        parent.stdout.close()


def _gone_or_zombie(pid: int) -> bool:
    """Gone, or a zombie waiting for init to reap it (not our child, so not ours to reap)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return True
