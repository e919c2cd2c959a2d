"""What the host does for its own safety before it starts any worker.

* **non-dumpable** (``PR_SET_DUMPABLE 0``): ``/proc/<host>/{environ,mem,fd,maps}`` become
  owned by root and closed to ptrace-access checks, even for a process of the same uid — a
  worker that could somehow name the host still could not read its memory, environment or
  descriptors. (A side effect: debuggers and profilers of the same user cannot attach.)
* a **dedicated uid** per worker when running as root, from a range no account uses
  (``AUTOHARNESS_SANDBOX_UID`` pins one uid instead).
"""

from __future__ import annotations

import itertools
import os
import threading

UID_BASE = 0x70000000  # 1879048192; workers use UID_BASE .. UID_BASE + UID_SPAN - 1
UID_SPAN = 1 << 20
_PR_SET_DUMPABLE, _PR_GET_DUMPABLE = 4, 3
_lock = threading.Lock()
_state: dict[str, str | None] = {}
_serial = itertools.count()


def harden() -> str | None:
    """Make this process non-dumpable (once); None on success, else the reason. Called before
    the first worker starts."""
    with _lock:
        if "dumpable" not in _state:
            _state["dumpable"] = _set_non_dumpable()
        return _state["dumpable"]


def _set_non_dumpable() -> str | None:
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return "PR_SET_DUMPABLE is Linux-only"
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
        if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            return f"prctl(PR_SET_DUMPABLE) failed: {os.strerror(ctypes.get_errno())}"
        if libc.prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0) != 0:
            return "the host is still dumpable"
    except (OSError, AttributeError, ImportError) as error:
        return f"cannot call prctl: {error}"
    return None


def worker_uid() -> int:
    """The uid the next worker drops to (as root)."""
    pinned = os.environ.get("AUTOHARNESS_SANDBOX_UID")
    if pinned and pinned.isdigit() and 0 < int(pinned) < 2**32 - 1:
        return int(pinned)
    return UID_BASE + ((os.getpid() << 12) + next(_serial)) % UID_SPAN
