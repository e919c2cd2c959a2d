"""Kernel-level confinement the worker applies to itself before it runs harness code.

Standard library only: the worker loads this file by path, without the ``autoharness`` package.
Each function is best effort and reports whether its layer is active; none raises.

* ``enter_network_namespace`` — a fresh network namespace (no interfaces but a down loopback):
  ``unshare(CLONE_NEWNET)`` as root, else ``unshare(CLONE_NEWUSER | CLONE_NEWNET)`` where
  unprivileged user namespaces are allowed. Must run while the process is single-threaded.
* ``set_rlimits`` — address space, CPU seconds, file size 0 (no file writes), no core files, and
  no new processes (``RLIMIT_NPROC`` = 0, which root ignores).
* ``install_seccomp`` — x86-64 only, through ``ctypes``: no-new-privileges, death with the parent
  (``PR_SET_PDEATHSIG``), and a seccomp filter that fails with EPERM: sockets, exec, fork (threads
  are allowed), opening files for writing, every call that creates/removes/renames/changes files,
  signalling other processes, ptrace, mounts and namespaces, raising rlimits, io_uring, bpf,
  SysV/POSIX IPC, terminal injection (TIOCSTI). Everything else is allowed.
"""

from __future__ import annotations

import errno
import os
import resource
import struct
import sys

# --- rlimits ---------------------------------------------------------------------------------


def _set(limit: int, value: int) -> bool:
    try:
        _soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY and value > hard:
            value = hard
        resource.setrlimit(limit, (value, value))
        return True
    except (ValueError, OSError):
        return False


def set_rlimits(memory_mb: int | None, cpu_seconds: int | None) -> dict[str, bool]:
    """Apply the limits; the result says which took effect (``rlimit_nproc`` is False for root,
    whom the kernel exempts)."""
    active = {
        "rlimit_as": memory_mb is not None and _set(resource.RLIMIT_AS, memory_mb * 1024 * 1024),
        "rlimit_cpu": cpu_seconds is not None and _set(resource.RLIMIT_CPU, int(cpu_seconds)),
        "rlimit_fsize": _set(resource.RLIMIT_FSIZE, 0),
        "rlimit_core": _set(resource.RLIMIT_CORE, 0),
    }
    nproc = hasattr(resource, "RLIMIT_NPROC") and _set(resource.RLIMIT_NPROC, 0)
    active["rlimit_nproc"] = nproc and os.geteuid() != 0
    return active


# --- network namespace -----------------------------------------------------------------------


def enter_network_namespace() -> str | None:
    """Move this process into a new, empty network namespace. Returns "netns" (privileged),
    "userns+netns" (unprivileged, through a new user namespace) or None (not permitted here)."""
    if not hasattr(os, "unshare"):
        return None
    try:
        os.unshare(os.CLONE_NEWNET)
        return "netns"
    except OSError:
        pass
    try:
        os.unshare(os.CLONE_NEWUSER | os.CLONE_NEWNET)
        return "userns+netns"
    except OSError:
        return None


# --- seccomp ---------------------------------------------------------------------------------

AUDIT_ARCH_X86_64 = 0xC000003E
_X32_BIT = 0x40000000
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000
_LD_W_ABS = 0x20
_JEQ = 0x15
_JGE = 0x35
_JSET = 0x45
_RET = 0x06

# x86-64 syscall numbers denied outright (EPERM).
_DENY_X86_64 = {
    "socket": 41, "connect": 42, "accept": 43, "sendto": 44, "sendmsg": 46, "bind": 49,
    "listen": 50, "socketpair": 53, "accept4": 288, "sendmmsg": 307,
    "fork": 57, "vfork": 58, "execve": 59, "execveat": 322,
    "kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297,
    "pidfd_send_signal": 424, "pidfd_open": 434, "pidfd_getfd": 438,
    "truncate": 76, "ftruncate": 77, "rename": 82, "mkdir": 83, "rmdir": 84, "creat": 85,
    "link": 86, "unlink": 87, "symlink": 88, "chmod": 90, "fchmod": 91, "chown": 92,
    "fchown": 93, "lchown": 94, "mknod": 133, "utime": 132, "utimes": 235, "futimesat": 261,
    "mkdirat": 258, "mknodat": 259, "fchownat": 260, "unlinkat": 263, "renameat": 264,
    "linkat": 265, "symlinkat": 266, "fchmodat": 268, "utimensat": 280, "renameat2": 316,
    "fchmodat2": 452, "setxattr": 188, "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197,
    "lremovexattr": 198, "fremovexattr": 199, "name_to_handle_at": 303,
    "open_by_handle_at": 304, "fanotify_init": 300,
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
    "process_madvise": 440, "syslog": 103,
    "setuid": 105, "setgid": 106, "setreuid": 113, "setregid": 114, "setgroups": 116,
    "setresuid": 117, "setresgid": 119, "setfsuid": 122, "setfsgid": 123, "capset": 126,
    "setpriority": 141, "sched_setparam": 142, "sched_setscheduler": 144, "sched_setattr": 314,
    "setrlimit": 160, "chroot": 161, "pivot_root": 155, "mount": 165, "umount2": 166,
    "swapon": 167, "swapoff": 168, "reboot": 169, "sethostname": 170, "setdomainname": 171,
    "iopl": 172, "ioperm": 173, "init_module": 175, "delete_module": 176, "finit_module": 313,
    "kexec_load": 246, "kexec_file_load": 320, "quotactl": 179, "acct": 163,
    "settimeofday": 164, "clock_settime": 227, "adjtimex": 159, "clock_adjtime": 305,
    "vhangup": 153, "unshare": 272, "setns": 308, "bpf": 321, "perf_event_open": 298,
    "userfaultfd": 323, "keyctl": 250, "add_key": 248, "request_key": 249,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
    "fspick": 433, "mount_setattr": 442,
    "shmget": 29, "shmat": 30, "shmctl": 31, "semget": 64, "semop": 65, "semctl": 66,
    "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "semtimedop": 220,
    "mq_open": 240, "mq_unlink": 241,
}
_NR_OPEN, _NR_OPENAT, _NR_CLONE, _NR_IOCTL, _NR_PRLIMIT64 = 2, 257, 56, 16, 302
_NR_CLONE3, _NR_OPENAT2 = 435, 437
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CLONE_THREAD = 0x00010000
_TIOCSTI, _TIOCLINUX = 0x5412, 0x541C


def _arg_lo(index: int) -> int:
    """Offset of the low 32 bits of syscall argument ``index`` in ``struct seccomp_data``."""
    return 16 + 8 * index


def seccomp_program() -> bytes:
    """The x86-64 filter (an array of ``struct sock_filter``) described in the module doc."""
    ins: list[tuple[int, int, int, int]] = []

    def ret(value: int) -> None:
        ins.append((_RET, 0, 0, value))

    eperm = _RET_ERRNO | errno.EPERM
    ins.append((_LD_W_ABS, 0, 0, 4))                      # A = arch
    ins.append((_JEQ, 1, 0, AUDIT_ARCH_X86_64))
    ret(_RET_KILL_PROCESS)
    ins.append((_LD_W_ABS, 0, 0, 0))                      # A = syscall number
    ins.append((_JGE, 0, 1, _X32_BIT))                    # x32 ABI: deny all
    ret(eperm)
    for nr in sorted(set(_DENY_X86_64.values())):
        ins.append((_JEQ, 0, 1, nr))
        ret(eperm)
    for nr in (_NR_CLONE3, _NR_OPENAT2):                  # struct arguments: make libc fall back
        ins.append((_JEQ, 0, 1, nr))
        ret(_RET_ERRNO | errno.ENOSYS)
    for nr, flags_arg in ((_NR_OPEN, 1), (_NR_OPENAT, 2)):  # open for writing
        ins.append((_JEQ, 0, 4, nr))
        ins.append((_LD_W_ABS, 0, 0, _arg_lo(flags_arg)))
        ins.append((_JSET, 0, 1, _WRITE_FLAGS))
        ret(eperm)
        ret(_RET_ALLOW)
    ins.append((_JEQ, 0, 4, _NR_CLONE))                   # clone: threads only
    ins.append((_LD_W_ABS, 0, 0, _arg_lo(0)))
    ins.append((_JSET, 0, 1, _CLONE_THREAD))
    ret(_RET_ALLOW)
    ret(eperm)
    ins.append((_JEQ, 0, 5, _NR_IOCTL))                   # ioctl: no terminal injection
    ins.append((_LD_W_ABS, 0, 0, _arg_lo(1)))
    ins.append((_JEQ, 1, 0, _TIOCSTI))
    ins.append((_JEQ, 0, 1, _TIOCLINUX))
    ret(eperm)
    ret(_RET_ALLOW)
    ins.append((_JEQ, 0, 6, _NR_PRLIMIT64))               # prlimit64: reading only
    ins.append((_LD_W_ABS, 0, 0, _arg_lo(2)))
    ins.append((_JEQ, 0, 3, 0))
    ins.append((_LD_W_ABS, 0, 0, _arg_lo(2) + 4))
    ins.append((_JEQ, 0, 1, 0))
    ret(_RET_ALLOW)
    ret(eperm)
    ret(_RET_ALLOW)
    return b"".join(struct.pack("=HBBI", *i) for i in ins)


def seccomp_supported() -> bool:
    return sys.platform == "linux" and os.uname().machine == "x86_64" and sys.maxsize > 2**32


def install_seccomp(parent_pid: int | None = None) -> dict[str, bool]:
    """No-new-privileges, parent-death signal and the seccomp filter, through ``ctypes``; then
    ``ctypes`` is dropped from ``sys.modules`` again. Returns which of the three took effect.
    If the parent is already gone (``parent_pid`` given and no longer our parent), exits."""
    active = {"no_new_privs": False, "pdeathsig": False, "seccomp": False}
    if not seccomp_supported():
        return active
    before = set(sys.modules)
    try:
        import ctypes
    except ImportError:
        return active
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
        prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                          ctypes.c_ulong]
        prctl.restype = ctypes.c_int
        active["pdeathsig"] = prctl(1, 9, 0, 0, 0) == 0           # PR_SET_PDEATHSIG, SIGKILL
        if parent_pid is not None and os.getppid() != parent_pid:
            os._exit(0)
        active["no_new_privs"] = prctl(38, 1, 0, 0, 0) == 0       # PR_SET_NO_NEW_PRIVS

        class SockFprog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

        program = seccomp_program()
        buffer = ctypes.create_string_buffer(program, len(program))
        fprog = SockFprog(len(program) // 8, ctypes.addressof(buffer))
        if active["no_new_privs"]:                                 # PR_SET_SECCOMP, FILTER
            active["seccomp"] = prctl(22, 2, ctypes.addressof(fprog), 0, 0) == 0
    except (OSError, AttributeError, TypeError, ValueError):
        pass
    finally:
        for name in set(sys.modules) - before:
            sys.modules.pop(name, None)
    return active
