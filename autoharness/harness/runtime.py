"""Running harness code: in a sandboxed worker process (``SandboxedHarness``) or in this process
(``InProcessHarness``, for trusted code and for measuring the sandbox's overhead).

Both have one interface: ``propose(obs) -> str | CallFailure``, ``evaluate(obs, action) -> bool |
CallFailure``, ``propose_many`` and ``evaluate_many`` (one round trip, per-item results),
``close()``, context manager, ``protections`` and ``stats``. A failed call never raises: it returns
a ``CallFailure`` whose ``kind`` is one of ``timeout``, ``crash``, ``bad_return``, ``exception``,
``too_large``, ``blocked``. ``CallFailure`` is falsy, so ``if harness.evaluate(...)`` rejects.

The sandbox, in layers (``protections`` reports which are active; all degrade silently):

* **process** — the harness runs in ``python -S worker.py`` with a scrubbed environment (no API
  keys), a fresh temp dir as cwd (deleted as soon as the worker has started, so nothing can be
  created in it), stdin/stdout/stderr on /dev/null, in its own session (no controlling
  terminal). The parent treats every byte from it as hostile: replies are a
  length-prefixed binary format parsed with ``struct`` and bounds checks (no pickle, no marshal),
  types and sizes are re-checked, any protocol violation kills the worker.
* **timeouts** — a soft ``SIGALRM`` timer in the worker, and a hard ``SIGKILL`` from the parent
  ``timeout`` + grace after the last sign of progress. A timed-out worker is killed and respawned
  lazily on the next call; so is one that died, hit the memory limit or broke the protocol.
* **rlimits** — address space (``memory_mb``), CPU seconds (a backstop; the worker is recycled
  before it reaches it), file size 0, no core files, no new processes (``RLIMIT_NPROC``; not for
  root).
* **network namespace** — an empty one (as root; or through a user namespace where unprivileged
  ones are allowed).
* **seccomp** (x86-64) — no sockets, exec, fork, file creation/writes/removal, signals to other
  processes, ptrace, mounts, io_uring... with no-new-privs, and death with the parent.
* **audit hook** — refuses sockets, subprocesses, os.system/exec/spawn/fork, ctypes, writes,
  reads outside the Python installation, imports outside the allowlist, code-object creation,
  marshal, gc introspection, tracing. A refused attempt makes the call fail as ``blocked``.
* **harness namespace** — its own globals and a copy of builtins, so patching builtins affects
  only the harness; ``open``/``eval``/``exec``/``compile``/``input``/``breakpoint`` are stubs that
  refuse; ``__import__`` checks the allowlist.

What is *not* isolated: calls share one process, so module-level state of the harness (its
globals, caches, patched modules, the ``random`` state) carries over from call to call until a
respawn — that is what makes a harness fast, and also why a respawn (timeout, crash, memory) can
change behaviour. The Python-level layers (audit hook, namespace) can be defeated by a determined
harness (e.g. via ``ctypes``, which numpy imports); the kernel-level ones (seccomp, namespace,
rlimits) and the parent's checks cannot. Reading files is possible where seccomp alone applies.
"""

from __future__ import annotations

import builtins
import contextlib
import fcntl
import functools
import importlib.util
import marshal
import math
import os
import random
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from autoharness.harness import worker as proto
from autoharness.harness.checks import (
    ALLOWED_IMPORTS,
    DENIED_MODULES,
    imported_modules,
    module_allowed,
    validate_source,
)

WORKER_PATH = Path(proto.__file__).resolve()
LAYERS = frozenset({"netns", "rlimits", "seccomp", "audit_hook", "import_guard"})
STARTUP_TIMEOUT = 60.0  # seconds for the interpreter to start and import the harness's modules
_PIPE_SIZE = 1 << 20
_READ_SIZE = 1 << 16  # below malloc's mmap threshold: no mmap/munmap per read
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


@dataclass(frozen=True)
class CallFailure:
    """A harness call that produced no usable answer. Falsy."""

    kind: str  # timeout | crash | bad_return | exception | too_large | blocked
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"

    def __bool__(self) -> bool:
        return False


@dataclass
class HarnessStats:
    calls: int = 0                     # harness calls (batch items count one each)
    failures: Counter = field(default_factory=Counter)  # by kind
    spawns: int = 0                    # worker processes started
    respawns: int = 0                  # ... after the first
    idle_replacements: int = 0         # workers found dead, or talking out of turn, between
                                       # calls (replaced silently)
    recycles: int = 0                  # workers replaced before reaching the CPU limit
    startup_seconds: float = 0.0       # total time from spawn to ready

    @property
    def failed(self) -> int:
        return sum(self.failures.values())


def _count(stats: HarnessStats, results: list) -> list:
    stats.calls += len(results)
    for result in results:
        if isinstance(result, CallFailure):
            stats.failures[result.kind] += 1
    return results


# ---- the worker process, seen from the parent -----------------------------------------------


class _Timeout(Exception):
    pass


class _Died(Exception):
    pass


class _Violation(Exception):
    pass


class _Stale(Exception):
    """The first frame read for a request answers an earlier one."""


def _close_quietly(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def _reap(proc: subprocess.Popen, fds: list[int | None], log, owner: int) -> None:
    """Finalizer: close our ends and, in the process that started it, SIGKILL and reap."""
    for fd in fds:
        _close_quietly(fd)
    with contextlib.suppress(Exception):
        log.close()
    if os.getpid() != owner:
        return
    with contextlib.suppress(OSError):
        proc.kill()
    with contextlib.suppress(Exception):
        proc.wait(timeout=5)


@functools.cache
def library_paths() -> tuple[str, ...]:
    """The worker's module path: this interpreter's own entries of ``sys.path`` (stdlib,
    site-packages) and the directories holding the allowlisted third-party packages — not the
    script's directory or anything else, since the audit hook lets harness code read these."""
    prefixes = tuple(os.path.join(os.path.realpath(p), "") for p in {
        sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix})
    paths = [p for p in sys.path if p and os.path.isabs(p) and os.path.exists(p)
             and os.path.join(os.path.realpath(p), "").startswith(prefixes)]
    for package in sorted(ALLOWED_IMPORTS):
        with contextlib.suppress(ImportError, ValueError):
            spec = importlib.util.find_spec(package)
            if spec is not None and spec.origin and os.path.isabs(spec.origin):
                top = Path(spec.origin).parent
                paths.append(str(top.parent if spec.submodule_search_locations else top))
    return tuple(dict.fromkeys(paths))


def _worker_env(tmpdir: str, seed: int | None) -> dict[str, str]:
    env = {
        "PYTHONPATH": os.pathsep.join(library_paths()),
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "PYTHONIOENCODING": "utf-8",
        "PYTHONHASHSEED": str(seed % 2**32) if seed is not None else "random",
        "HOME": tmpdir, "TMPDIR": tmpdir, "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin",
    }
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
        env[var] = "1"
    return env


def _describe_exit(code: int | None) -> tuple[str, str]:
    if code is None:
        return "crash", "the worker stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if -code == signal.SIGXCPU:
            return "timeout", f"the worker hit its CPU limit ({name})"
        if -code == signal.SIGSYS:
            return "blocked", f"the worker was killed by seccomp ({name})"
        if -code == signal.SIGKILL:
            return "crash", ("the worker was killed (SIGKILL: its CPU limit, memory exhaustion or "
                             "an outside kill)")
        return "crash", f"the worker died ({name})"
    return "crash", f"the worker exited with status {code}"


class _Worker:
    """One worker process and our ends of its two pipes."""

    def __init__(self, init: bytes, seed: int | None) -> None:
        """Start the worker and send it ``init``; does not wait for its answer. Its cwd is a
        fresh temporary directory, removed as soon as the worker has started: nothing can be
        created in a deleted directory, and nothing is left behind, however the worker ends."""
        self.workdir = tempfile.mkdtemp(prefix="autoharness-")
        self.owner = os.getpid()
        self.buffer = bytearray()
        self.last_obs: str | None = None
        self.rid = 0
        self.busy = 0.0
        self.started = time.monotonic()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's stderr, kept open
        request_r, self.request_w = os.pipe()
        self.reply_r, reply_w = os.pipe()
        for fd in (self.request_w, self.reply_r):
            with contextlib.suppress(OSError):
                fcntl.fcntl(fd, _F_SETPIPE_SZ, _PIPE_SIZE)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-S", "-B", str(WORKER_PATH), str(request_r), str(reply_w),
                 str(self.owner), self.workdir],
                pass_fds=(request_r, reply_w), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=self.log, cwd=self.workdir,
                env=_worker_env(self.workdir, seed), start_new_session=True, close_fds=True)
        except BaseException:
            _close_quietly(self.request_w)
            _close_quietly(self.reply_r)
            self.log.close()
            raise
        finally:
            _close_quietly(request_r)
            _close_quietly(reply_w)
            with contextlib.suppress(OSError):
                os.rmdir(self.workdir)  # Popen returns after the exec: the worker is in it
        os.set_blocking(self.request_w, False)
        os.set_blocking(self.reply_r, False)
        self.pidfd: int | None = None
        if hasattr(os, "pidfd_open"):
            with contextlib.suppress(OSError):
                self.pidfd = os.pidfd_open(self.proc.pid)
        self.poller = select.poll()
        self.poller.register(self.reply_r, select.POLLIN)
        if self.pidfd is not None:
            self.poller.register(self.pidfd, select.POLLIN)
        self.finalizer = weakref.finalize(
            self, _reap, self.proc, [self.request_w, self.reply_r, self.pidfd], self.log,
            self.owner)
        with contextlib.suppress(_Died, _Timeout):  # a dead worker is reported by the handshake
            self.send([init], self.started + STARTUP_TIMEOUT)

    # -- io --

    def send(self, parts: list[bytes], deadline: float) -> None:
        """Write a frame given as parts (one writev when the pipe has room), or raise
        _Timeout / _Died."""
        if len(parts) > 64:  # writev takes at most IOV_MAX (1024) buffers
            parts = [b"".join(parts)]
        try:
            sent = os.writev(self.request_w, parts)
        except BlockingIOError:
            sent = 0
        except (BrokenPipeError, ConnectionResetError):
            raise _Died() from None
        total = sum(map(len, parts))
        if sent == total:
            return
        view = memoryview(b"".join(parts))
        writable = select.poll()
        writable.register(self.request_w, select.POLLOUT)
        while sent < total:
            try:
                sent += os.write(self.request_w, view[sent:])
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _Timeout() from None
                writable.poll(min(50, max(1, math.ceil(remaining * 1000))))
                if self.proc.poll() is not None:
                    raise _Died() from None
            except (BrokenPipeError, ConnectionResetError):
                raise _Died() from None

    def recv(self, deadline: float, max_len: int, _unpack=proto.LEN.unpack_from) -> bytes:
        """The next reply frame; raises _Timeout at ``deadline``, _Died when the worker exits
        (or closes its end) before completing one, _Violation for a frame over ``max_len``."""
        buffer = self.buffer
        while True:
            if len(buffer) >= 4:
                size = _unpack(buffer)[0]
                if size > max_len:
                    raise _Violation(f"a reply of {size} bytes (limit {max_len})")
                if len(buffer) >= 4 + size:
                    data = bytes(buffer[4:4 + size])
                    del buffer[:4 + size]
                    return data
            try:
                chunk: bytes | None = os.read(self.reply_r, _READ_SIZE)
            except BlockingIOError:
                chunk = None
            except OSError:
                chunk = b""
            if chunk:
                buffer += chunk
                continue
            if chunk == b"":  # EOF: every copy of the write end is closed
                raise _Died()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Timeout()
            if self.pidfd is not None:
                events = self.poller.poll(max(1, math.ceil(remaining * 1000)))
            else:
                events = self.poller.poll(min(50, max(1, math.ceil(remaining * 1000))))
            exited = any(fd == self.pidfd for fd, _ in events) if self.pidfd is not None else (
                not events and self.proc.poll() is not None)
            if exited:
                try:
                    chunk = os.read(self.reply_r, _READ_SIZE)
                except OSError:
                    chunk = None
                if not chunk:
                    raise _Died()
                buffer += chunk

    # -- lifecycle --

    @property
    def owned(self) -> bool:
        return os.getpid() == self.owner

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> int | None:
        """SIGKILL, reap, close; the exit status (negative: signal)."""
        self.finalizer()
        return self.proc.returncode

    def abandon(self) -> None:
        """In a forked child: forget the parent's worker without touching it."""
        self.finalizer.detach()
        for fd in (self.request_w, self.reply_r, self.pidfd):
            _close_quietly(fd)

    def startup_log(self) -> str:
        with contextlib.suppress(Exception):
            self.log.seek(0)
            text = self.log.read()[-4000:].decode("utf-8", "replace").strip()
            if text:
                return "\n" + "\n".join(text.splitlines()[-6:])
        return ""


def _encode_text(text: str, parts: list[bytes]) -> None:
    data = text.encode("utf-8", "surrogatepass")
    parts.append(proto.LEN.pack(len(data)))
    parts.append(data)


def _parse_items(data: bytes, pos: int, count: int, want_str: bool, max_len: int) -> list:
    items: list = []
    size = len(data)
    for _ in range(count):
        if pos >= size:
            raise _Violation("a truncated reply")
        tag = data[pos]
        pos += 1
        if tag <= proto.TAG_TRUE:
            if want_str:
                raise _Violation("a bool where a str was due")
            items.append(tag == proto.TAG_TRUE)
        elif tag == proto.TAG_STR:
            if pos + 4 > size:
                raise _Violation("a truncated reply")
            n = proto.LEN.unpack_from(data, pos)[0]
            pos += 4
            if not want_str or n > 4 * max_len or pos + n > size:
                raise _Violation("a malformed string item")
            try:
                text = data[pos:pos + n].decode("utf-8", "surrogatepass")
            except UnicodeDecodeError:
                raise _Violation("a string that is not UTF-8") from None
            if len(text) > max_len:
                raise _Violation("an oversized string")
            items.append(text)
            pos += n
        elif tag == proto.TAG_FAIL:
            if pos + 5 > size:
                raise _Violation("a truncated reply")
            code = data[pos]
            n = proto.LEN.unpack_from(data, pos + 1)[0]
            pos += 5
            if not 1 <= code <= len(proto.KINDS) or n > 4 * proto.MAX_MESSAGE_CHARS or (
                    pos + n > size):
                raise _Violation("a malformed failure item")
            message = data[pos:pos + n].decode("utf-8", "replace")[:proto.MAX_MESSAGE_CHARS]
            items.append(CallFailure(proto.KINDS[code - 1], message))
            pos += n
        else:
            raise _Violation(f"an unknown item tag {tag}")
    if pos != size:
        raise _Violation("trailing bytes in a reply")
    return items


_instances: weakref.WeakSet = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for harness in list(_instances):
        harness._lock = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class SandboxedHarness:
    """A harness running in its own confined worker process (see the module doc).

    ``timeout`` is per call (per item of a batch); ``memory_mb`` the worker's address-space
    limit (None: unlimited); ``seed`` seeds ``random`` and numpy at every (re)spawn;
    ``max_action_len`` caps proposals (longer ones fail as ``too_large`` and are not shipped).
    ``check=False`` skips the static checks (tests of the runtime itself). ``disable`` turns
    sandbox layers off, for tests of the others: any of ``netns``, ``rlimits``, ``seccomp``,
    ``audit_hook``, ``import_guard``. The worker starts at construction, without waiting; a
    harness that fails to load (exception, timeout, refused import at module level) makes every
    call return that failure.

    In a batch, every item has its own ``timeout``; a timed-out item fails, and so do the items
    after it (not run). When the worker has to be killed from outside (signals blocked, a long C
    call) results it finished in the last few milliseconds before the hang are lost with it and
    also reported as timeouts. Instances are thread-safe (calls are serialized) and fork-safe
    (a forked child starts its own worker on first use).
    """

    def __init__(self, source: str, *, name: str = "<harness>", timeout: float = 1.0,
                 memory_mb: int | None = 1024, seed: int | None = None,
                 max_action_len: int = 10_000, check: bool = True, load_timeout: float = 10.0,
                 cpu_seconds: int = 3600, disable: Iterable[str] = ()) -> None:
        if not isinstance(source, str):
            raise TypeError(f"source must be str, not {type(source).__name__}")
        if check:
            validate_source(source)
        disabled = frozenset(disable)
        if disabled - LAYERS:
            raise ValueError(f"unknown sandbox layers {sorted(disabled - LAYERS)}; "
                             f"known: {sorted(LAYERS)}")
        if timeout <= 0 or max_action_len <= 0:
            raise ValueError("timeout and max_action_len must be positive")
        self.name = name
        self.timeout = float(timeout)
        self.grace = 0.2 + 0.1 * self.timeout
        self.max_action_len = int(max_action_len)
        self.cpu_seconds = int(cpu_seconds)
        self.load_timeout = float(load_timeout)
        self.seed = seed
        self.stats = HarnessStats()
        self._init = marshal.dumps({
            "source": source, "filename": name, "timeout": self.timeout,
            "load_timeout": self.load_timeout, "memory_mb": memory_mb,
            "cpu_seconds": self.cpu_seconds + 5, "seed": seed,
            "max_action_len": self.max_action_len,
            "allowed": sorted(ALLOWED_IMPORTS), "denied": sorted(DENIED_MODULES),
            "preimport": [m for m in imported_modules(source) if module_allowed(m)],
            "disable": sorted(disabled),
        })
        self._init = proto.LEN.pack(len(self._init)) + self._init
        self._lock = threading.RLock()
        self._worker: _Worker | None = None
        self._ready = False
        self._broken: CallFailure | None = None
        self._closed = False
        self._protections: dict[str, bool] | None = None
        _instances.add(self)
        with contextlib.suppress(OSError):
            self._spawn()

    # -- public API --

    def propose(self, obs: str) -> str | CallFailure:
        return self._call(proto.OP_PROPOSE, _text(obs), [], 1, True)[0]

    def evaluate(self, obs: str, action: str) -> bool | CallFailure:
        return self._call(proto.OP_EVAL, _text(obs), [_text(action)], 1, False)[0]

    def evaluate_many(self, obs: str, actions: list[str]) -> list[bool | CallFailure]:
        actions = [_text(a) for a in actions]
        if not actions:
            return []
        return self._call(proto.OP_EVAL_MANY, _text(obs), actions, len(actions), False)

    def propose_many(self, observations: list[str]) -> list[str | CallFailure]:
        observations = [_text(o) for o in observations]
        if not observations:
            return []
        return self._call(proto.OP_PROPOSE_MANY, None, observations, len(observations), True)

    @property
    def protections(self) -> dict[str, bool]:
        """Which sandbox layers are active (starts the worker if needed)."""
        with self._lock:
            if self._protections is None and not self._closed:
                self._ready_worker()
            found = dict(self._protections or {})
        return {"process": True, "kill_on_timeout": True, "scrubbed_env": True, "tmp_cwd": True,
                **found}

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._discard()

    def __enter__(self) -> SandboxedHarness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        pid = self._worker.proc.pid if self._worker else None
        return f"<SandboxedHarness {self.name} worker={pid} calls={self.stats.calls}>"

    # -- internals --

    def _spawn(self) -> _Worker:
        if self.stats.spawns:
            self.stats.respawns += 1
        self.stats.spawns += 1
        self._ready = False
        self._worker = _Worker(self._init, self.seed)
        return self._worker

    def _discard(self) -> int | None:
        worker, self._worker, self._ready = self._worker, None, False
        if worker is None:
            return None
        if not worker.owned:
            worker.abandon()
            return None
        return worker.kill()

    def _fail_startup(self, kind: str, message: str) -> CallFailure:
        failure = CallFailure(kind, message)
        self._broken = failure
        return failure

    def _ready_worker(self) -> _Worker | CallFailure:
        if self._broken is not None:
            return self._broken
        worker = self._worker
        if worker is not None and not worker.owned:
            self._discard()
            worker = None
        if worker is not None and self._ready:
            if worker.busy > 0.9 * self.cpu_seconds:
                self.stats.recycles += 1
                self._discard()
                worker = None
            elif worker.poller.poll(0) or (worker.pidfd is None and not worker.alive()):
                self.stats.idle_replacements += 1  # exited, or wrote while nobody asked
                self._discard()
                worker = None
        if worker is None:
            try:
                worker = self._spawn()
            except (OSError, _Died, _Timeout) as error:
                self._discard()
                return CallFailure("crash", f"cannot start the worker: {error}")
        if self._ready:
            return worker
        try:
            setup = worker.recv(worker.started + STARTUP_TIMEOUT, 1 << 16)
            protections = _parse_setup(setup)
            self._protections = protections
            loaded = worker.recv(time.monotonic() + self.load_timeout + self.grace + 1.0,
                                 1 << 16)
            result = _parse_single(loaded, proto.FRAME_LOADED)
        except _Timeout:
            self._discard()
            return self._fail_startup("timeout", "harness failed to load: no answer within "
                                                 f"{self.load_timeout:g} s")
        except _Died:
            log = worker.startup_log()
            kind, message = _describe_exit(self._discard())
            return self._fail_startup(kind, f"harness failed to load: {message}{log}")
        except _Violation as error:
            self._discard()
            return self._fail_startup("crash", f"harness failed to load: protocol violation: "
                                               f"{error}")
        if isinstance(result, CallFailure):
            self._discard()
            return self._fail_startup(result.kind, result.message)
        self.stats.startup_seconds += time.monotonic() - worker.started
        self._ready = True
        return worker

    def _call(self, op: int, obs: str | None, texts: list[str], count: int,
              want_str: bool) -> list:
        with self._lock:
            if self._closed:
                raise ValueError("this harness is closed")
            for attempt in range(2):
                worker = self._ready_worker()
                if isinstance(worker, CallFailure):
                    return _count(self.stats, [worker] * count)
                try:
                    results = self._exchange(worker, op, obs, texts, count, want_str)
                except _Stale:
                    # A frame left over from an earlier request (forged by harness code): the
                    # worker cannot be trusted to stay in step; this request goes to a new one.
                    self.stats.idle_replacements += 1
                    self._discard()
                    if attempt:
                        results = _fill(count, "crash", "the worker broke the protocol (a "
                                        "stale reply); it was killed", "the worker broke the "
                                        "protocol")
                    continue
                break
            return _count(self.stats, results)

    def _exchange(self, worker: _Worker, op: int, obs: str | None, texts: list[str],
                  count: int, want_str: bool) -> list:
        """One request and its replies; failures of the worker become CallFailures."""
        worker.rid = rid = (worker.rid + 1) & 0xFFFFFFFF
        same = obs is not None and worker.last_obs is not None and (
            obs is worker.last_obs or obs == worker.last_obs)
        parts = [b"", proto.REQUEST_HEAD.pack(op, rid, proto.FLAG_SAME_OBS if same else 0)]
        if obs is not None and not same:
            _encode_text(obs, parts)
        if op in (proto.OP_EVAL_MANY, proto.OP_PROPOSE_MANY):
            parts.append(proto.LEN.pack(len(texts)))
        for text in texts:
            _encode_text(text, parts)
        size = sum(map(len, parts))
        parts[0] = proto.LEN.pack(size)
        max_reply = proto.REPLY_HEAD.size + count * (
            9 + 4 * max(self.max_action_len if want_str else 0, proto.MAX_MESSAGE_CHARS))
        results: list = []
        began = time.monotonic()
        try:
            worker.last_obs = None
            worker.send(parts, began + self.timeout + self.grace + size / 1e7)
            if obs is not None:
                worker.last_obs = obs
            deadline = time.monotonic() + self.timeout + self.grace
            while True:
                data = worker.recv(deadline, max_reply)
                if len(data) < proto.REPLY_HEAD.size:
                    raise _Violation("a short reply")
                kind, reply_rid, start, n, flags = proto.REPLY_HEAD.unpack_from(data)
                if not results and kind == proto.FRAME_RESULTS and reply_rid != rid and (
                        (rid - reply_rid) & 0xFFFFFFFF) < 1 << 16:
                    raise _Stale()
                if kind != proto.FRAME_RESULTS or reply_rid != rid or start != len(results) \
                        or n > count - len(results):
                    raise _Violation("a reply out of sequence")
                results += _parse_items(data, proto.REPLY_HEAD.size, n, want_str,
                                        self.max_action_len)
                if flags & proto.REPLY_FINAL:
                    if len(results) != count:
                        raise _Violation("a short batch")
                    if flags & proto.REPLY_RESPAWN:
                        self._discard()
                    elif worker.buffer:  # more than it was asked for: a forged frame
                        self.stats.idle_replacements += 1
                        self._discard()
                    break
                deadline = time.monotonic() + self.timeout + self.grace
        except _Timeout:
            self._discard()
            results += _fill(count - len(results), "timeout",
                             f"no answer within {self.timeout:g} s; the worker was killed",
                             "an earlier call of the batch timed out")
        except _Died:
            kind, message = _describe_exit(self._discard())
            results += _fill(count - len(results), kind, message,
                             "the worker died during an earlier call of the batch")
        except _Violation as error:
            self._discard()
            results += _fill(count - len(results), "crash",
                             f"the worker broke the protocol ({error}); it was killed",
                             "the worker broke the protocol")
        finally:
            if self._worker is worker:
                worker.busy += time.monotonic() - began
        return results


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"observations and actions must be str, not {type(value).__name__}")
    return value


def _fill(n: int, kind: str, first: str, rest: str) -> list[CallFailure]:
    if n <= 0:
        return []
    return [CallFailure(kind, first)] + [CallFailure(kind, f"not run: {rest}")] * (n - 1)


def _parse_single(data: bytes, frame_kind: int) -> object:
    """The one item of a SETUP (a str) or LOADED (True or a failure) frame."""
    if len(data) < proto.REPLY_HEAD.size:
        raise _Violation("a short reply")
    kind, _rid, _start, n, _flags = proto.REPLY_HEAD.unpack_from(data)
    if kind != frame_kind or n != 1:
        raise _Violation("an unexpected frame")
    return _parse_items(data, proto.REPLY_HEAD.size, 1, frame_kind == proto.FRAME_SETUP, 4000)[0]


def _parse_setup(data: bytes) -> dict[str, bool]:
    report = _parse_single(data, proto.FRAME_SETUP)
    if not isinstance(report, str):
        raise _Violation("a malformed setup report")
    protections: dict[str, bool] = {}
    for pair in filter(None, report.split(",")):
        key, _, value = pair.partition("=")
        if not key.isidentifier() or value not in ("0", "1"):
            raise _Violation("a malformed setup report")
        protections[key] = value == "1"
    return protections


# ---- in-process ------------------------------------------------------------------------------


class InProcessHarness:
    """The same interface, executing the harness in this process: for trusted code and for
    measuring the sandbox's overhead. No timeout, no limits, no isolation; result checks and
    exception reports are the sandbox's. ``seed`` seeds the *global* ``random`` (and numpy)
    once, at load. Sandbox-only keyword arguments are accepted and ignored."""

    _SANDBOX_ONLY = frozenset({"timeout", "memory_mb", "load_timeout", "cpu_seconds", "disable"})

    def __init__(self, source: str, *, name: str = "<harness>", seed: int | None = None,
                 max_action_len: int = 10_000, check: bool = True, **sandbox_only: object) -> None:
        unknown = set(sandbox_only) - self._SANDBOX_ONLY
        if unknown:
            raise TypeError(f"unexpected keyword arguments {sorted(unknown)}")
        if check:
            validate_source(source)
        import linecache

        self.name = name
        self.max_action_len = max_action_len
        self.stats = HarnessStats()
        self._broken: CallFailure | None = None
        self._numpy_bool = None
        linecache.cache[name] = (len(source), None, source.splitlines(keepends=True), name)
        if seed is not None:
            random.seed(seed)
        self._globals: dict = {"__name__": "harness", "__builtins__": builtins, "__file__": name}
        started = time.monotonic()
        try:
            exec(compile(source, name, "exec"), self._globals)
        except BaseException as error:  # noqa: BLE001 - harness code may raise anything
            if isinstance(error, KeyboardInterrupt):
                raise
            failure = proto.exception_failure(error, name)
            self._broken = CallFailure(failure.kind, "harness failed to load: " + failure.message)
        self.stats.spawns = 1
        self.stats.startup_seconds = time.monotonic() - started
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            self._numpy_bool = numpy.bool_
            if seed is not None:
                with contextlib.suppress(Exception):
                    numpy.random.seed(seed % 2**32)
        if self._broken is None:
            for fn in ("propose_action", "eval_action"):
                if not callable(self._globals.get(fn)):
                    self._broken = CallFailure("exception", f"harness failed to load: the "
                                                            f"harness defines no callable {fn}")
                    break
        self._propose = self._globals.get("propose_action")
        self._evaluate = self._globals.get("eval_action")

    def _run(self, fn, args: tuple, check) -> object:
        try:
            result = check(fn(*args))
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001
            result = proto.exception_failure(error, self.name)
        if isinstance(result, proto.Fail):
            return CallFailure(result.kind, result.message)
        return result

    def _check_action(self, value: object) -> object:
        return proto.check_propose(value, self.max_action_len)

    def _check_verdict(self, value: object) -> object:
        return proto.check_eval(value, self._numpy_bool)

    def propose(self, obs: str) -> str | CallFailure:
        return self.propose_many([obs])[0]

    def evaluate(self, obs: str, action: str) -> bool | CallFailure:
        return self.evaluate_many(obs, [action])[0]

    def propose_many(self, observations: list[str]) -> list[str | CallFailure]:
        observations = [_text(o) for o in observations]
        if self._broken is not None:
            return _count(self.stats, [self._broken] * len(observations))
        return _count(self.stats, [self._run(self._propose, (o,), self._check_action)
                                   for o in observations])

    def evaluate_many(self, obs: str, actions: list[str]) -> list[bool | CallFailure]:
        obs, actions = _text(obs), [_text(a) for a in actions]
        if self._broken is not None:
            return _count(self.stats, [self._broken] * len(actions))
        return _count(self.stats, [self._run(self._evaluate, (obs, a), self._check_verdict)
                                   for a in actions])

    @property
    def protections(self) -> dict[str, bool]:
        return {"process": False}

    def close(self) -> None:
        pass

    def __enter__(self) -> InProcessHarness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_harness(path_or_source: str | os.PathLike[str], sandbox: bool = True,
                 **kwargs: object) -> SandboxedHarness | InProcessHarness:
    """A harness from a file path or from source text (a str with a newline, or not naming an
    existing ``.py`` file, is source). A file's name becomes the traceback name unless ``name``
    is given. ``sandbox=False`` runs it in this process."""
    source: str
    if isinstance(path_or_source, os.PathLike) or (
            "\n" not in path_or_source and (path_or_source.endswith(".py")
                                            or os.path.isfile(path_or_source))):
        path = Path(path_or_source)
        source = path.read_text(encoding="utf-8")
        kwargs.setdefault("name", path.name)
    else:
        source = path_or_source
    cls = SandboxedHarness if sandbox else InProcessHarness
    return cls(source, **kwargs)  # type: ignore[arg-type]
