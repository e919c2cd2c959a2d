"""Kernel confinement the worker applies to itself before any harness code runs.

Standard library only (``ctypes`` for ``prctl``/``mount``/``pivot_root``/``capset``); the worker
loads this file by path. Each step returns ``None`` when its layer is active, else the reason it
is not (a sentence for the layer report); none raises.

* ``enter_namespaces`` (in the launcher, single-threaded): new PID, network, IPC and UTS
  namespaces; as a normal user inside a new user namespace that maps only the user's own uid/gid.
  The launcher then forks: the worker is PID 1 of its PID namespace (no host pid can be named;
  when it dies, the namespace dies with it).
* ``private_root``: a fresh tmpfs root holding read-only bind mounts of the allowed directories
  (the Python installation, the allowlisted packages, the shared libraries) and nothing else: no
  /proc, /etc, /dev, home or project files; the old root is detached.
* ``drop_privileges``: as root, a dedicated unprivileged uid/gid with no supplementary groups
  (which drops every capability); in a user namespace, all capabilities dropped.
* ``set_rlimits``: address space, CPU seconds, file size 0, no core files, no new processes or
  threads (``RLIMIT_NPROC`` 0; root is exempt, hence the uid), few file descriptors, no locked
  memory or message queues.
"""

from __future__ import annotations

import os
import resource

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
_LOCKED_FLAGS = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | 1024 | 2048 | 4096  # + atime
MNT_DETACH = 2
_PIVOT_ROOT_NR = {"x86_64": 155, "aarch64": 41}
_CAPGET_CAPSET_NR = {"x86_64": (125, 126), "aarch64": (90, 91)}
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 1, 4, 38
PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 47, 4
_NAMESPACES = {"pidns": "CLONE_NEWPID", "mountns": "CLONE_NEWNS", "netns": "CLONE_NEWNET",
               "ipcns": "CLONE_NEWIPC", "utsns": "CLONE_NEWUTS"}
SYMLINKED_TOPS = ("/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin")
ROOT_CANDIDATES = ("/mnt", "/media", "/srv", "/opt", "/boot", "/tmp", "/var/tmp", "/run")


class Libc:
    """The libc functions set-up needs, with argument types."""

    def __init__(self) -> None:
        import ctypes

        self.ctypes = ctypes
        self.lib = lib = ctypes.CDLL(None, use_errno=True)
        ulong, char_p = ctypes.c_ulong, ctypes.c_char_p
        lib.prctl.argtypes = [ctypes.c_int, ulong, ulong, ulong, ulong]
        lib.prctl.restype = ctypes.c_int
        lib.mount.argtypes = [char_p, char_p, char_p, ulong, char_p]
        lib.mount.restype = ctypes.c_int
        lib.umount2.argtypes = [char_p, ctypes.c_int]
        lib.umount2.restype = ctypes.c_int
        lib.syscall.restype = ctypes.c_long

    def error(self) -> str:
        return os.strerror(self.ctypes.get_errno())

    def prctl(self, option: int, arg: int = 0, arg3: int = 0) -> bool:
        return self.lib.prctl(option, arg, arg3, 0, 0) == 0

    def mount(self, source: str | None, target: str, fstype: str | None, flags: int,
              data: str | None = None) -> bool:
        def enc(text: str | None) -> bytes | None:
            return None if text is None else os.fsencode(text)

        return self.lib.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) == 0


# ---- namespaces (the launcher) --------------------------------------------------------------


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def enter_namespaces(wanted: list[str]) -> dict[str, str | None]:
    """Unshare the ``wanted`` namespaces (of ``pidns``, ``mountns``, ``netns``, ``ipcns``,
    ``utsns``),
    and ``userns`` first when not root. Returns ``{layer: None or the reason it is off}``."""
    result: dict[str, str | None] = {}
    if not hasattr(os, "unshare"):
        return dict.fromkeys([*wanted, "userns"], "os.unshare is unavailable on this platform")
    if os.geteuid() != 0:
        uid, gid = os.geteuid(), os.getegid()
        try:
            os.unshare(os.CLONE_NEWUSER)
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
            result["userns"] = None
        except OSError as error:
            reason = (f"unprivileged user namespaces are not allowed here ({error.strerror}; "
                      "see sysctl user.max_user_namespaces / kernel.unprivileged_userns_clone "
                      "/ AppArmor's restrict_unprivileged_userns)")
            result["userns"] = reason
            return {**result, **{name: "needs a user namespace as a normal user: " + reason
                                 for name in wanted}}
    flags = 0
    for name in wanted:
        flags |= getattr(os, _NAMESPACES[name])
    try:
        os.unshare(flags)
        result.update(dict.fromkeys(wanted))
    except OSError:
        for name in wanted:  # find out which ones fail, and why
            try:
                os.unshare(getattr(os, _NAMESPACES[name]))
                result[name] = None
            except OSError as error:
                result[name] = f"unshare({_NAMESPACES[name]}) failed: {error.strerror}"
    return result


# ---- the private root -----------------------------------------------------------------------


def _covered(path: str, parents: list[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in parents)


def _bind(libc: Libc, source: str, target: str) -> str | None:
    if not libc.mount(source, target, None, MS_BIND | MS_REC):
        return f"bind mount of {source} failed: {libc.error()}"
    try:
        kept = os.statvfs(source).f_flag & _LOCKED_FLAGS
    except OSError:
        kept = 0
    # read-only; in a user namespace the source's nosuid/nodev/noexec/atime flags are locked
    libc.mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | kept)
    return None


def private_root(libc: Libc, directories: list[str], files: list[str],
                 empty: list[str] = ()) -> str | None:
    """Replace the root of this mount namespace by a tmpfs holding read-only bind mounts of
    ``directories`` and ``files`` at their own (real) paths, and the directories ``empty``
    (created, nothing mounted). None on success."""
    arch = os.uname().machine
    if arch not in _PIVOT_ROOT_NR:
        return f"pivot_root is not wired for {arch}"
    wanted = sorted({os.path.realpath(d) for d in directories if os.path.isdir(d)})
    dirs: list[str] = []
    for path in wanted:
        if not _covered(path, dirs):
            dirs.append(path)
    empty = [os.path.realpath(d) for d in empty]
    base = next((c for c in ROOT_CANDIDATES if os.path.isdir(c) and not os.path.islink(c)
                 and not any(_covered(d, [c]) for d in dirs + list(files) + empty)), None)
    if base is None:
        return "no directory to build the private root on"
    if not libc.mount(None, "/", None, MS_REC | MS_PRIVATE):
        return f"making / private failed: {libc.error()}"  # never propagate to the host
    if not libc.mount("tmpfs", base, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755"):
        return f"mounting a tmpfs failed: {libc.error()}"
    old_umask = os.umask(0o022)
    try:
        for top in SYMLINKED_TOPS:
            if os.path.islink(top):
                os.symlink(os.readlink(top), base + top)
        for path in empty:
            os.makedirs(base + path, exist_ok=True)
        for path in dirs:
            os.makedirs(base + path, exist_ok=True)
            problem = _bind(libc, path, base + path)
            if problem:
                return problem
        for path in files:
            if os.path.isfile(path) and not _covered(path, dirs):
                os.makedirs(os.path.dirname(base + path), exist_ok=True)
                os.close(os.open(base + path, os.O_WRONLY | os.O_CREAT, 0o644))
                problem = _bind(libc, path, base + path)
                if problem:
                    return problem
    except OSError as error:
        return f"building the private root failed: {error}"
    finally:
        os.umask(old_umask)
    os.chdir(base)
    if libc.lib.syscall(_PIVOT_ROOT_NR[arch], b".", b".") != 0:
        return f"pivot_root failed: {libc.error()}"
    if libc.lib.umount2(b".", MNT_DETACH) != 0:  # the old root, stacked on top of the new one
        return f"detaching the old root failed: {libc.error()}"
    os.chdir("/")
    libc.mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    return None


# ---- privileges ------------------------------------------------------------------------------


def _capabilities_zero(libc: Libc) -> bool:
    ctypes = libc.ctypes
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()
    if libc.lib.syscall(_CAPGET_CAPSET_NR[os.uname().machine][0], header, data) != 0:
        return False
    return not any(data)


def drop_privileges(libc: Libc, uid: int, in_user_namespace: bool) -> str | None:
    """Give up privileges for good: the dedicated ``uid`` (as root) or every capability (in a
    user namespace). The bounding set is emptied first."""
    arch = os.uname().machine
    if arch not in _CAPGET_CAPSET_NR:
        return f"capget/capset are not wired for {arch}"
    cap = 0
    while libc.prctl(PR_CAPBSET_DROP, cap):
        cap += 1
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    try:
        if os.geteuid() == 0 and not in_user_namespace:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            if os.getresuid() != (uid, uid, uid):
                return "the uid did not change"
        else:
            ctypes = libc.ctypes
            header = (ctypes.c_uint32 * 2)(0x20080522, 0)
            data = (ctypes.c_uint32 * 6)()
            if libc.lib.syscall(_CAPGET_CAPSET_NR[arch][1], header, data) != 0:
                return f"capset failed: {libc.error()}"
    except OSError as error:
        return f"changing credentials failed: {error}"
    if not _capabilities_zero(libc):
        return "capabilities remain after the drop"
    return None


# ---- rlimits ---------------------------------------------------------------------------------


def _set(limit: int, value: int) -> bool:
    try:
        _soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY and value > hard:
            value = hard
        resource.setrlimit(limit, (value, value))
        return True
    except (ValueError, OSError):
        return False


def set_rlimits(memory_mb: int | None, cpu_seconds: int | None,
                max_fds: int) -> dict[str, bool]:
    """Apply the limits; the result says which took effect (``rlimit_nproc`` is False for
    root, whom the kernel exempts)."""
    active = {
        "rlimit_as": memory_mb is not None and _set(resource.RLIMIT_AS, memory_mb * 1024 * 1024),
        "rlimit_cpu": cpu_seconds is not None and _set(resource.RLIMIT_CPU, int(cpu_seconds)),
        "rlimit_fsize": _set(resource.RLIMIT_FSIZE, 0),
        "rlimit_core": _set(resource.RLIMIT_CORE, 0),
        "rlimit_nofile": _set(resource.RLIMIT_NOFILE, max_fds),
    }
    for name in ("RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_RTPRIO", "RLIMIT_NICE"):
        if hasattr(resource, name):
            _set(getattr(resource, name), 0)
    nproc = hasattr(resource, "RLIMIT_NPROC") and _set(resource.RLIMIT_NPROC, 0)
    active["rlimit_nproc"] = nproc and os.geteuid() != 0
    return active


def highest_fd() -> int:
    """The highest open file descriptor (before /proc is gone)."""
    try:
        return max(int(fd) for fd in os.listdir("/proc/self/fd"))
    except (OSError, ValueError):
        return 64
