"""Hostile harness sources for the kernel-level tests (``test_sandbox_kernel.py``): one per
attack class, each written fresh (not built from ``hostile.py``).

Every harness answers ``propose_action("ok?")`` with ``"ok"`` (so the run can be seen to go on)
and runs its attack on ``propose_action("attack ...")``, returning a report of ``;``-separated
outcomes: ``held:<what>:<error>`` for an attempt the sandbox stopped, ``escaped:<what>:...`` for
one that got through. ``{host}`` and ``{victim}`` in the source are replaced by the host's and a
sacrificial process's pids, ``{canary}`` by a world-readable file outside the sandbox's view and
``{project_file}`` by a file of the project.
"""

from __future__ import annotations

import textwrap

PRELUDE = '''
GAMES = ["Test-v0"]
SECRET_READS = [
    "/proc/{host}/environ", "/proc/{host}/mem", "/proc/{host}/fd", "/proc/{host}/maps",
    "/proc/1/environ", "/etc/shadow", "/etc/passwd", "/etc/hostname", "/home", "/var", "{canary}",
    "{project_file}", "/proc/self/mounts", "/sys/kernel", "/dev/mem", "/dev/null",
]


def _real_sys():
    for cls in ().__class__.__base__.__subclasses__():
        init = cls.__dict__.get("__init__")
        found = getattr(init, "__globals__", None)
        if isinstance(found, dict) and hasattr(found.get("sys"), "modules"):
            return found["sys"]
    raise RuntimeError("no route to sys")


def _module(name):
    sys = _real_sys()
    if name not in sys.modules:
        sys.modules["builtins"].__import__(name)
    return sys.modules[name]


def _try(label, action):
    try:
        value = action()
    except BaseException as error:  # noqa: BLE001
        return f"held:{label}:{type(error).__name__}:{getattr(error, 'errno', '')}"
    return f"escaped:{label}:{str(value)[:40].encode().hex()}"


def _read(os, path):
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if os.path.isdir(path):
            return os.listdir(path)[:5] or ["(empty listing)"]
        return os.read(fd, 200) or b"(empty read)"
    finally:
        os.close(fd)


def _allowed(label, action):
    """An attempt that is harmless by itself (it only matters together with another)."""
    try:
        action()
    except BaseException as error:  # noqa: BLE001
        return f"held:{label}:{type(error).__name__}:{getattr(error, 'errno', '')}"
    return f"held:{label}:allowed-but-harmless"


def _reads(os):
    return [_try(path, lambda path=path: _read(os, path)) for path in SECRET_READS]


def eval_action(obs, action):
    return True
'''


def harness(body: str) -> str:
    """A harness whose ``attack(obs)`` is ``body``."""
    return (PRELUDE + "\n\ndef attack(obs):\n" + textwrap.indent(textwrap.dedent(body).strip(),
                                                               "    ")
            + "\n\n\ndef propose_action(obs):\n    if obs.startswith('attack'):\n"
              "        return ';'.join(attack(obs))\n    return 'ok'\n")


# 1. internals of allowed modules reach os without a banned name
MODULE_INTERNALS = harness('''
import random
os = random._os
write = os.O_WRONLY | os.O_CREAT
return _reads(os) + [_try("write", lambda: os.open("/tmp/escape-internals", write))]
''')

# 2. the audit hook's pure-Python helpers, patched so every path looks allowed
HOOK_HELPERS = harness('''
import random
os = random._os
root = os.path.dirname(random.__file__)
posixpath = _module("posixpath")
posixpath._path_normpath = lambda path: root + "/x"
posixpath.normpath = lambda path: root + "/x"
os.path.isabs = lambda path: True
guards = _real_sys().modules.get("_autoharness_sandbox_guards")
if guards is not None:
    guards._WRITE_FLAGS = 0
write = os.O_WRONLY | os.O_CREAT
return _reads(os) + [_try("write", lambda: os.open(root + "/escape-hook.py", write))]
''')

# 3. the import guard's closure swapped: every module allowed, then sockets, signals, files
CLOSURE_TAMPERING = harness('''
class Everything:
    def __contains__(self, item):
        return True

guarded = __builtins__["__import__"]
allowed = None
for cell in getattr(guarded, "__closure__", None) or ():
    value = cell.cell_contents
    if callable(value) and getattr(value, "__name__", "") == "allowed":
        allowed = value
        cell.cell_contents = lambda name: True
for cell in (allowed.__closure__ or ()) if allowed else ():
    if isinstance(cell.cell_contents, frozenset):
        cell.cell_contents = Everything()
    elif isinstance(cell.cell_contents, tuple):
        cell.cell_contents = ()
out = []
os = __import__("os")
socket = __import__("socket")
out.append(_try("socket", lambda: socket.create_connection(("127.0.0.1", 22), timeout=0.2)))
out.append(_try("kill-victim", lambda: os.kill({victim}, 9)))
out.append(_try("kill-host", lambda: os.kill({host}, 9)))
return out + _reads(os)
''')

# 4. a subinterpreter: no audit hook, no import guard, real builtins
SUBINTERPRETER = harness('''
import textwrap
sub = _module("_xxsubinterpreters")
code = textwrap.dedent("""
import os
paths = %r
found = []
for path in paths:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        found.append("escaped:" + path)
        os.close(fd)
    except OSError as error:
        found.append("held:" + path + ":" + str(error.errno))
try:
    os.kill({victim}, 9)
    found.append("escaped:kill")
except OSError as error:
    found.append("held:kill:" + str(error.errno))
raise RuntimeError("|".join(found))
""") % (SECRET_READS,)
interp = sub.create()
try:
    sub.run_string(interp, code)
except Exception as error:  # the report comes back as the exception text
    report = str(error).split(": ", 1)[-1]  # "<class 'RuntimeError'>: held:...|held:..."
    return [part.replace(":", ":sub:", 1) for part in report.split("|")]
return ["escaped:subinterpreter-ran-without-report"]
''')

# 5. compile / exec / marshal reached through the real builtins
CODE_OBJECTS = harness('''
real = _real_sys().modules["builtins"]
marshal = _module("marshal")
namespace = {}
program = ("import os\\nresult = [os.open(p, os.O_RDONLY) "
           "for p in ('/etc/shadow', '/proc/{host}/environ')]")
out = [_try("compile+exec", lambda: real.exec(real.compile(program, "x", "exec"), namespace))]
blob = marshal.dumps(real.compile(program, "y", "exec"))
out.append(_try("marshal+exec", lambda: real.exec(marshal.loads(blob), {})))
external = _module("_frozen_importlib_external")
out.append(_try("import-system-marshal", lambda: real.exec(external._compile_bytecode(blob), {})))
return out
''')

# 6. refusals hidden: the record of them cleared, the errors swallowed
HIDDEN_REFUSALS = harness('''
import random
os = random._os
out = _reads(os)
stub = __builtins__["open"]
for cell in stub.__closure__ or ():
    record = cell.cell_contents
    for inner in getattr(record, "__closure__", None) or ():
        state = inner.cell_contents
        if isinstance(state, dict) and "blocked" in state:
            state["blocked"].clear()
            state["blocked"] = []
return out
''')

# 7, 8. reads of the host's /proc and of /etc/shadow with every Python layer off (kernel only)
HOST_READS = harness('''
os = _module("os")
return _reads(os)
''')

# 9. signal delivery through fcntl: F_SETOWN + F_SETSIG(SIGKILL) + O_ASYNC on the request pipe
# (the host's next write delivers SIGKILL to the pid named: the victim), and the ioctl route
# (FIOSETOWN + FIOASYNC) on the reply pipe, aimed at the host (its next read of a reply)
FCNTL_SIGNALS = harness('''
os, fcntl, sys = _module("os"), _module("fcntl"), _real_sys()
struct = _module("struct")
request_fd, reply_fd = int(sys.argv[1]), int(sys.argv[2])
owner = struct.pack("ii", 1, {victim})  # F_OWNER_PID
out = [_try("F_SETOWN_EX:victim", lambda: fcntl.fcntl(request_fd, 15, owner))]
out.append(_try("F_SETOWN:victim", lambda: fcntl.fcntl(request_fd, fcntl.F_SETOWN, {victim})))
out.append(_allowed("F_SETSIG", lambda: fcntl.fcntl(request_fd, 10, 9)))
flags = fcntl.fcntl(request_fd, fcntl.F_GETFL)
out.append(_allowed("O_ASYNC", lambda: fcntl.fcntl(request_fd, fcntl.F_SETFL, flags | 0o20000)))
out.append(_try("FIOSETOWN:host", lambda: fcntl.ioctl(reply_fd, 0x8901, struct.pack("i", {host}))))
out.append(_allowed("F_SETSIG", lambda: fcntl.fcntl(reply_fd, 10, 9)))
out.append(_allowed("FIOASYNC", lambda: fcntl.ioctl(reply_fd, 0x5452, struct.pack("i", 1))))
out.append(_try("F_NOTIFY", lambda: fcntl.fcntl(request_fd, 1026, 0x80000000 | 0x3F)))
return out
''')

# 10. the parent-death signal reset, so the worker would outlive the host
PDEATHSIG_RESET = harness('''
ctypes = _module("ctypes")
libc = ctypes.CDLL(None, use_errno=True)
result = libc.prctl(1, 0, 0, 0, 0)
if result == 0:
    return ["escaped:pdeathsig-reset"]
return [f"held:pdeathsig-reset:{ctypes.get_errno()}"]
''')

# 11. metadata writes through ioctl on a read-only descriptor (FS_IOC_SETFLAGS: append-only)
IOCTL_FLAGS = harness('''
import random
os, fcntl, struct = _module("os"), _module("fcntl"), _module("struct")
fd = os.open(random.__file__, os.O_RDONLY)
out = [_try("FS_IOC_SETFLAGS", lambda: fcntl.ioctl(fd, 0x40086602, struct.pack("l", 0x20)))]
out.append(_try("FS_IOC_FSSETXATTR", lambda: fcntl.ioctl(fd, 0x401C5820, bytes(28))))
out.append(_try("TIOCSTI", lambda: fcntl.ioctl(0, 0x5412, b"x")))
os.close(fd)
return out
''')

# 12. stealing another harness's reply bytes through the host's /proc/<pid>/fd
FD_STEALING = harness('''
os = _module("os")
out = []
for number in range(3, 40):
    path = f"/proc/{host}/fd/{number}"
    out.append(_try(f"fd{number}", lambda: os.read(os.open(path, os.O_RDONLY | os.O_NONBLOCK),
                                                   65536)))
ctypes = _module("ctypes")
libc = ctypes.CDLL(None, use_errno=True)

def syscall(*args):
    if libc.syscall(*args) < 0:
        raise OSError(ctypes.get_errno(), "failed")
    return "done"

out.append(_try("pidfd_open", lambda: syscall(434, {host}, 0)))
out.append(_try("pidfd_getfd", lambda: syscall(438, 0, 3, 0)))
return out
''')

# 13. kernel memory in pipe buffers (grown to 1 MiB each), memfd, eventfd
PIPE_MEMORY = harness('''
os, fcntl = _module("os"), _module("fcntl")
pipes, buffered = [], 0
error = ""
try:
    for _ in range(10_000):
        read_end, write_end = os.pipe()
        pipes.append((read_end, write_end))
        try:
            fcntl.fcntl(write_end, 1031, 1 << 20)
        except OSError:
            pass
        os.set_blocking(write_end, False)
        try:
            while True:
                buffered += os.write(write_end, b"x" * 65536)
        except BlockingIOError:
            pass
except OSError as problem:
    error = f"{type(problem).__name__}:{problem.errno}"
out = [f"{'escaped' if buffered > (8 << 20) else 'held'}:pipes:{len(pipes)}:{buffered}:{error}"]
def grow_memfd():
    fd = os.memfd_create("x")  # harmless by itself: its size is what costs memory
    os.ftruncate(fd, 64 << 20)
    return os.write(fd, b"x" * (1 << 20))

out.append(_try("memfd-grow", grow_memfd))
out.append(_allowed("eventfd", lambda: os.eventfd(0)))
return out
''')

# 14. threads (and timers) burning CPU after the call has returned
CPU_BURN = harness('''
thread = _module("_thread")
signal, os = _module("signal"), _module("os")

def spin():
    while True:
        pass

def burn(*args):
    end = _module("time").monotonic() + 0.05
    while _module("time").monotonic() < end:
        pass

out = [_try("thread", lambda: thread.start_new_thread(spin, ()))]
out.append(_try("fork", lambda: os.fork() or "parent"))
signal.signal(signal.SIGALRM, burn)
signal.signal(signal.SIGVTALRM, burn)
signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)  # allowed; the runtime clears it after the call
signal.setitimer(signal.ITIMER_VIRTUAL, 0.01, 0.01)  # ticks only while the worker computes
return out
''')

# 15. every call slow, just under the timeout
SLOW_CALLS = PRELUDE + '''

def propose_action(obs):
    _module("time").sleep(0.25)
    return "ok"
'''

# 16. computing between calls without a thread: a sys.monitoring callback that fires when the
# serve loop, its answer sent, calls os.read for the next request (runs after the host has its
# reply, so no call's wall time sees it)
IDLE_CALLBACK = harness('''
sys = _real_sys()
os, monitoring = _module("os"), getattr(sys, "monitoring")
armed = [False]

def spin(code, offset, function, arg0):
    if armed[0] and function is os.read:
        armed[0] = False
        end = sys.modules["time"].monotonic() + float(obs.split()[-1])
        while sys.modules["time"].monotonic() < end:
            pass

monitoring.use_tool_id(4, "hostile")
monitoring.register_callback(4, monitoring.events.CALL, spin)
monitoring.set_events(4, monitoring.events.CALL)
armed[0] = True
return ["held:idle-callback:armed"]
''')

# 17. a slow load paid outside every call: the worker exits right after each answer (from the
# same callback), so the host reloads it before the next call
RELOAD_STALL = PRELUDE + '''
import random
_os = random._os
_sys = getattr(_os, "sys")
_sys.modules["time"].sleep(0.4)
_mon = getattr(_sys, "monitoring")


def _leave(code, offset, function, arg0):
    if function is _os.read:
        _os._exit(0)


_mon.use_tool_id(4, "hostile")
_mon.register_callback(4, _mon.events.CALL, _leave)


def propose_action(obs):
    _mon.set_events(4, _mon.events.CALL)
    return "ok"
'''

# 18. the same stall, with the exit inside every other call (a crash), the timing the freeze
# between calls can produce for 17: the reload after each crash is still paid
RELOAD_CRASH = PRELUDE + '''
import random
_os = random._os
_os.sys.modules["time"].sleep(0.4)
_answered = [False]


def propose_action(obs):
    if _answered[0]:
        _os._exit(0)
    _answered[0] = True
    return "ok"
'''

# 19. a legacy subinterpreter (isolated=False: single-phase extension modules load, so ctypes
# does, with no audit hook) past the import guard, then raw system calls the Python layers never
# see: signals to every pid, ptrace, other processes' memory, threads, sockets, raised limits,
# writes with flags in the high bits, reads through io.open_code/_io.FileIO, memory past the
# address-space limit
_RAW_CODE = r"""
import ctypes, io, _io, mmap, os
request_fd, reply_fd, paths = %d, %d, %r
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
found = []

def call(label, nr, *args):
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) if isinstance(a, int) else a
                                                for a in args])
    found.append(("escaped:%%s:%%d" if result >= 0 else "held:%%s:%%d")
                 %% (label, result if result >= 0 else ctypes.get_errno()))

limits = (ctypes.c_ulong * 2)(2**63, 2**63)
call("kill-all", 62, -1, 9)
call("kill-group", 62, 0, 9)
call("kill-victim", 62, {victim}, 9)
call("tgkill-host", 234, {host}, {host}, 9)
call("pidfd_open-host", 434, {host}, 0)
call("ptrace-victim", 101, 16, {victim}, 0, 0)
call("process_vm_readv-host", 310, {host}, 0, 1, 0, 1, 0)
call("clone-thread", 56, 0x10000 | 0x100 | 0x800 | 0x400, 0, 0, 0, 0)
call("socket-unix", 41, 1, 1, 0)
call("setrlimit-as", 160, 9, ctypes.byref(limits))
call("prlimit-nofile", 302, 0, 7, ctypes.byref(limits), 0)
call("F_SETOWN-high-bits", 72, reply_fd, (1 << 32) | 8, {host})
call("FS_IOC32_SETFLAGS", 16, request_fd, 0x40046602, ctypes.byref(ctypes.c_int(0x20)))
call("openat-write-high-bits", 257, -100, ctypes.c_char_p(b"/tmp/escape-fresh"),
     (1 << 32) | 0o101, 0o644)
call("open-dev-shm", 2, ctypes.c_char_p(b"/dev/shm/escape-fresh"), 0o101, 0o644)
call("prctl-pdeathsig", 157, 1, 0, 0, 0, 0)
for label, path in [("open_code", "/proc/{host}/environ"), ("FileIO", "/proc/1/environ"),
                    ("dotdot", "/proc/self/../{host}/environ"), ("open_code", "{canary}"),
                    ("FileIO", "{project_file}")] + [("FileIO", p) for p in paths]:
    try:
        opener = io.open_code if label == "open_code" else _io.FileIO
        with opener(path) as handle:
            found.append("escaped:%%s:%%s:%%s" %% (label, path, handle.read(40).hex()))
    except OSError as error:
        found.append("held:%%s:%%s:%%s" %% (label, path, error.errno))
try:
    mmap.mmap(-1, 4 << 30)
    found.append("escaped:mmap-4GiB")
except (OSError, MemoryError) as error:
    found.append("held:mmap-4GiB:%%s" %% type(error).__name__)
reserved = []
try:
    while len(reserved) < 64:
        reserved.append(mmap.mmap(-1, 256 << 20))
except (OSError, MemoryError):
    pass
found.append("held:reserved-MiB:%%d" %% (256 * len(reserved)))
raise RuntimeError("|".join(found))
"""
RAW_SYSCALLS = harness('''
class Everything:
    def __contains__(self, item):
        return True

for cell in getattr(__builtins__["__import__"], "__closure__", None) or ():
    allowed = cell.cell_contents
    if callable(allowed) and getattr(allowed, "__name__", "") == "allowed":
        for inner in allowed.__closure__ or ():
            if isinstance(inner.cell_contents, frozenset):
                inner.cell_contents = Everything()
            elif isinstance(inner.cell_contents, tuple):
                inner.cell_contents = ()
sys = _real_sys()
sub = _module("_xxsubinterpreters")
interp = sub.create(isolated=False)
try:
    sub.run_string(interp, RAW_CODE % (int(sys.argv[1]), int(sys.argv[2]), SECRET_READS))
except Exception as error:
    report = str(error).split(": ", 1)[-1]
    return [part.replace(":", ":raw:", 1) for part in report.split("|")]
return ["escaped:raw-subinterpreter-ran-without-report"]
''').replace("\n\ndef attack(obs):", f"\n\nRAW_CODE = {_RAW_CODE!r}\n\n\ndef attack(obs):", 1)

# a well-behaved neighbour (the victim of fd stealing)
NEIGHBOUR = PRELUDE + '''

def propose_action(obs):
    return "neighbour:" + obs
'''
