"""A worker process seen from the host: starting it, talking to it, killing it.

The host treats every byte from a worker as hostile: replies are length-prefixed frames parsed
with bounds checks (``replies.py``), any violation kills the worker. The worker starts with a
scrubbed environment (no API keys), a fresh temporary directory as cwd (deleted as soon as the
worker has started), stdin/stdout on /dev/null, stderr into a private log (until set-up ends), in
its own session; the host makes itself non-dumpable first (``host.py``) and, where a delegated
cgroup exists, puts the worker in its own (``cgroup.py``).
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path

from autoharness.harness.sandbox import cgroup, host
from autoharness.harness.sandbox import protocol as proto
from autoharness.harness.sandbox.paths import library_paths

WORKER_PATH = Path(__file__).resolve().with_name("worker.py")
STARTUP_TIMEOUT = 60.0  # seconds for the interpreter to start and import the harness's modules
_PIPE_SIZE = 1 << 20
_READ_SIZE = 1 << 16  # below malloc's mmap threshold: no mmap/munmap per read
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


class Timeout(Exception):
    pass


class Died(Exception):
    pass


class Violation(Exception):
    pass


class Stale(Exception):
    """The first frame read for a request answers an earlier one."""


def close_quietly(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def _reap(proc: subprocess.Popen, fds: list[int | None], log, owner: int,
          group: Path | None, worker_pidfd: int | None = None) -> None:
    """Finalizer: close our ends and, in the process that started it, SIGKILL and reap (the
    worker itself first when it is known: it may be stopped, or have reset its parent-death
    signal with a kernel layer disabled)."""
    if worker_pidfd is not None and os.getpid() == owner:
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(worker_pidfd, signal.SIGKILL)
    for fd in [*fds, worker_pidfd]:
        close_quietly(fd)
    with contextlib.suppress(Exception):
        log.close()
    if os.getpid() != owner:
        return
    with contextlib.suppress(OSError):
        proc.kill()
    with contextlib.suppress(Exception):
        proc.wait(timeout=5)
    cgroup.release(group)


def worker_env(tmpdir: str, seed: int | None) -> dict[str, str]:
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


def describe_exit(code: int | None) -> tuple[str, str]:
    """The failure kind and message of a worker that exited with ``code`` (Popen's: negative
    for a signal; the launcher reports the worker's signal ``n`` as ``128 + n``)."""
    if code is None:
        return "crash", "the worker stopped answering"
    if 128 < code < 128 + 65:
        code = 128 - code
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


class WorkerProcess:
    """One worker (its launcher process) and our ends of its two pipes."""

    def __init__(self, init: bytes, seed: int | None, memory_mb: int | None = None,
                 use_cgroup: bool = True) -> None:
        """Start the worker and send it ``init``; does not wait for its answer. Its cwd is a
        fresh temporary directory, removed as soon as the worker has started: nothing can be
        created in a deleted directory, and nothing is left behind, however the worker ends."""
        host.harden()
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
                env=worker_env(self.workdir, seed), start_new_session=True, close_fds=True)
        except BaseException:
            close_quietly(self.request_w)
            close_quietly(self.reply_r)
            self.log.close()
            raise
        finally:
            close_quietly(request_r)
            close_quietly(reply_w)
            with contextlib.suppress(OSError):
                os.rmdir(self.workdir)  # Popen returns after the exec: the worker is in it
        self.group = cgroup.attach(self.proc.pid, memory_mb) if use_cgroup else None
        os.set_blocking(self.request_w, False)
        os.set_blocking(self.reply_r, False)
        self.pidfd: int | None = None
        self.worker_pidfd: int | None = None  # the process running harness code (find_worker)
        self.frozen = False
        if hasattr(os, "pidfd_open"):
            with contextlib.suppress(OSError):
                self.pidfd = os.pidfd_open(self.proc.pid)
        self.poller = select.poll()
        self.poller.register(self.reply_r, select.POLLIN)
        if self.pidfd is not None:
            self.poller.register(self.pidfd, select.POLLIN)
        self.finalizer = weakref.finalize(
            self, _reap, self.proc, [self.request_w, self.reply_r, self.pidfd], self.log,
            self.owner, self.group)
        with contextlib.suppress(Died, Timeout):  # a dead worker is reported by the handshake
            self.send([init], self.started + STARTUP_TIMEOUT)

    # -- io --

    def send(self, parts: list[bytes], deadline: float) -> None:
        """Write a frame given as parts (one writev when the pipe has room), or raise
        Timeout / Died."""
        if len(parts) > 64:  # writev takes at most IOV_MAX (1024) buffers
            parts = [b"".join(parts)]
        try:
            sent = os.writev(self.request_w, parts)
        except BlockingIOError:
            sent = 0
        except (BrokenPipeError, ConnectionResetError):
            raise Died() from None
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
                    raise Timeout() from None
                writable.poll(min(50, max(1, math.ceil(remaining * 1000))))
                if self.proc.poll() is not None:
                    raise Died() from None
            except (BrokenPipeError, ConnectionResetError):
                raise Died() from None

    def recv(self, deadline: float, max_len: int, _unpack=proto.LEN.unpack_from) -> bytes:
        """The next reply frame; raises Timeout at ``deadline``, Died when the worker exits
        (or closes its end) before completing one, Violation for a frame over ``max_len``."""
        buffer = self.buffer
        while True:
            if len(buffer) >= 4:
                size = _unpack(buffer)[0]
                if size > max_len:
                    raise Violation(f"a reply of {size} bytes (limit {max_len})")
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
                raise Died()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout()
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
                    raise Died()
                buffer += chunk

    # -- freezing between requests --

    def find_worker(self) -> None:
        """Find the process that runs harness code (the last of the launcher's line of single
        children: launcher, the namespace's init, the worker) and open a pidfd on it, so it can
        be stopped between requests. Called once it has loaded; on failure nothing is frozen
        (``frozen_between_calls`` is then reported off)."""
        pid = self.proc.pid
        for _ in range(4):
            try:
                with open(f"/proc/{pid}/task/{pid}/children") as handle:
                    children = handle.read().split()
            except OSError:
                return
            if not children:
                break
            if len(children) != 1:
                return
            pid = int(children[0])
        if pid == self.proc.pid or not hasattr(os, "pidfd_open"):
            return
        with contextlib.suppress(OSError):
            self.worker_pidfd = os.pidfd_open(pid)
            self.finalizer.detach()
            self.finalizer = weakref.finalize(
                self, _reap, self.proc, [self.request_w, self.reply_r, self.pidfd], self.log,
                self.owner, self.group, self.worker_pidfd)

    def freeze(self) -> None:
        """SIGSTOP the worker: between requests it runs nothing (no trace function, finalizer
        or signal handler of harness code can compute while the host is not waiting)."""
        if self.worker_pidfd is not None and not self.frozen:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.worker_pidfd, signal.SIGSTOP)
                self.frozen = True

    def thaw(self) -> None:
        if self.frozen:
            self.frozen = False
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.worker_pidfd, signal.SIGCONT)

    # -- lifecycle --

    @property
    def owned(self) -> bool:
        return os.getpid() == self.owner

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self, settle: float = 0.0) -> int | None:
        """SIGKILL, reap, close; the exit status (negative: signal). ``settle``: first wait
        that long for it to exit by itself (it is dying: keep its own exit status)."""
        if settle and self.owned:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=settle)
        self.finalizer()
        return self.proc.returncode

    def abandon(self) -> None:
        """In a forked child: forget the parent's worker without touching it."""
        self.finalizer.detach()
        for fd in (self.request_w, self.reply_r, self.pidfd, self.worker_pidfd):
            close_quietly(fd)

    def startup_log(self) -> str:
        with contextlib.suppress(Exception):
            self.log.seek(0)
            text = self.log.read()[-4000:].decode("utf-8", "replace").strip()
            if text:
                return "\n" + "\n".join(text.splitlines()[-6:])
        return ""
