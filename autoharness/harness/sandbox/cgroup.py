"""cgroup v2 limits for workers, where a delegated cgroup is available.

A worker's rlimits bound its address space, but not the kernel memory it makes the host pay for
(pipe buffers, page tables). A cgroup's ``memory.max`` counts both; ``pids.max`` and ``cpu.max``
bound processes and CPU. Delegation is explicit: ``AUTOHARNESS_CGROUP`` names a cgroup v2
directory this user may write, with the ``memory`` and ``pids`` controllers available and no
processes of its own (e.g. made by ``systemd-run --user -p Delegate=yes`` or an administrator).
Each worker gets a child cgroup there, removed when it is reaped. Without one, the layer is
reported missing with the reason, and the pipe and descriptor limits bound kernel memory
instead (no new pipes, no pipe resizing, few descriptors).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import time
from pathlib import Path

ENV = "AUTOHARNESS_CGROUP"
_serial = itertools.count()


def _mount_point() -> Path | None:
    with contextlib.suppress(OSError), open("/proc/self/mountinfo", encoding="utf-8") as info:
        for line in info:
            fields = line.split()
            if " - cgroup2 " in line and len(fields) > 4:
                return Path(fields[4])
    return None


def _controllers(path: Path) -> set[str]:
    try:
        return set((path / "cgroup.controllers").read_text().split())
    except OSError:
        return set()


@functools.cache
def delegated() -> tuple[Path | None, str]:
    """The delegated cgroup directory (or None) and a sentence saying which, or why none."""
    mount = _mount_point()
    configured = os.environ.get(ENV)
    if not configured:
        here = sorted(_controllers(mount)) if mount else []
        return None, ("no delegated cgroup v2 (set AUTOHARNESS_CGROUP to a writable cgroup v2 "
                      "directory with the memory and pids controllers); "
                      + (f"the cgroup v2 mount at {mount} offers {', '.join(here) or 'none'}"
                         if mount else "no cgroup v2 is mounted"))
    root = Path(configured)
    missing = {"memory", "pids"} - _controllers(root)
    if missing:
        return None, f"{ENV}={root} lacks the {', '.join(sorted(missing))} controller(s)"
    if not os.access(root, os.W_OK):
        return None, f"{ENV}={root} is not writable"
    try:
        (root / "cgroup.subtree_control").write_text("+memory +pids")
        with contextlib.suppress(OSError):
            (root / "cgroup.subtree_control").write_text("+cpu")
    except OSError as error:
        return None, f"cannot enable controllers in {root}: {error.strerror}"
    return root, f"{root} (memory.max, pids.max, cpu.max per worker)"


def attach(pid: int, memory_mb: int | None, root: Path | None = None) -> Path | None:
    """Put process ``pid`` (the launcher, before it forks the worker) into a fresh child
    cgroup with the worker's limits; None when there is no delegated cgroup or it fails."""
    if root is None:
        root = delegated()[0]
        if root is None:
            return None
    group = root / f"worker-{os.getpid()}-{next(_serial)}"
    try:
        group.mkdir()
        memory = ((memory_mb or 1024) + 64) * 1024 * 1024  # + the launcher, kernel memory
        (group / "memory.max").write_text(str(memory))
        with contextlib.suppress(OSError):
            (group / "memory.swap.max").write_text("0")
        (group / "pids.max").write_text("3")  # the launcher, the init and the worker
        with contextlib.suppress(OSError):
            (group / "cpu.max").write_text("100000 100000")  # at most one CPU
        (group / "cgroup.procs").write_text(str(pid))
    except OSError:
        release(group)
        return None
    return group


def release(group: Path | None) -> None:
    """Kill whatever is left in a worker's cgroup and remove it (retrying briefly while the
    killed processes are reaped)."""
    if group is None:
        return
    with contextlib.suppress(OSError):
        (group / "cgroup.kill").write_text("1")
    for _ in range(20):
        try:
            group.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.01)
