"""The Python-level layers of the worker: advisory, for clear error messages.

Standard library only; the worker loads this file by path. They are *not* the boundary (harness
code can reach around them: module internals, patching the helpers they call, subinterpreters);
the kernel layers (``confine.py``, ``landlock.py``, ``seccomp.py``) are. What they give is a
readable refusal — "import of 'socket' is not allowed", "harness code may not open '/etc'" — and
a ``blocked`` failure for the call that tried.

* the harness namespace: its own module, a copy of builtins with ``open``/``eval``/``exec``/
  ``compile``/``input``/``breakpoint`` replaced by refusing stubs and ``__import__`` checking
  the allowlist;
* an audit hook refusing sockets, subprocesses, writes, reads outside the library, imports
  outside the allowlist, marshal outside the import system, ``sys.addaudithook``, tracing.
"""

from __future__ import annotations

import os
import sys

# Modules harness code may get imported at run time besides the allowlist: what allowlisted
# modules import lazily (codecs, C accelerators).
RUNTIME_EXTRA = frozenset({
    "encodings", "stringprep", "unicodedata", "copyreg", "weakref", "warnings", "numbers",
    "contextlib", "locale", "_locale", "_strptime", "_pydecimal", "_decimal", "_json", "_heapq",
    "_bisect", "_random", "_sha1", "_sha2", "_sha3", "_md5", "_blake2", "_hashlib", "_statistics",
    "_struct", "_string", "_collections", "_functools", "_operator", "_weakrefset",
    "_collections_abc", "_abc", "_contextvars", "_opcode", "_pydatetime", "_datetime",
    "secrets", "base64", "binascii", "hmac", "_hmac",
})
# Audit events refused outright (prefix match), and those refused exactly.
BLOCKED_PREFIXES = (
    "socket.", "ctypes.", "subprocess.", "shutil.", "urllib.", "http.", "ftplib.", "smtplib.",
    "poplib.", "imaplib.", "nntplib.", "telnetlib.", "webbrowser.", "pty.", "gc.",
    "resource.", "fcntl.", "mmap.", "sqlite3.", "syslog.", "tempfile.", "ensurepip.", "winreg.",
    "msvcrt.", "_winapi.", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.kill",
    "sys._current", "cpython.remote", "sys.remote", "sys.monitoring.",
)
BLOCKED_EVENTS = frozenset({
    "os.system", "os.startfile", "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod",
    "os.chown", "os.chflags", "os.lchflags", "os.link", "os.symlink", "os.truncate", "os.utime",
    "os.setxattr", "os.removexattr", "os.putenv", "os.unsetenv", "os.chdir",
    "os.add_dll_directory", "code.__new__", "sys.settrace", "sys.setprofile",
    "builtins.input", "builtins.breakpoint",
})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND



def harness_namespace(filename: str, allowed, state: dict, guard_imports: bool) -> dict:
    import builtins

    def record(what: str) -> None:
        state["blocked"].append(what)

    def stub(name: str):
        def blocked(*args, **kwargs):
            record(f"{name}()")
            raise PermissionError(f"{name}() is not available to harness code")
        blocked.__name__ = name
        return blocked

    real_import = builtins.__import__

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level or not allowed(name) or any(
                not allowed(f"{name}.{item}") for item in (fromlist or ()) if item != "*"):
            record(f"import {name}")
            raise ImportError(f"import of {name!r} is not allowed in a harness")
        return real_import(name, globals, locals, fromlist, level)

    safe = dict(builtins.__dict__)
    for name in ("open", "eval", "exec", "compile", "input", "breakpoint"):
        safe[name] = stub(name)
    if guard_imports:
        safe["__import__"] = guarded_import
    import types

    module = types.ModuleType("harness")
    module.__dict__.update({"__builtins__": safe, "__file__": filename})
    sys.modules["harness"] = module
    return module.__dict__


def audit_hook(state: dict, allowed, read_roots: tuple[str, ...], cwd: str):
    blocked_events, prefixes = BLOCKED_EVENTS, BLOCKED_PREFIXES
    getframe = sys._getframe
    # marshal makes code objects from bytes: only the import system may use it (to load .pyc)
    import_code = sys.modules["_frozen_importlib_external"]._compile_bytecode.__code__
    normpath, join, isabs, fsdecode = os.path.normpath, os.path.join, os.path.isabs, os.fsdecode
    record = state["blocked"].append

    class Refused(RuntimeError):  # RuntimeError: refuses sys.addaudithook silently
        pass

    def readable(path, _type=type, _int=int, _str=str, _bytes=bytes) -> bool:
        if path is None or _type(path) is _int:
            return True
        if _type(path) is _bytes:
            path = fsdecode(path)
        if _type(path) is not _str:
            return False
        full = normpath(path if isabs(path) else join(cwd, path))
        return full == cwd or _str.startswith(full, read_roots)

    def hook(event: str, args: tuple, _len=len, _str=str) -> None:
        if event == "open":
            path, mode, flags = args
            writing = (flags & _WRITE_FLAGS) if mode is None else (
                "w" in mode or "a" in mode or "x" in mode or "+" in mode)
            if writing or not readable(path):
                record(f"open({path!r}, {mode or flags!r})")
                raise PermissionError(f"harness code may not open {path!r} "
                                      f"{'for writing' if writing else 'here'}")
        elif event == "import":
            if not allowed(args[0]):
                record(f"import {args[0]}")
                raise ImportError(f"import of {args[0]!r} is not allowed in a harness")
        elif event in ("os.listdir", "os.scandir"):
            if not readable(args[0]):
                record(f"{event}({args[0]!r})")
                raise PermissionError(f"harness code may not list {args[0]!r}")
        elif event in ("marshal.loads", "marshal.load"):
            if getframe(1).f_code is not import_code:
                record(event)
                raise PermissionError(f"{event} is not available to harness code")
        elif event == "sys.addaudithook":
            record(event)
            raise Refused("sys.addaudithook is not available to harness code")
        elif event == "object.__setattr__":
            if _len(args) > 1 and args[1] == "__code__":
                record("setting __code__")
                raise PermissionError("harness code may not replace __code__")
        elif event in blocked_events or _str.startswith(event, prefixes):
            record(event)
            raise PermissionError(f"{event} is not available to harness code")

    return hook
