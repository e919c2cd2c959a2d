"""The kernel is the boundary: one test or more per attack class of issue 13, each with a fresh
harness (``hostile_kernel.py``), run by a separate host process (``hostile_host.py``) both as
root (as CI runs) and as a fresh unprivileged uid. Every test asserts that nothing escaped —
no secret, no host file, no signal, no surviving worker — and that the run goes on.

Attacks that defeat the Python-level guards (module internals, hook helpers, closure tampering,
subinterpreters, code objects, hidden refusals) run with those guards on; the direct attacks run
with them off (``disable=audit_hook, import_guard``), so only the kernel layers stand, and some
again with one kernel layer off, to show the next one holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autoharness.harness.sandbox import confine
from tests.harness import hostile_kernel as attacks

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sk-hostile-" + os.urandom(12).hex()
PY_OFF = ["audit_hook", "import_guard"]
FAST = {"timeout": 2.0}
WRITES = [Path("/tmp/escape-internals"), Path(random.__file__).with_name("escape-hook.py"),
          Path("/tmp/escape-fresh"), Path("/dev/shm/escape-fresh")]
FS_IOC_GETFLAGS, FS_IOC_SETFLAGS = 0x80086601, 0x40086602


def _attack_case(name: str, source: str, disable: list[str], extra: list | None = None) -> dict:
    steps = [["new", "h", source, {**FAST, "disable": disable}],
             ["propose", "h", "attack"], *(extra or []),
             ["propose", "h", "ok?"], ["propose", "h", "ok?"]]
    return {"name": name, "steps": steps}


def _cases() -> list[dict]:
    cases = []
    for name, source in (("internals", attacks.MODULE_INTERNALS),
                         ("hook_helpers", attacks.HOOK_HELPERS),
                         ("closure", attacks.CLOSURE_TAMPERING),
                         ("subinterpreter", attacks.SUBINTERPRETER),
                         ("code_objects", attacks.CODE_OBJECTS),
                         ("hidden_refusals", attacks.HIDDEN_REFUSALS)):
        cases.append(_attack_case(f"{name}/guards-on", source, []))
        cases.append(_attack_case(f"{name}/guards-off", source, PY_OFF))
    for variant, extra in (("kernel", []), ("no-landlock", ["landlock"]),
                           ("no-private-root", ["mountns"])):
        cases.append(_attack_case(f"host_reads/{variant}", attacks.HOST_READS, PY_OFF + extra))
    for variant, extra in (("kernel", []), ("no-seccomp", ["seccomp"])):
        cases.append(_attack_case(f"fcntl/{variant}", attacks.FCNTL_SIGNALS, PY_OFF + extra))
        cases.append(_attack_case(f"ioctl/{variant}", attacks.IOCTL_FLAGS, PY_OFF + extra))
        cases.append(_attack_case(f"threads/{variant}", attacks.CPU_BURN, PY_OFF + extra,
                                  [["cpu", "h"], ["sleep", 0.6], ["cpu", "h"], ["threads", "h"]]))
    for variant, extra in (("guards-on", []), ("guards-off", PY_OFF)):
        cases.append(_attack_case(f"raw/{variant}", attacks.RAW_SYSCALLS, extra))
    cases.append(_attack_case("pipes/kernel", attacks.PIPE_MEMORY, PY_OFF))
    cases.append(_attack_case("pipes/no-seccomp", attacks.PIPE_MEMORY, PY_OFF + ["seccomp"]))
    cases.append({"name": "fd_stealing", "steps": [
        ["new", "victim", attacks.NEIGHBOUR, FAST],
        ["new", "thief", attacks.FD_STEALING, {**FAST, "disable": PY_OFF}],
        ["propose", "victim", "one"], ["propose", "thief", "attack"],
        ["propose", "victim", "two"], ["propose", "victim", "three"],
        ["propose", "thief", "ok?"]]})
    cases.append({"name": "slow", "steps": [
        ["new", "h", attacks.SLOW_CALLS, {"timeout": 1.0, "disable": PY_OFF,
                                          "budget": [20, 1.0, 0.01]}],
        *[["propose", "h", f"call {i}"] for i in range(9)], ["protections", "h"]]})
    for variant, extra in (("guards-on", []), ("guards-off", PY_OFF)):
        cases.append({"name": f"idle/{variant}", "steps": [
            ["new", "h", attacks.IDLE_CALLBACK, {**FAST, "disable": extra}],
            ["propose", "h", "attack 0.6"], ["cpu", "h"], ["sleep", 0.6], ["cpu", "h"],
            ["propose", "h", "ok?"], ["propose", "h", "ok?"]]})
    cases.append({"name": "reload_stall", "steps": [
        ["new", "h", attacks.RELOAD_STALL, {**FAST, "disable": PY_OFF,
                                            "budget": [20, 1.0, 0.01]}],
        *[["propose", "h", f"call {i}"] for i in range(12)]]})
    cases.append({"name": "reload_crash", "steps": [
        ["new", "h", attacks.RELOAD_CRASH, {**FAST, "disable": PY_OFF,
                                            "budget": [20, 1.0, 0.01]}],
        *[["propose", "h", f"call {i}"] for i in range(12)]]})
    cases.append({"name": "layers", "steps": [["new", "h", attacks.NEIGHBOUR, FAST],
                                              ["protections", "h"]]})
    return cases


# ---- running a host as root or as a fresh unprivileged uid -------------------------------------


def _unreadable_ancestor(path: str) -> str | None:
    """The highest directory on ``path`` that other uids cannot search, if any."""
    current, found = os.path.realpath(path), None
    while current != "/":
        parent = os.path.dirname(current)
        if not os.stat(parent).st_mode & 0o001:
            found = current
        current = parent
    return found


def _user_preexec(uid: int):
    """A preexec_fn: a private mount namespace where the Python installation is reachable by
    other uids (when it sits under a directory they cannot search, like /root), then the fresh
    uid with no groups — an unprivileged user as far as the kernel is concerned."""
    hidden = [p for p in {_unreadable_ancestor(sys.executable),
                          _unreadable_ancestor(os.__file__), _unreadable_ancestor(str(ROOT))}
              if p]
    libc = confine.Libc()
    stage = "/mnt" if os.path.isdir("/mnt") else "/media"

    def preexec() -> None:
        if hidden:
            os.unshare(os.CLONE_NEWNS)
            if not libc.mount(None, "/", None, confine.MS_REC | confine.MS_PRIVATE):
                raise OSError("mount --make-rprivate failed")
            for path in hidden:  # e.g. /root/.pyenv under /root (mode 0700)
                parent = os.path.dirname(path)
                assert libc.mount(path, stage, None, confine.MS_BIND | confine.MS_REC)
                assert libc.mount("tmpfs", parent, "tmpfs", 0, "mode=0755")
                os.makedirs(path, exist_ok=True)
                assert libc.mount(stage, path, None, confine.MS_BIND | confine.MS_REC)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)

    return preexec


CANARY = Path(f"/tmp/autoharness-canary-{os.getpid()}")


def _host_env() -> dict[str, str]:
    if not CANARY.exists():
        CANARY.write_text(SECRET)
        CANARY.chmod(0o644)
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": "/tmp",
            "OPENAI_API_KEY": SECRET, "LC_ALL": "C.UTF-8", "HOSTILE_CANARY": str(CANARY),
            "HOSTILE_PROJECT_FILE": str(ROOT / "README.md")}


@pytest.fixture(scope="module", autouse=True)
def _remove_canary():
    yield
    CANARY.unlink(missing_ok=True)


def _start_host(mode: str, cases: list[dict]) -> subprocess.Popen:
    preexec = None
    if mode == "user":
        if os.geteuid() != 0:
            pytest.skip("already unprivileged: the 'root' runs are the unprivileged ones")
        preexec = _user_preexec(0x6F000000 + os.getpid() % 65536)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.harness.hostile_host"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/",
        env=_host_env(), preexec_fn=preexec)
    process.stdin.write(json.dumps(cases))
    process.stdin.close()
    return process


def _read_lines(process: subprocess.Popen, until_case: str | None = None,
                timeout: float = 120) -> tuple[dict, dict]:
    header: dict = {}
    results: dict = {}
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        record = json.loads(line)
        if "host" in record:
            header = record
        elif "case" in record:
            results[record["case"]] = record
            if record["case"] == until_case:
                break
        assert time.monotonic() < deadline, "the host took too long"
    return header, results


@pytest.fixture(scope="module", params=["root", "user"])
def run(request):
    if request.param == "root" and os.geteuid() != 0:
        pytest.skip("not running as root (CI does)")
    flags = {}
    with contextlib.suppress(OSError):
        flags = {"before": _get_flags(random.__file__)}
    process = _start_host(request.param, _cases())
    header, results = _read_lines(process)
    process.wait(timeout=30)
    stderr = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    with contextlib.suppress(OSError):
        flags["after"] = _get_flags(random.__file__)
    return {"mode": request.param, "header": header, "results": results, "exit": process.returncode,
            "stderr": stderr, "flags": flags}


def _get_flags(path: str) -> int:
    fd = os.open(path, os.O_RDONLY)
    try:
        return struct.unpack("l", fcntl.ioctl(fd, FS_IOC_GETFLAGS, struct.pack("l", 0)))[0]
    finally:
        os.close(fd)


def _case(run: dict, name: str) -> dict:
    assert run["exit"] == 0, f"the host died ({run['exit']}): {run['stderr'][-2000:]}"
    assert name in run["results"], f"no result for {name}: {run['stderr'][-2000:]}"
    return run["results"][name]


def assert_contained(run: dict, name: str) -> list:
    """Nothing escaped, no secret came back (not even redacted), the victim and the host are
    alive, and the harness still answers afterwards."""
    case = _case(run, name)
    text = json.dumps(case["results"])
    assert SECRET not in text and "[redacted]" not in text, text[:3000]
    assert "escaped" not in text, [part for part in text.split(";") if "escaped" in part]
    assert case["victim_alive"], "the sacrificial process was killed"
    assert case["results"][-1] == "ok" and case["results"][-2] == "ok", case["results"][-2:]
    for path in WRITES:
        assert not path.exists(), f"{path} was created"
    return case["results"]


def held(results: list) -> list[str]:
    """The outcomes of the attack step (a report of ``held:...`` parts)."""
    report = results[1]
    assert isinstance(report, str), report
    parts = report.split(";")
    assert parts and all(part.startswith("held:") for part in parts), report
    return parts


# ---- the classes ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["internals", "hook_helpers", "closure", "subinterpreter",
                                  "code_objects", "hidden_refusals"])
def test_defeating_the_python_guards_reaches_nothing(run, name):
    assert_contained(run, f"{name}/guards-on")
    held(assert_contained(run, f"{name}/guards-off"))


def test_closure_tampering_then_sockets_and_kill_are_refused(run):
    results = assert_contained(run, "closure/guards-on")
    if isinstance(results[1], str):  # the tampering got past the import guard: the kernel held
        assert "held:socket" in results[1] and "held:kill-host" in results[1]


def test_hidden_refusals_still_read_nothing(run):
    results = assert_contained(run, "hidden_refusals/guards-on")
    assert all(part.startswith("held:") for part in results[1].split(";"))


RAW_REFUSED = ("kill-all", "kill-group", "kill-victim", "tgkill-host", "pidfd_open-host",
               "ptrace-victim", "process_vm_readv-host", "clone-thread", "socket-unix",
               "setrlimit-as", "prlimit-nofile", "F_SETOWN-high-bits", "FS_IOC32_SETFLAGS",
               "openat-write-high-bits", "open-dev-shm", "prctl-pdeathsig", "open_code",
               "FileIO", "dotdot", "mmap-4GiB")


@pytest.mark.parametrize("variant", ["guards-on", "guards-off"])
def test_raw_system_calls_from_a_legacy_subinterpreter_are_refused(run, variant):
    # ctypes in a subinterpreter without the audit hook: only the kernel layers stand
    results = assert_contained(run, f"raw/{variant}")
    if variant == "guards-on" and not isinstance(results[1], str):
        return  # the Python guards refused first (also contained)
    parts = held(results)
    for wanted in RAW_REFUSED:
        assert any(part.startswith(f"held:raw:{wanted}:") for part in parts), (wanted, parts)
    reserved = next(part for part in parts if part.startswith("held:raw:reserved-MiB:"))
    assert int(reserved.rsplit(":", 1)[1]) < 1024, reserved  # the address-space limit


@pytest.mark.parametrize("variant", ["kernel", "no-landlock", "no-private-root"])
def test_host_proc_and_etc_shadow_are_unreadable(run, variant):
    parts = held(assert_contained(run, f"host_reads/{variant}"))
    for wanted in ("environ", "/etc/shadow", "/mem", "/fd", str(CANARY), "README.md"):
        assert any(wanted in part for part in parts), wanted


@pytest.mark.parametrize("variant", ["kernel", "no-seccomp"])
def test_fcntl_signal_delivery_kills_nobody(run, variant):
    parts = held(assert_contained(run, f"fcntl/{variant}"))
    for wanted in ("held:F_SETOWN:victim", "held:F_SETOWN_EX:victim", "held:FIOSETOWN:host"):
        assert any(part.startswith(wanted) for part in parts), wanted
    assert run["results"][f"fcntl/{variant}"]["victim_alive"]


def test_pdeathsig_reset_cannot_outlive_the_host():
    if os.geteuid() != 0:
        pytest.skip("not root")
    for mode in ("root", "user"):
        for disable in (PY_OFF, PY_OFF + ["seccomp"]):
            steps = [["new", "h", attacks.PDEATHSIG_RESET, {**FAST, "disable": disable}],
                     ["propose", "h", "attack"], ["pids", "h"], ["hold"]]
            process = _start_host(mode, [{"name": "pdeathsig", "steps": steps}])
            try:
                _header, results = _read_lines(process, until_case="pdeathsig", timeout=60)
                report, pids = results["pdeathsig"]["results"][1:3]
                if "seccomp" not in disable:  # without seccomp the reset works; the PID
                    assert str(report).startswith("held:pdeathsig-reset")  # namespace holds
                assert len(pids) == 3, pids  # the launcher, the namespace's init, the worker
                process.kill()  # the host dies without cleaning up
                process.wait()
                deadline = time.monotonic() + 5
                while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert not any(_alive(pid) for pid in pids), (mode, disable, pids)
            finally:
                process.kill()
                process.wait()
                for stream in (process.stdout, process.stderr):
                    stream.close()


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for init)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(") ", 1)[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("variant", ["kernel", "no-seccomp"])
def test_ioctl_cannot_set_file_flags(run, variant):
    parts = held(assert_contained(run, f"ioctl/{variant}"))
    assert any(part.startswith("held:FS_IOC_SETFLAGS") for part in parts)
    flags = run["flags"]
    if "before" in flags and "after" in flags:
        assert flags["before"] == flags["after"]


def test_fd_stealing_gets_no_bytes_and_the_victim_answers(run):
    results = _case(run, "fd_stealing")["results"]
    text = json.dumps(results)
    assert "escaped" not in text
    assert results[2] == "neighbour:one"
    assert all(part.startswith("held:") for part in results[3].split(";"))
    assert results[4] == "neighbour:two" and results[5] == "neighbour:three"
    assert results[6] == "ok"


@pytest.mark.parametrize("variant", ["kernel", "no-seccomp"])
def test_pipe_buffers_cannot_grow_kernel_memory(run, variant):
    # with seccomp: no pipe at all; without: the descriptor limit leaves a handful, each at most
    # pipe-max-size (1 MiB unprivileged)
    parts = held(assert_contained(run, f"pipes/{variant}"))
    pipes = next(part for part in parts if part.startswith("held:pipes:"))
    _held, _pipes, count, buffered, _error = pipes.split(":", 4)
    assert int(buffered) <= 8 << 20 and int(count) <= 16, pipes


@pytest.mark.parametrize("variant", ["kernel", "no-seccomp"])
def test_threads_and_timers_burn_no_cpu_between_calls(run, variant):
    results = assert_contained(run, f"threads/{variant}")
    parts = held(results)
    assert any(part.startswith("held:thread") for part in parts)
    assert any(part.startswith("held:fork") for part in parts)
    before, _sleep, after, threads = results[2:6]
    assert threads == 1  # no thread exists that could run between calls (load-independent)
    assert before is not None and after is not None
    assert after - before < 0.15, (before, after)  # 0.6 s of idle wall time, ~no CPU


@pytest.mark.parametrize("variant", ["guards-on", "guards-off"])
def test_no_computing_between_calls(run, variant):
    # the worker is stopped (SIGSTOP) from its answer to the next request: a callback armed to
    # spin 0.6 s after the answer burns nothing while the host is idle, and when the next
    # request wakes it, the spin is that call's time (here, a timeout), never unaccounted
    results = _case(run, f"idle/{variant}")["results"]
    assert results[1] in ("held:idle-callback:armed", ) or (
        variant == "guards-on" and results[1]["failure"] == "blocked"), results[1]
    before, _sleep, after = results[2:5]
    assert after - before < 0.15, (before, after)
    assert results[-1] == "ok"


def test_reloads_count_against_the_time_budget(run):
    # every answer is "ok", but each costs a 0.4 s reload outside the call (the first load is
    # the floor's): cut off as slow. Depending on timing the worker exits before the next
    # request (every call reloads) or is frozen first and exits inside it (a crash, and the
    # call after it reloads); either way the reloads add up and the budget cuts it off.
    for name in ("reload_stall", "reload_crash"):
        _assert_cut_off_after_reloads(_case(run, name)["results"][1:])


def _assert_cut_off_after_reloads(answers: list) -> None:
    assert answers[0] == "ok", answers
    failures = [a["failure"] for a in answers if isinstance(a, dict)]
    assert set(failures) <= {"slow", "crash"}, answers
    assert "slow" in failures, answers
    cut = failures.index("slow")
    assert all(f == "slow" for f in failures[cut:]), answers  # cut off for good


def test_slow_calls_are_cut_off_and_reported_slow(run):
    results = _case(run, "slow")["results"]
    answers = results[1:10]
    assert "ok" in answers[:4]
    slow = [a for a in answers if isinstance(a, dict) and a["failure"] == "slow"]
    assert slow and answers[-1]["failure"] == "slow", answers
    assert "budget" in slow[0]["message"]


def test_every_kernel_layer_is_active(run):
    active, details = _case(run, "layers")["results"][1]
    for layer in ("pidns", "netns", "mountns", "landlock", "uid", "no_new_privs", "seccomp",
                  "pdeathsig", "rlimit_nofile", "rlimit_nproc", "host_nondumpable"):
        assert active[layer], (layer, details.get(layer))
    if run["mode"] == "user":
        assert active["userns"] and "user namespace" in details["uid"]
    assert (run["header"]["uid"] == 0) == (run["mode"] == "root")
