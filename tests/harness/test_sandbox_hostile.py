"""Hostile harness code: every attack is contained, reported with the right kind, and the next
call works on a fresh (respawned) worker. The static check is bypassed (``check=False``) to test
the runtime; ``test_static_check_rejects_hostile_sources`` checks that it would have refused them.
Where a layer is tested on its own, the layers above it are switched off with ``disable=``.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from pathlib import Path

import pytest

from autoharness.harness.checks import check_source
from autoharness.harness.runtime import CallFailure, SandboxedHarness
from tests.harness.hostile import source

TIMEOUT = 0.3
NO_PYTHON_LAYERS = ("audit_hook", "import_guard")


@pytest.fixture
def make():
    made: list[SandboxedHarness] = []

    def build(src: str, **kwargs) -> SandboxedHarness:
        kwargs.setdefault("timeout", TIMEOUT)
        harness = SandboxedHarness(src, check=False, **kwargs)
        made.append(harness)
        return harness

    yield build
    for harness in made:
        harness.close()


def assert_healthy(harness: SandboxedHarness) -> None:
    assert harness.evaluate("obs", "fine") is True
    assert harness.propose("obs") == "ok"


def failure(result: object, kind: str) -> CallFailure:
    assert isinstance(result, CallFailure), result
    assert result.kind == kind, result
    assert "\n" not in str(result).split(":", 1)[0]
    return result


# ---- time and memory ------------------------------------------------------------------------


def test_infinite_loop_times_out_and_respawns(make):
    harness = make(source("while True:\n    pass"))
    assert_healthy(harness)
    started = time.monotonic()
    failure(harness.evaluate("obs", "attack"), "timeout")
    assert time.monotonic() - started < TIMEOUT + harness.grace + 0.5
    assert_healthy(harness)
    assert harness.stats.respawns == 1
    failure(harness.propose("attack"), "timeout")
    assert_healthy(harness)
    assert harness.stats.failures["timeout"] == 2


def test_signal_tampering_cannot_stop_the_kill(make):
    attack = """
        signal = _module("signal")
        for sig in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGTERM})
        signal.setitimer(signal.ITIMER_REAL, 0)
        while True:
            pass
    """
    harness = make(source(attack))
    started = time.monotonic()
    result = failure(harness.evaluate("obs", "attack"), "timeout")
    assert "killed" in result.message
    assert time.monotonic() - started < TIMEOUT + harness.grace + 0.5
    assert_healthy(harness)


def test_swallowing_the_soft_timeout_does_not_help(make):
    attack = """
        while True:
            try:
                while True:
                    pass
            except BaseException:
                pass
    """
    harness = make(source(attack))
    failure(harness.evaluate("obs", "attack"), "timeout")
    assert_healthy(harness)


def test_memory_bomb(make):
    harness = make(source("hoard = []\nwhile True:\n    hoard.append(bytearray(32 << 20))"),
                   memory_mb=256, timeout=5)
    result = failure(harness.evaluate("obs", "attack"), "exception")
    assert "MemoryError" in result.message
    assert_healthy(harness)
    assert harness.stats.respawns == 1  # a worker that ran out of memory is replaced


def test_recursion_bomb(make):
    harness = make(source("return eval_action(obs, action)"))
    result = failure(harness.evaluate("obs", "attack"), "exception")
    assert "RecursionError" in result.message
    assert result.message.count("\n") < 12  # trimmed, not 1000 frames
    assert_healthy(harness)


def test_raised_recursion_limit_blows_only_the_worker(make):
    # past the interpreter's own guard: a C-stack overflow, the heap, or the clock ends it
    harness = make(source("_module('sys').setrecursionlimit(10**8)\n"
                          "return eval_action(obs, action)"), memory_mb=256, timeout=2)
    result = harness.evaluate("obs", "attack")
    assert isinstance(result, CallFailure) and result.kind in ("crash", "exception", "timeout")
    assert_healthy(harness)


@pytest.mark.parametrize("flood", ["stdout", "reply-header"])
def test_floods_of_output_reach_nobody(make, flood):
    # unbounded prints (the worker's stdout and stderr are /dev/null) and a reply frame that
    # announces 2 GiB: a timeout or a protocol violation, and the next call is answered
    attack = ("while True:\n    print('spam' * 4096)\n    _module('os').write(2, b'x' * 65536)"
              if flood == "stdout" else
              "_module('os').write(int(_module('sys').argv[2]), b'\\xff\\xff\\xff\\x7f' + "
              "b'A' * 65536)\nreturn True")
    harness = make(source(attack))
    started = time.monotonic()
    result = harness.evaluate("obs", "attack")
    assert time.monotonic() - started < 5
    expected = "timeout" if flood == "stdout" else "crash"
    failure(result, expected)
    assert_healthy(harness)


# ---- files, network, processes --------------------------------------------------------------


@pytest.mark.parametrize("disable", [(), NO_PYTHON_LAYERS], ids=["all-layers", "kernel-only"])
def test_writing_files_is_refused(make, disable, tmp_path):
    name = f"pwned-{uuid.uuid4().hex}.txt"
    targets = [name, f"/tmp/{name}", str(tmp_path / name)]
    attack = f"""
        for path in {targets!r}:
            try:
                _module("io").open(path, "w").write("pwned")
            except OSError:
                pass
            try:
                _module("os").open(path, 0o101)  # O_WRONLY | O_CREAT
            except OSError:
                pass
        return _module("io").open({name!r}, "w").write("pwned") > 0
    """
    harness = make(source(attack), disable=disable)
    result = harness.evaluate("obs", "attack")
    failure(result, "blocked" if not disable else "exception")
    for where in (Path(harness._worker.workdir), Path.cwd(), Path("/tmp"), tmp_path):
        assert not (where / name).exists()
    assert_healthy(harness)


def test_reading_outside_the_python_installation_is_refused(make):
    harness = make(source('return len(_module("io").open("/etc/hostname").read()) > 0'))
    failure(harness.evaluate("obs", "attack"), "blocked")
    assert_healthy(harness)


@pytest.fixture
def listener():
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.3)
    yield server
    server.close()


def assert_no_connection(server: socket.socket) -> None:
    with pytest.raises(TimeoutError):
        server.accept()[0].close()


@pytest.mark.parametrize("disable", [(), NO_PYTHON_LAYERS, NO_PYTHON_LAYERS + ("seccomp",)],
                         ids=["all-layers", "seccomp", "netns-only"])
def test_socket_connect_is_refused(make, listener, disable):
    port = listener.getsockname()[1]
    attack = f"""
        connection = _module("socket").create_connection(("127.0.0.1", {port}), timeout=1)
        connection.sendall(b"pwned")
    """
    harness = make(source(attack), disable=disable)
    if "seccomp" in disable and not harness.protections["netns"]:
        pytest.skip("no network namespace here")
    result = harness.evaluate("obs", "attack")
    failure(result, "blocked" if not disable else "exception")
    assert_no_connection(listener)
    assert_healthy(harness)


@pytest.mark.parametrize("disable", [(), NO_PYTHON_LAYERS], ids=["all-layers", "kernel-only"])
@pytest.mark.parametrize("how", ["system", "subprocess", "fork", "exec", "ctypes"])
def test_subprocesses_are_refused(make, tmp_path, disable, how):
    marker = tmp_path / "marker"
    command = f"touch {marker}"
    attack = {
        "system": f"return _module('os').system({command!r}) == 0",
        "subprocess": f"return _module('subprocess').run({command!r}, shell=True).returncode == 0",
        "fork": "pid = _module('os').fork()\nif pid == 0:\n"
                f"    open({str(marker)!r}, 'w')\n    _module('os')._exit(0)\nreturn True",
        "exec": f"_module('os').execv('/bin/sh', ['sh', '-c', {command!r}])",
        "ctypes": f"return _module('ctypes').CDLL(None).system({command.encode()!r}) == 0",
    }[how]
    harness = make(source(attack), disable=disable)
    result = harness.evaluate("obs", "attack")
    if not disable:
        failure(result, "blocked")
    else:
        if result is not False:  # False: the command "ran" and failed
            failure(result, "exception")
    time.sleep(0.05)
    assert not marker.exists()
    assert_healthy(harness)


def test_ctypes_import_is_refused(make):
    harness = make(source("import ctypes\nreturn True"))
    result = failure(harness.evaluate("obs", "attack"), "blocked")
    assert "ctypes" in result.message
    assert_healthy(harness)


def test_ctypes_preloaded_by_numpy_is_refused(make, tmp_path):
    marker = tmp_path / "marker"
    attack = f"return _module('ctypes').CDLL(None).system(b'touch {marker}') == 0"
    harness = make(source(attack, prelude="import numpy"), timeout=2)
    failure(harness.evaluate("obs", "attack"), "blocked")
    assert not marker.exists()
    assert_healthy(harness)


@pytest.mark.parametrize("attack", [
    "_module('marshal').loads(_module('marshal').dumps(1))",
    "eval_action.__code__.replace(co_consts=())",
    "_module('gc').get_objects()",
    "_module('sys').settrace(lambda *a: None)",
    "propose_action.__code__ = eval_action.__code__",
    "_module('sys').addaudithook(lambda *a: None)",
    "_module('sys')._current_frames()",
    "_module('resource').setrlimit(_module('resource').RLIMIT_CPU, (-1, -1))",
], ids=["marshal", "code", "gc", "settrace", "set-code", "addaudithook", "frames", "rlimit"])
def test_interpreter_escape_hatches_are_refused(make, attack):
    harness = make(source(attack))
    failure(harness.evaluate("obs", "attack"), "blocked")
    assert_healthy(harness)


def test_environment_is_scrubbed(make, monkeypatch):
    monkeypatch.setenv("AUTOHARNESS_TEST_SECRET", "hunter2")
    harness = make(source("", propose_attack="return repr(dict(_module('os').environ))"))
    leaked = harness.propose("attack")
    assert isinstance(leaked, str) and "hunter2" not in leaked and "PYTHONPATH" in leaked


# ---- exits ----------------------------------------------------------------------------------


def test_sys_exit_is_an_exception(make):
    harness = make(source("raise SystemExit(3)"))
    result = failure(harness.evaluate("obs", "attack"), "exception")
    assert "SystemExit" in result.message
    assert_healthy(harness)


def test_os_exit_is_a_crash(make):
    harness = make(source("_module('os')._exit(3)"))
    result = failure(harness.evaluate("obs", "attack"), "crash")
    assert "status 3" in result.message
    assert_healthy(harness)
    assert harness.stats.respawns == 1


def test_segfault_is_a_crash(make):
    harness = make(source("_module('os').abort()"), disable=NO_PYTHON_LAYERS)
    failure(harness.evaluate("obs", "attack"), "crash")
    assert_healthy(harness)


# ---- state, protocol, return values ---------------------------------------------------------


def test_patching_builtins_does_not_break_later_calls(make):
    extra = '''
def _patch_everything():
    __builtins__["len"] = lambda x: 0           # the harness's own copy
    real = _module("builtins")
    real.isinstance = lambda *args: True
    real.issubclass = lambda *args: True
    real.len = lambda *args: 0
    real.type = lambda *args: bool
    real.str = bytes
    real.bool = int
    real.memoryview = lambda *args: None
    _module("os").write = lambda *args: 0
    _module("struct").pack = lambda *args: b""
'''
    src = source("_patch_everything()\nreturn True", extra=extra).replace(
        "    return True\n\n\ndef propose",
        "    if action == 'int':\n        return 1\n    return True\n\n\ndef propose").replace(
        "    return 'ok'\n", "    if obs == 'bytes':\n        return b'x'\n"
                            "    if obs == 'long':\n        return 'x' * 20000\n    return 'ok'\n")
    harness = make(src)
    assert harness.evaluate("obs", "attack") is True
    assert_healthy(harness)
    failure(harness.evaluate("obs", "int"), "bad_return")
    failure(harness.propose("bytes"), "bad_return")
    failure(harness.propose("long"), "too_large")
    assert harness.evaluate_many("obs", ["fine", "int", "fine"])[::2] == [True, True]
    assert harness.stats.respawns == 0  # nothing needed a new worker


def test_harness_globals_persist_until_respawn(make):
    src = source("while True:\n    pass", extra="COUNT = [0]\n").replace(
        "    return 'ok'\n", "    COUNT[0] += 1\n    return str(COUNT[0])\n")
    harness = make(src)
    assert [harness.propose("obs") for _ in range(3)] == ["1", "2", "3"]
    failure(harness.evaluate("obs", "attack"), "timeout")
    assert harness.propose("obs") == "1"  # documented: state lives as long as the worker


@pytest.mark.parametrize("forgery", ["garbage", "wrong-type", "plausible"])
def test_forged_replies_cannot_break_the_contract(make, forgery):
    extra = '''
def _forge(kind):
    sys, struct = _module("sys"), _module("struct")
    fd = int(sys.argv[2])
    if kind == "garbage":
        data = b"\\xff" * 64
    else:
        item = b"\\x02" + struct.pack("<I", 3) + b"abc" if kind == "wrong-type" else b"\\x01"
        body = struct.pack("<BIIIB", ord("R"), 1, 0, 1, 1) + item
        data = struct.pack("<I", len(body)) + body
    _module("os").write(fd, data)
'''
    harness = make(source(f"_forge({forgery!r})\nreturn False", extra=extra))
    result = harness.evaluate("obs", "attack")  # the first request of this worker: id 1
    if forgery == "plausible":
        assert result is True  # a forged bool is no worse than returning one
    else:
        assert "protocol" in failure(result, "crash").message
    assert_healthy(harness)  # the out-of-turn reply did not desynchronise the next call


@pytest.mark.parametrize(("returned", "kind"), [
    ("42", "bad_return"), ("None", "bad_return"), ("b'[1]'", "bad_return"),
    ("'x' * 10_000_000", "too_large"), ("Sneaky('x' * 20000)", "too_large"),
    ("FakeStr()", "bad_return"),
])
def test_propose_return_checks(make, returned, kind):
    extra = '''
class Sneaky(str):
    def __len__(self):
        return 1
    def __str__(self):
        return "ok"

class FakeStr:
    __class__ = property(lambda self: str)
'''
    harness = make(source("", propose_attack=f"return {returned}", extra=extra))
    started = time.monotonic()
    failure(harness.propose("attack"), kind)
    assert time.monotonic() - started < 1  # a 10 MB string is refused, not shipped
    assert_healthy(harness)


def test_str_subclasses_are_converted(make):
    harness = make(source("", propose_attack="return Sneaky('[4]')",
                          extra="class Sneaky(str):\n    def __str__(self):\n        return 'x'\n"))
    result = harness.propose("attack")
    assert type(result) is str and result == "[4]"


EVAL_RETURNS = {"1": "bad_return", "'True'": "bad_return", "None": "bad_return",
                "numpy.bool_(True)": True, "numpy.bool_(False)": False,
                "numpy.int64(1)": "bad_return"}


def test_eval_return_checks(make):
    cases = "\n".join(f"if obs == {i}:\n    return {returned}"
                       for i, returned in enumerate(EVAL_RETURNS))
    dispatch = ("    if action.startswith('case'):\n        obs = int(action[4:])\n"
                + "\n".join("        " + line for line in cases.splitlines()) + "\n    if False:")
    src = source("return eval(action)", prelude="import numpy").replace(
        "    if action == 'attack':", dispatch)
    harness = make(src, timeout=2)
    for i, expected in enumerate(EVAL_RETURNS.values()):
        result = harness.evaluate("obs", f"case{i}")
        if isinstance(expected, bool):
            assert result is expected
        else:
            failure(result, expected)
    assert_healthy(harness)


# ---- static checks --------------------------------------------------------------------------

HOSTILE_SNIPPETS = [
    "import socket", "import subprocess", "import ctypes", "import os", "import sys",
    "import signal", "from importlib import import_module", "import builtins",
    "__import__('os')", "open('x', 'w')", "eval('1')", "exec('1')", "compile('1', 'x', 'exec')",
    "().__class__.__base__.__subclasses__()", "f.__globals__", "getattr(f, '__globals__')",
    "x = __builtins__", "from chess import engine", "import numpy.ctypeslib",
    "from . import sibling",
]


def plain(snippet: str) -> str:
    return ('GAMES = ["Test-v0"]\n\n\ndef propose_action(obs):\n    return "ok"\n\n\n'
            f"def eval_action(obs, action):\n    {snippet}\n    return True\n")


@pytest.mark.parametrize("snippet", HOSTILE_SNIPPETS)
def test_static_check_rejects_hostile_sources(snippet):
    assert check_source(plain("pass")) == []
    problems = check_source(plain(snippet))
    assert problems, snippet
    assert all("\n" not in str(p) for p in problems)
    assert str(problems[0]).startswith("line 9: ")


def test_the_escape_itself_is_rejected_statically():
    assert {p.code for p in check_source(source("pass"))} >= {"attribute"}


def test_the_host_process_is_unharmed(make):
    cwd, pid = os.getcwd(), os.getpid()
    src = source("_module('os').chdir('/')\n_module('os').kill(_module('os').getppid(), 9)")
    probe = make(src)
    kernel_only = probe.protections["seccomp"]  # else the audit hook must stop the kill
    harness = make(src, disable=NO_PYTHON_LAYERS if kernel_only else ())
    result = harness.evaluate("obs", "attack")
    assert isinstance(result, CallFailure)
    assert os.getcwd() == cwd and os.getpid() == pid
    assert_healthy(harness)
