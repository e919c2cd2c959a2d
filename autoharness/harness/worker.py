"""The sandbox worker: one long-lived process per harness, answering calls over a pipe.

Run as ``python -S worker.py REQUEST_FD REPLY_FD PARENT_PID WORKDIR`` by ``runtime.py``; stdlib
only (it runs without the ``autoharness`` package on its path). Lifecycle:

1. read the init message (marshal, from the trusted parent): source, limits, seed, allowlist;
2. enter a new network namespace (``limits.py``) while still single-threaded;
3. import what the harness imports (its allowlisted modules) and what the worker needs, seed
   ``random`` (and numpy), apply rlimits, then no-new-privs + parent-death signal + seccomp;
4. send the SETUP frame (which protections are active) — before any harness code has run, so
   the harness cannot forge it;
5. build the harness namespace (its own globals, a *copy* of builtins with ``open``/``eval``/
   ``exec``/``compile``/``input``/``breakpoint`` replaced by stubs and ``__import__`` guarded by the
   allowlist), install the audit hook, exec the harness under the load timeout, send LOADED;
6. serve requests until EOF.

Every call runs under a soft wall-clock timer (``SIGALRM`` raising a ``BaseException``); the
parent SIGKILLs the process if even that fails (signals ignored, a long C call). Results are
checked here — propose → ``str`` of at most ``max_action_len`` characters, eval → ``bool`` (numpy
``bool_`` converted) — and an oversized string is never shipped. The parent re-checks everything:
this process is untrusted once harness code has run.

Wire format (little-endian; every frame is ``u32 length`` + payload). Requests:
``u8 op, u32 id, u8 flags`` then strings as ``u32 n`` + UTF-8 (surrogatepass); flag 1 means "same
observation as the previous request" (it is not resent). Replies: ``u8 type, u32 id, u32 start,
u32 count, u8 flags`` then ``count`` items: ``0``/``1`` (bool), ``2 u32 n bytes`` (str),
``3 u8 kind u32 n bytes`` (failure). Reply flags: 1 = last chunk of this request, 2 = please
respawn me (timeout, MemoryError). Long batches are sent in chunks as they progress, so a hard
kill loses at most the last few milliseconds of completed items.
"""

from __future__ import annotations

import os
import struct
import sys

# ---- protocol, shared with runtime.py -------------------------------------------------------

OP_PROPOSE, OP_EVAL, OP_EVAL_MANY, OP_PROPOSE_MANY = 1, 2, 3, 4
FLAG_SAME_OBS = 1
FRAME_SETUP, FRAME_LOADED, FRAME_RESULTS = ord("S"), ord("L"), ord("R")
TAG_FALSE, TAG_TRUE, TAG_STR, TAG_FAIL = 0, 1, 2, 3
KINDS = ("timeout", "crash", "bad_return", "exception", "too_large", "blocked")
KIND_CODES = {kind: code for code, kind in enumerate(KINDS, start=1)}
REPLY_FINAL, REPLY_RESPAWN = 1, 2
LEN = struct.Struct("<I")
REQUEST_HEAD = struct.Struct("<BIB")
REPLY_HEAD = struct.Struct("<BIIIB")
MAX_MESSAGE_CHARS = 2000
FLUSH_INTERVAL = 0.005  # seconds between progress chunks of a long batch

# Modules harness code may get imported at run time besides the allowlist: what allowlisted
# modules import lazily (codecs, C accelerators).
RUNTIME_EXTRA = frozenset({
    "encodings", "stringprep", "unicodedata", "copyreg", "weakref", "warnings", "numbers",
    "contextlib", "locale", "_locale", "_strptime", "_pydecimal", "_decimal", "_json", "_heapq",
    "_bisect", "_random", "_sha1", "_sha2", "_sha3", "_md5", "_blake2", "_hashlib", "_statistics",
    "_struct", "_string", "_collections", "_functools", "_operator", "_weakrefset",
    "_collections_abc", "_abc", "_contextvars", "_opcode", "_pydatetime", "_datetime",
})
# Audit events refused outright (prefix match), and those refused exactly.
BLOCKED_PREFIXES = (
    "socket.", "ctypes.", "subprocess.", "shutil.", "urllib.", "http.", "ftplib.", "smtplib.",
    "poplib.", "imaplib.", "nntplib.", "telnetlib.", "webbrowser.", "pty.", "gc.",
    "resource.", "fcntl.", "mmap.", "sqlite3.", "syslog.", "tempfile.", "ensurepip.", "winreg.",
    "msvcrt.", "_winapi.", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.kill",
    "sys._current", "cpython.remote", "sys.remote",
)
BLOCKED_EVENTS = frozenset({
    "os.system", "os.startfile", "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod",
    "os.chown", "os.chflags", "os.lchflags", "os.link", "os.symlink", "os.truncate", "os.utime",
    "os.setxattr", "os.removexattr", "os.putenv", "os.unsetenv", "os.chdir",
    "os.add_dll_directory", "code.__new__", "sys.settrace", "sys.setprofile",
    "builtins.input", "builtins.breakpoint",
})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class Fail:
    """A failed call, as the worker (and ``InProcessHarness``) represents it."""

    __slots__ = ("kind", "message", "respawn")

    def __init__(self, kind: str, message: str, respawn: bool = False) -> None:
        self.kind, self.message, self.respawn = kind, message, respawn


class SoftTimeout(BaseException):
    """Raised into harness code by the SIGALRM handler (``BaseException``: ``except Exception``
    in the harness does not swallow it)."""


# ---- result checks and messages (also used by InProcessHarness) -----------------------------


# Builtins used after harness code has run are bound as default arguments: a harness that
# patches the real ``builtins`` module (it can reach it) does not change what these functions do.


def _clip(text: str, limit: int = MAX_MESSAGE_CHARS, _len=len) -> str:
    return text if _len(text) <= limit else text[: limit - 15] + " [... clipped]"


def _type_name(value: object, _type=type, _qualname=type.__dict__["__qualname__"]) -> str:
    try:
        return _clip(_qualname.__get__(_type(value)), 80)
    except Exception:
        return "object"


def check_propose(value: object, max_len: int, _type=type, _issubclass=issubclass, _str=str,
                  _len=len) -> str | Fail:
    if not _issubclass(_type(value), _str):  # not isinstance: a fake __class__ would pass that
        return Fail("bad_return", f"propose_action returned {_type_name(value)}, not str")
    if _type(value) is not _str:
        value = _str.__str__(value)  # an exact str copy of a str subclass
    if _len(value) > max_len:
        return Fail("too_large", f"propose_action returned {_len(value)} characters; the limit "
                                 f"is {max_len}")
    return value


def check_eval(value: object, numpy_bool: type | None, _type=type, _bool=bool) -> bool | Fail:
    if value is True or value is False:
        return value
    if numpy_bool is not None and _type(value) is numpy_bool:
        return _bool(value)
    return Fail("bad_return", f"eval_action returned {_type_name(value)}, not bool")


def describe_exception(error: BaseException, filename: str, max_frames: int = 4) -> str:
    """The traceback trimmed to the harness's own frames (at most ``max_frames``, the innermost)
    plus the exception line, clipped."""
    import traceback

    try:
        frames = [(frame, line) for frame, line in traceback.walk_tb(error.__traceback__)
                  if frame.f_code.co_filename == filename]
        shown = frames[-max_frames:]
        lines = traceback.StackSummary.extract(iter(shown), lookup_lines=True).format()
        if len(frames) > len(shown):
            lines.insert(0, f"  [... {len(frames) - len(shown)} more harness frames]\n")
    except Exception:
        lines = []
    try:
        lines += traceback.format_exception_only(type(error), error)
    except BaseException:  # a hostile __str__
        lines.append(f"{_type_name(error)}: <unprintable>\n")
    text = "".join(lines).rstrip()
    if len(text) > MAX_MESSAGE_CHARS:
        text = "[...]\n" + text[-(MAX_MESSAGE_CHARS - 6):]
    return text


def exception_failure(error: BaseException, filename: str, _isinstance=isinstance,
                      _memory_error=MemoryError) -> Fail:
    message = describe_exception(error, filename)
    if _isinstance(error, _memory_error):
        return Fail("exception", f"{message}\n(memory limit reached)", respawn=True)
    return Fail("exception", message)


# ---- encoding -------------------------------------------------------------------------------


def encode_item(value: object, _pack=LEN.pack, _type=type, _fail=Fail, _str=str, _len=len,
                _bytes=bytes, _encode=str.encode, _code=KIND_CODES.get) -> bytes:
    if value is True:
        return b"\x01"
    if value is False:
        return b"\x00"
    if _type(value) is _fail:
        data = _encode(_clip(_str(value.message)), "utf-8", "surrogatepass")
        return _bytes((TAG_FAIL, _code(value.kind, 2))) + _pack(_len(data)) + data
    data = _encode(value, "utf-8", "surrogatepass")
    return b"\x02" + _pack(_len(data)) + data


def frame(kind: int, rid: int, start: int, items: list[bytes], flags: int,
          _head=REPLY_HEAD.pack, _pack=LEN.pack, _len=len, _join=b"".join) -> bytes:
    body = _head(kind, rid, start, _len(items), flags) + _join(items)
    return _pack(_len(body)) + body


# ---- the worker process ---------------------------------------------------------------------


def _load_limits():
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "limits.py")
    spec = importlib.util.spec_from_file_location("_autoharness_limits", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


class _Channel:
    def __init__(self, request_fd: int, reply_fd: int) -> None:
        self.request_fd, self.reply_fd = request_fd, reply_fd
        self.buffer = bytearray()

    def read_frame(self, _read=os.read, _len=len, _bytes=bytes, _memoryview=memoryview,
                   _unpack=LEN.unpack_from) -> memoryview | None:
        """The next request frame's payload, None at EOF. Usually one read and no copy."""
        buffer = self.buffer
        while True:
            if _len(buffer) >= 4:
                size = _unpack(buffer)[0]
                if _len(buffer) >= 4 + size:
                    data = _bytes(buffer[4:4 + size])
                    del buffer[:4 + size]
                    return _memoryview(data)
            chunk = _read(self.request_fd, 65536)
            if not chunk:
                return None
            if not buffer and _len(chunk) >= 4 and _len(chunk) == 4 + _unpack(chunk)[0]:
                return _memoryview(chunk)[4:]  # the common case: exactly one frame
            buffer += chunk

    def send(self, data: bytes, _write=os.write, _len=len, _memoryview=memoryview) -> None:
        view, sent = _memoryview(data), 0
        while sent < _len(data):
            sent += _write(self.reply_fd, view[sent:])


def _harness_namespace(filename: str, allowed, state: dict, guard_imports: bool) -> dict:
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


def _audit_hook(state: dict, allowed, read_roots: tuple[str, ...], cwd: str):
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


def main(argv: list[str]) -> None:  # noqa: C901 - one linear setup sequence
    import marshal

    request_fd, reply_fd = int(argv[1]), int(argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        del sys.path[0]  # not the harness package directory: harness code imports nothing from it
    sys.dont_write_bytecode = True
    channel = _Channel(request_fd, reply_fd)
    init_frame = channel.read_frame()
    if init_frame is None:
        os._exit(0)
    init = marshal.loads(init_frame)
    disabled = set(init["disable"])
    filename, timeout = init["filename"], float(init["timeout"])
    max_len = int(init["max_action_len"])
    allowed_top = frozenset(init["allowed"]) | RUNTIME_EXTRA
    denied = tuple(init["denied"])

    def allowed(module: str) -> bool:
        return module.split(".", 1)[0] in allowed_top and not any(
            module == d or module.startswith(d + ".") for d in denied)

    limits = _load_limits()
    protections = dict.fromkeys(
        ("netns", "userns", "rlimit_as", "rlimit_cpu", "rlimit_fsize", "rlimit_core",
         "rlimit_nproc", "no_new_privs", "pdeathsig", "seccomp", "restricted_builtins",
         "import_guard", "audit_hook"), False)
    namespace = None if "netns" in disabled else limits.enter_network_namespace()
    protections["netns"] = namespace is not None
    protections["userns"] = namespace == "userns+netns"

    import importlib
    import linecache
    import random
    import signal
    import traceback  # noqa: F401 - imported before the audit hook, used by describe_exception
    import warnings  # noqa: F401 - numpy warns through it

    for module in init["preimport"]:
        try:  # noqa: SIM105 - no contextlib import for this
            importlib.import_module(module)
        except BaseException:  # the harness will get its own ImportError when it runs
            pass
    numpy = sys.modules.get("numpy")
    numpy_bool = getattr(numpy, "bool_", None)
    seed = init["seed"]
    if seed is not None:
        random.seed(seed)
        if numpy is not None:
            try:  # noqa: SIM105
                numpy.random.seed(seed % 2**32)
            except Exception:
                pass

    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)  # stderr was the startup log; from here on, output goes nowhere
    os.close(devnull)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past RLIMIT_FSIZE fails, no kill
    if "rlimits" not in disabled:
        protections.update(limits.set_rlimits(init["memory_mb"], init["cpu_seconds"]))
    if "seccomp" not in disabled:
        protections.update(limits.install_seccomp(int(argv[3])))

    state: dict = {"blocked": []}
    guard = "import_guard" not in disabled
    harness_globals = _harness_namespace(filename, allowed, state, guard)
    protections["restricted_builtins"] = True
    protections["import_guard"] = guard
    lines = init["source"].splitlines(keepends=True)
    linecache.cache[filename] = (len(init["source"]), None, lines, filename)
    try:
        code = compile(init["source"], filename, "exec")
    except BaseException as error:
        code, compile_error = None, error

    cwd = os.path.normpath(argv[4])  # already deleted by the parent: os.getcwd() would fail
    roots = {os.path.normpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                          *[p for p in sys.path if p and os.path.isabs(p)])}
    roots |= {os.path.realpath(p) for p in roots}
    read_roots = tuple(sorted(r.rstrip(os.sep) + os.sep for r in roots if r != os.sep))
    if "audit_hook" not in disabled:
        sys.addaudithook(_audit_hook(state, allowed, read_roots, cwd))
    protections["audit_hook"] = "audit_hook" not in disabled
    report = ",".join(f"{k}={int(bool(v))}" for k, v in protections.items())
    channel.send(frame(FRAME_SETUP, 0, 0, [encode_item(report)], REPLY_FINAL))

    # -- soft timer ---------------------------------------------------------------------------
    in_call = [False]

    def on_alarm(signum, frame_):
        if in_call[0]:
            in_call[0] = False
            raise SoftTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    setitimer, real_timer = signal.setitimer, signal.ITIMER_REAL
    blocked = state["blocked"]

    def run(fn, args, check, limit, _len=len, _base=BaseException):
        """One harness call under the soft timer: a value or a Fail."""
        blocked.clear()
        try:
            try:
                in_call[0] = True
                setitimer(real_timer, limit)
                try:
                    result = check(fn(*args))
                except SoftTimeout:
                    raise
                except _base as error:
                    result = exception_failure(error, filename)
            finally:
                in_call[0] = False
                setitimer(real_timer, 0)
        except SoftTimeout:
            return Fail("timeout", f"the call took longer than {limit:g} s", respawn=True)
        if blocked:
            return Fail("blocked", f"the sandbox refused: {_clip(blocked[0], 300)}"
                        + (f" (and {_len(blocked) - 1} more)" if _len(blocked) > 1 else ""))
        return result

    # -- load -----------------------------------------------------------------------------------
    _type, _callable = type, callable  # module-level harness code may patch the builtins
    if code is None:
        loaded: object = Fail("exception", describe_exception(compile_error, filename))
    else:
        def load() -> bool:
            exec(code, harness_globals)
            return True
        loaded = run(load, (), lambda value: value, float(init["load_timeout"]))
        if loaded is True:
            missing = [n for n in ("propose_action", "eval_action")
                       if not _callable(dict.get(harness_globals, n))]
            if missing:
                loaded = Fail("exception", f"the harness defines no callable {missing[0]}")
    if _type(loaded) is Fail:
        loaded.message = "harness failed to load: " + loaded.message
        channel.send(frame(FRAME_LOADED, 0, 0, [encode_item(loaded)], REPLY_FINAL))
        os._exit(0)
    channel.send(frame(FRAME_LOADED, 0, 0, [encode_item(True)], REPLY_FINAL))
    propose, evaluate = harness_globals["propose_action"], harness_globals["eval_action"]

    def check_action(value, _max=max_len):
        return check_propose(value, _max)

    def check_verdict(value, _nb=numpy_bool):
        return check_eval(value, _nb)

    serve(channel, propose, evaluate, check_action, check_verdict, run, timeout)


def _text(data: memoryview, view: memoryview, pos: int, _unpack=LEN.unpack_from,
          _str=str) -> tuple[str, int]:
    """The string at ``pos`` of a request, and the position after it."""
    n = _unpack(data, pos)[0]
    return _str(view[pos + 4: pos + 4 + n], "utf-8", "surrogatepass"), pos + 4 + n


def serve(channel, propose, evaluate, check_action, check_verdict, run, timeout,
          _unpack_head=REQUEST_HEAD.unpack_from, _head_size=REQUEST_HEAD.size,
          _unpack_len=LEN.unpack_from, _text=_text, _len=len, _encode=encode_item,
          _frame=frame, _type=type, _fail=Fail, _exit=os._exit, _range=range,
          _enumerate=enumerate, _memoryview=memoryview) -> None:
    """The request loop: decode, run each item under ``run``, reply in chunks. Builtins and
    helpers are bound as defaults, so harness code patching modules cannot reach this loop."""
    import time

    monotonic = time.monotonic
    last_obs = ""
    while True:
        data = channel.read_frame()
        if data is None:
            _exit(0)
        op, rid, flags = _unpack_head(data, 0)
        pos = _head_size
        view = data
        if op != OP_PROPOSE_MANY and not flags & FLAG_SAME_OBS:
            last_obs, pos = _text(data, view, pos)
        if op == OP_PROPOSE:
            calls = [(propose, (last_obs,), check_action)]
        elif op == OP_EVAL:
            action, pos = _text(data, view, pos)
            calls = [(evaluate, (last_obs, action), check_verdict)]
        elif op in (OP_EVAL_MANY, OP_PROPOSE_MANY):
            count = _unpack_len(data, pos)[0]
            pos += 4
            calls = []
            for _ in _range(count):
                item, pos = _text(data, view, pos)
                calls.append((evaluate, (last_obs, item), check_verdict) if op == OP_EVAL_MANY
                             else (propose, (item,), check_action))
        else:
            _exit(3)
        pending: list[bytes] = []
        start, respawn = 0, False
        last_flush = monotonic()
        for index, (fn, args, check) in _enumerate(calls):
            if pending and monotonic() - last_flush >= FLUSH_INTERVAL:
                channel.send(_frame(FRAME_RESULTS, rid, start, pending, 0))
                start += _len(pending)
                pending = []
                last_flush = monotonic()
            result = run(fn, args, check, timeout)
            if _type(result) is _fail and result.respawn:
                respawn = True
                if result.kind == "timeout":
                    pending.append(_encode(result))
                    skipped = _encode(_fail("timeout", "not run: an earlier call of the batch "
                                                       "timed out"))
                    pending.extend(skipped for _ in _range(_len(calls) - index - 1))
                    break
            pending.append(_encode(result))
        flags_out = REPLY_FINAL | (REPLY_RESPAWN if respawn else 0)
        channel.send(_frame(FRAME_RESULTS, rid, start, pending, flags_out))


if __name__ == "__main__":
    main(sys.argv)
