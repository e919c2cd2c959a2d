"""The worker's seccomp filter: an allowlist of system calls with argument checks (x86-64).

Standard library only (``ctypes`` for ``prctl``); the worker loads this file by path. It is the
last layer installed, after every set-up step, so it can be strict:

* only the system calls a single-threaded CPython (with numpy and python-chess) makes while it
  computes: memory, reading files, pipes it already has, clocks, signals to itself;
* ``open``/``openat`` only without write flags; ``openat2``/``clone3`` fail with ENOSYS (so libc
  falls back to the checked forms);
* ``fcntl`` only ``F_DUPFD``, ``F_DUPFD_CLOEXEC``, ``F_GETFD``, ``F_SETFD``, ``F_GETFL`` and
  ``F_SETFL`` without ``O_ASYNC`` — no ``F_SETOWN``/``F_SETOWN_EX``/``F_SETSIG`` (signals to
  other processes), no leases, dnotify, locks or pipe resizing;
* ``ioctl`` only ``TCGETS`` (isatty), ``FIOCLEX``/``FIONCLEX`` and ``FIONREAD``; anything else
  fails with ENOTTY (no ``FIOASYNC``/``FIOSETOWN``, no ``FS_IOC_SETFLAGS``, no terminal
  injection);
* ``prlimit64`` only to read limits;
* no ``prctl`` at all (set-up is done: the parent-death signal and no-new-privs cannot be
  changed), no ``seccomp``, no ``clone``/``fork``/``execve`` (no threads either), no sockets, no
  ``kill``/``tgkill``, no ``pipe``/``memfd``/``eventfd`` (kernel memory), no ptrace, mounts,
  namespaces, keyrings, BPF, io_uring, ...: everything not listed fails with EPERM.

Other architectures (and the x32 ABI) have no filter here: ``supported()`` says so and the
runtime reports the layer missing with the reason.
"""

from __future__ import annotations

import errno
import os
import struct
import sys

AUDIT_ARCH_X86_64 = 0xC000003E
_X32_BIT = 0x40000000
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000
_LD_W_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06

#: x86-64 system calls allowed without argument checks.
ALLOWED = {
    "read": 0, "write": 1, "close": 3, "stat": 4, "fstat": 5, "lstat": 6, "poll": 7,
    "lseek": 8, "mmap": 9, "mprotect": 10, "munmap": 11, "brk": 12, "rt_sigaction": 13,
    "rt_sigprocmask": 14, "rt_sigreturn": 15, "pread64": 17, "readv": 19, "writev": 20,
    "access": 21, "select": 23, "sched_yield": 24, "mremap": 25, "msync": 26, "mincore": 27,
    "madvise": 28, "dup": 32, "dup2": 33, "pause": 34, "nanosleep": 35, "getitimer": 36,
    "alarm": 37, "setitimer": 38, "getpid": 39, "exit": 60, "uname": 63, "fsync": 74,
    "fdatasync": 75, "getdents": 78, "getcwd": 79, "readlink": 89, "umask": 95,
    "gettimeofday": 96, "getrlimit": 97, "getrusage": 98, "sysinfo": 99, "times": 100,
    "getuid": 102, "getgid": 104, "geteuid": 107, "getegid": 108, "getppid": 110,
    "getpgrp": 111, "getgroups": 115, "getresuid": 118, "getresgid": 120, "getpgid": 121,
    "getsid": 124, "capget": 125, "rt_sigpending": 127, "rt_sigtimedwait": 128,
    "rt_sigsuspend": 130, "sigaltstack": 131, "statfs": 137, "fstatfs": 138,
    "getpriority": 140, "sched_getparam": 143, "sched_getscheduler": 145,
    "sched_get_priority_max": 146, "sched_get_priority_min": 147, "arch_prctl": 158,
    "gettid": 186, "readahead": 187, "time": 201, "futex": 202, "sched_getaffinity": 204,
    "epoll_create": 213, "getdents64": 217, "set_tid_address": 218, "restart_syscall": 219,
    "fadvise64": 221, "clock_gettime": 228, "clock_getres": 229, "clock_nanosleep": 230,
    "exit_group": 231, "epoll_wait": 232, "epoll_ctl": 233, "newfstatat": 262,
    "readlinkat": 267, "faccessat": 269, "pselect6": 270, "ppoll": 271, "set_robust_list": 273,
    "get_robust_list": 274, "epoll_pwait": 281, "epoll_create1": 291, "dup3": 292,
    "preadv": 295, "getcpu": 309, "getrandom": 318, "statx": 332, "rseq": 334,
    "close_range": 436, "faccessat2": 439, "epoll_pwait2": 441, "futex_waitv": 449,
}
_NR = {"open": 2, "ioctl": 16, "fcntl": 72, "openat": 257, "prlimit64": 302, "clone3": 435,
       "openat2": 437}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_O_ASYNC = 0o20000
#: fcntl commands allowed: F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_DUPFD_CLOEXEC (F_SETFL apart).
FCNTL_ALLOWED = (0, 1, 2, 3, 1030)
F_SETFL = 4
#: ioctl requests allowed: TCGETS, FIONREAD, FIONCLEX, FIOCLEX.
IOCTL_ALLOWED = (0x5401, 0x541B, 0x5450, 0x5451)


def supported() -> str | None:
    """None where the filter applies, else the reason it cannot."""
    if sys.platform != "linux":
        return f"seccomp is Linux-only (this is {sys.platform})"
    machine = os.uname().machine
    if machine != "x86_64" or sys.maxsize <= 2**32:
        return f"the seccomp filter is written for x86-64; this machine is {machine}"
    return None


def _arg_lo(index: int) -> int:
    """Offset of the low 32 bits of syscall argument ``index`` in ``struct seccomp_data``
    (every argument checked here is a 32-bit int or flags word to the kernel)."""
    return 16 + 8 * index


def program() -> bytes:
    """The filter, an array of ``struct sock_filter``."""
    ins: list[tuple[int, int, int, int]] = []

    def ret(value: int) -> None:
        ins.append((_RET, 0, 0, value))

    def load_nr() -> None:
        ins.append((_LD_W_ABS, 0, 0, 0))

    eperm = _RET_ERRNO | errno.EPERM
    ins.append((_LD_W_ABS, 0, 0, 4))                       # A = arch
    ins.append((_JEQ, 1, 0, AUDIT_ARCH_X86_64))
    ret(_RET_KILL_PROCESS)
    load_nr()
    ins.append((_JGE, 0, 1, _X32_BIT))                     # x32 ABI: nothing
    ret(eperm)
    for nr in sorted(ALLOWED.values()):
        ins.append((_JEQ, 0, 1, nr))
        ret(_RET_ALLOW)
    for nr in (_NR["clone3"], _NR["openat2"]):            # struct arguments: make libc fall back
        ins.append((_JEQ, 0, 1, nr))
        ret(_RET_ERRNO | errno.ENOSYS)
    for nr, flags_arg in ((_NR["open"], 1), (_NR["openat"], 2)):   # open, read-only
        ins.append((_JEQ, 0, 4, nr))
        ins.append((_LD_W_ABS, 0, 0, _arg_lo(flags_arg)))
        ins.append((_JSET, 0, 1, _WRITE_FLAGS))
        ret(eperm)
        ret(_RET_ALLOW)
    # fcntl: an allowlist of commands; F_SETFL only without O_ASYNC
    ins.append((_JEQ, 0, 6 + 2 * len(FCNTL_ALLOWED), _NR["fcntl"]))
    ins.append((_LD_W_ABS, 0, 0, _arg_lo(1)))
    for cmd in FCNTL_ALLOWED:
        ins.append((_JEQ, 0, 1, cmd))
        ret(_RET_ALLOW)
    ins.append((_JEQ, 0, 3, F_SETFL))
    ins.append((_LD_W_ABS, 0, 0, _arg_lo(2)))
    ins.append((_JSET, 1, 0, _O_ASYNC))
    ret(_RET_ALLOW)
    ret(eperm)
    # ioctl: an allowlist of requests, ENOTTY for the rest ("not a terminal")
    ins.append((_JEQ, 0, 2 + 2 * len(IOCTL_ALLOWED), _NR["ioctl"]))
    ins.append((_LD_W_ABS, 0, 0, _arg_lo(1)))
    for request in IOCTL_ALLOWED:
        ins.append((_JEQ, 0, 1, request))
        ret(_RET_ALLOW)
    ret(_RET_ERRNO | errno.ENOTTY)
    # prlimit64: reading only (new_limit, argument 2, is NULL)
    ins.append((_JEQ, 0, 6, _NR["prlimit64"]))
    ins.append((_LD_W_ABS, 0, 0, _arg_lo(2)))
    ins.append((_JEQ, 0, 3, 0))
    ins.append((_LD_W_ABS, 0, 0, _arg_lo(2) + 4))
    ins.append((_JEQ, 0, 1, 0))
    ret(_RET_ALLOW)
    ret(eperm)
    ret(eperm)                                             # everything else
    return b"".join(struct.pack("=HBBI", *i) for i in ins)


def install(prctl, ctypes) -> str | None:
    """Load the filter into this process (no-new-privs must be set). None on success, else
    the reason. ``prctl`` is libc's, with five ``c_ulong`` arguments."""
    reason = supported()
    if reason:
        return reason

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    code = program()
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = SockFprog(len(code) // 8, ctypes.addressof(buffer))
    if prctl(22, 2, ctypes.addressof(fprog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
        return f"prctl(PR_SET_SECCOMP) failed: {os.strerror(ctypes.get_errno())}"
    return None
