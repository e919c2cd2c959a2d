"""Landlock for the worker: reading only beneath the allowed directories, nothing else.

Standard library only (``ctypes`` for the three system calls, numbered alike on every
architecture); the worker loads this file by path.
The ruleset handles every filesystem right the kernel's Landlock ABI knows (so writing, creating,
removing, executing, truncating, device ioctls are all denied everywhere), grants
``READ_FILE``/``READ_DIR`` beneath each allowed path, denies TCP bind/connect (ABI 4) and scopes
signals and abstract UNIX sockets to the worker's own domain (ABI 6: no signal, not even one
armed with ``F_SETOWN``, reaches a process outside).
"""

from __future__ import annotations

import os

_NR_CREATE_RULESET, _NR_ADD_RULE, _NR_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
READ_FILE, READ_DIR = 1 << 2, 1 << 3
_FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_NET_BIND_TCP, _NET_CONNECT_TCP = 1, 2
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1, 2


def abi_version(ctypes, libc) -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is unavailable (not built in, not
    enabled in ``lsm=``, or filtered)."""
    syscall = libc.syscall
    syscall.restype = ctypes.c_long
    version = syscall(ctypes.c_long(_NR_CREATE_RULESET), None, ctypes.c_size_t(0),
                      ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(0, int(version))


def restrict(ctypes, libc, readable: list[str],
             listable: list[str] = ()) -> tuple[int, str | None]:
    """Restrict this process (no-new-privs set, or CAP_SYS_ADMIN) to reading beneath
    ``readable`` and listing beneath ``listable``: returns (ABI version, None) on success, else
    (version, the reason it is not active). Paths that do not exist are skipped."""
    version = abi_version(ctypes, libc)
    if version < 1:
        return 0, ("the kernel offers no Landlock (not built, not in the lsm= list, or "
                   f"blocked: {os.strerror(ctypes.get_errno())})")

    class RulesetAttr(ctypes.Structure):
        _fields_ = [("handled_access_fs", ctypes.c_uint64),
                    ("handled_access_net", ctypes.c_uint64),
                    ("scoped", ctypes.c_uint64)]

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    fs_rights = _FS_RIGHTS_BY_ABI[max(v for v in _FS_RIGHTS_BY_ABI if v <= version)]
    attr = RulesetAttr(fs_rights, (_NET_BIND_TCP | _NET_CONNECT_TCP) if version >= 4 else 0,
                       (_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if version >= 6 else 0)
    size = ctypes.sizeof(RulesetAttr)  # the kernel accepts a larger struct if the rest is 0
    syscall = libc.syscall
    syscall.restype = ctypes.c_long
    ruleset = syscall(ctypes.c_long(_NR_CREATE_RULESET), ctypes.byref(attr),
                      ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return version, f"landlock_create_ruleset failed: {os.strerror(ctypes.get_errno())}"
    try:
        rules = [(path, READ_FILE | READ_DIR) for path in readable]
        rules += [(path, READ_DIR) for path in listable]
        for path, rights in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                if not os.path.isdir(path):
                    rights &= READ_FILE
                rule = PathBeneath(rights, fd)
                if syscall(ctypes.c_long(_NR_ADD_RULE), ctypes.c_int(ruleset),
                           ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(rule),
                           ctypes.c_uint32(0)) != 0:
                    return version, (f"landlock_add_rule({path}) failed: "
                                     f"{os.strerror(ctypes.get_errno())}")
            finally:
                os.close(fd)
        if syscall(ctypes.c_long(_NR_RESTRICT_SELF), ctypes.c_int(ruleset),
                   ctypes.c_uint32(0)) != 0:
            return version, f"landlock_restrict_self failed: {os.strerror(ctypes.get_errno())}"
    finally:
        os.close(ruleset)
    return version, None
