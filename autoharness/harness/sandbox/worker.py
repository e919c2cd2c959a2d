"""The sandbox worker: one long-lived confined process per harness, answering calls over a pipe.

Run as ``python -S -B worker.py REQUEST_FD REPLY_FD HOST_PID WORKDIR`` by the host; stdlib only
(it loads its sibling modules by path, without the ``autoharness`` package). Three processes, of
which only the last runs harness code:

**The launcher** (the process the host started, in the host's PID namespace): parent-death
signal on the host, reads the init message (marshal, from the trusted host), unshares new PID,
network, IPC and UTS namespaces (inside a new user namespace when not root, ``confine.py``) and
forks.
**The init** (PID 1 of the new PID namespace): parent-death signal on the launcher; forks the
worker and waits. When it dies — because the launcher died, because the host died or killed the
launcher — the kernel kills everything in the namespace, whatever the worker did to its own
parent-death signal. Each of the two waits for its child and exits with its status (a signal
``n`` as ``128 + n``).

**The worker** (PID 2), in this order, before any harness code runs: a private mount namespace
whose root holds only the allowed directories (``private_root``), imports of what the harness
imports, no-new-privs, Landlock (read-only beneath the allowed paths, signals scoped), a dedicated
uid (as root) or no capabilities (in the user namespace), the parent-death signal again
(credential changes clear it), non-dumpable, rlimits, the seccomp filter (``seccomp.py``); then
the SETUP frame reporting every layer (with the reason for each missing one), a refusal if
isolation is required and a kernel layer is missing, the advisory Python guards (``guards.py``),
the harness load and the request loop (``serve.py``).
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"_autoharness_sandbox_{name}",
                                                  os.path.join(_HERE, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _parent_alive(lifeline: int) -> bool:
    """The launcher holds the write end of ``lifeline``: HUP means it is gone."""
    import select

    poller = select.poll()
    poller.register(lifeline, select.POLLIN)
    return not poller.poll(0)


def _shared_library_dirs() -> list[str]:
    """Directories of the shared libraries mapped now (libc's is where the rest live)."""
    found: set[str] = set()
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.rstrip("\n").split(None, 5)[-1]
                if path.startswith("/") and ".so" in os.path.basename(path):
                    found.add(os.path.dirname(os.path.realpath(path)))
    except OSError:
        pass
    return sorted(found)


def _fork_and_wait(close_in_parent: list[int]) -> None:
    """Fork. The parent closes ``close_in_parent``, waits for the child and exits with its
    status (a signal ``n`` as ``128 + n``); only the child returns."""
    try:
        pid = os.fork()
    except OSError as error:
        print(f"sandbox launcher: fork failed: {error}", file=sys.stderr)
        os._exit(3)
    if pid == 0:
        return
    for fd in close_in_parent:
        os.close(fd)
    while True:
        try:
            status = os.waitpid(pid, 0)[1]
            break
        except InterruptedError:
            continue
    code = os.waitstatus_to_exitcode(status)
    os._exit(128 - code if code < 0 else code)


def _readable_by_others(paths: list[str]) -> str | None:
    """None if every path (and its ancestors) is readable by any uid, else the first one that
    is not: where a dedicated uid without a private root could not import anything."""
    import stat

    for path in paths:
        current = os.path.realpath(path)
        while True:
            try:
                mode = os.stat(current).st_mode
            except OSError:
                break
            need = stat.S_IXOTH | (stat.S_IROTH if current == os.path.realpath(path) else 0)
            if mode & need != need:
                return current
            if current == "/":
                break
            current = os.path.dirname(current)
    return None


def main(argv: list[str]) -> None:  # noqa: C901, PLR0915 - one linear set-up sequence
    import marshal
    import signal

    request_fd, reply_fd, host_pid, workdir = int(argv[1]), int(argv[2]), int(argv[3]), argv[4]
    if sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
        del sys.path[0]  # harness code imports nothing from the package directory
    sys.dont_write_bytecode = True
    protocol, codec, serve = _load("protocol"), _load("codec"), _load("serve")
    confine, landlock, seccomp, guards = (_load("confine"), _load("landlock"), _load("seccomp"),
                                          _load("guards"))
    libc = confine.Libc()
    layers: dict[str, tuple[bool, str | None]] = {}
    layers["pdeathsig"] = (libc.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL), None)
    if os.getppid() != host_pid:
        os._exit(0)  # the host is already gone
    channel = serve.Channel(request_fd, reply_fd, protocol.LEN)
    init_frame = channel.read_frame()
    if init_frame is None:
        os._exit(0)
    init = marshal.loads(init_frame)
    disabled = set(init["disable"])
    root = os.geteuid() == 0

    # -- launcher: namespaces, then fork ---------------------------------------------------------
    wanted = [name for name in ("pidns", "netns") if name not in disabled] + ["ipcns", "utsns"]
    namespaces = confine.enter_namespaces(wanted)
    in_user_namespace = not root and namespaces.get("userns") is None
    lifeline, lifeline_w = os.pipe()
    _fork_and_wait([request_fd, reply_fd, lifeline])
    # the child: PID 1 of the new PID namespace, if there is one
    os.close(lifeline_w)
    libc.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
    if not _parent_alive(lifeline):
        os._exit(0)
    init_of_namespace = os.getpid() == 1
    if init_of_namespace:
        # This process stays the namespace's init and runs no harness code: when it dies
        # (the launcher died, and with it the host), the kernel kills the worker too, whatever
        # the worker did to its own parent-death signal.
        _fork_and_wait([request_fd, reply_fd])

    # -- the worker ------------------------------------------------------------------------------
    for name in ("pidns", "netns", "ipcns", "utsns", "userns"):
        if name in namespaces or name in wanted:
            reason = namespaces.get(name, "disabled")
            layers[name] = (reason is None, reason)
    if root:
        layers["userns"] = (False, "not needed as root: the worker drops to a dedicated uid")
    if "pidns" in disabled:
        layers["pidns"] = (False, "disabled")
    if "netns" in disabled:
        layers["netns"] = (False, "disabled")
    if layers.get("pidns", (False,))[0]:
        layers["pidns"] = ((True, "the worker is PID 2 under an init that runs no harness code")
                           if init_of_namespace else
                           (False, "the worker's parent is not PID 1 of a new PID namespace"))
    devnull = os.open(os.devnull, os.O_RDWR)
    max_fds = max(confine.highest_fd() + 1, 8) + 8
    expose = list(init["expose"]) + _shared_library_dirs()
    expose_files = ["/etc/ld.so.cache"]
    private = False
    if "mountns" in disabled:
        layers["mountns"] = (False, "disabled")
    else:
        try:
            os.unshare(os.CLONE_NEWNS)
            reason = confine.private_root(libc, expose, expose_files, init["listable"])
        except OSError as error:
            reason = f"unshare(CLONE_NEWNS) failed: {error.strerror}"
        private = reason is None
        layers["mountns"] = (private, reason or "a private root with the Python installation "
                                                 "and allowed packages only")

    import importlib
    import linecache
    import random
    import traceback  # noqa: F401 - imported before the audit hook, used by describe_exception
    import warnings  # noqa: F401 - numpy warns through it

    for module in init["preimport"]:
        try:  # noqa: SIM105 - no contextlib import for this
            importlib.import_module(module)
        except BaseException:  # the harness will get its own ImportError when it runs
            pass
    numpy = sys.modules.get("numpy")
    seed = init["seed"]
    if seed is not None:
        random.seed(seed)
        if numpy is not None:
            try:  # noqa: SIM105
                numpy.random.seed(seed % 2**32)
            except Exception:
                pass

    nnp = libc.prctl(confine.PR_SET_NO_NEW_PRIVS, 1)
    layers["no_new_privs"] = (nnp, None if nnp else libc.error())
    if "landlock" in disabled:
        layers["landlock"] = (False, "disabled")
    else:
        version, reason = landlock.restrict(libc.ctypes, libc.lib, expose + expose_files,
                                            init["listable"])
        layers["landlock"] = (reason is None, reason or f"ABI {version}")
    uid = int(init["uid"])
    if "uid" in disabled:
        layers["uid"] = (False, "disabled")
    else:
        unreadable = None if private or not root else _readable_by_others(expose)
        if unreadable:
            layers["uid"] = (False, f"kept root: {unreadable} is not readable by other uids and "
                                    "no private root could be built")
        else:
            reason = confine.drop_privileges(libc, uid, in_user_namespace)
            detail = (f"uid {uid}, no capabilities" if root else
                      f"uid {os.geteuid()} in a user namespace, no capabilities"
                      if in_user_namespace else
                      f"uid {os.geteuid()}, the user's own (no user namespace), no capabilities")
            layers["uid"] = (reason is None, reason or detail)
    layers["pdeathsig"] = (libc.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL), None)
    if not _parent_alive(lifeline):
        os._exit(0)
    os.close(lifeline)
    libc.prctl(confine.PR_SET_DUMPABLE, 0)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)  # stderr was the startup log; from here on, output goes nowhere
    os.close(devnull)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past RLIMIT_FSIZE fails, no kill
    if "rlimits" not in disabled:
        for name, active in confine.set_rlimits(init["memory_mb"], init["cpu_seconds"],
                                                max_fds).items():
            layers[name] = (active, None)
        layers["rlimit_nofile"] = (layers["rlimit_nofile"][0], f"{max_fds} descriptors")
    if "seccomp" in disabled:
        layers["seccomp"] = (False, "disabled")
    elif not nnp:
        layers["seccomp"] = (False, "no-new-privs could not be set")
    else:
        reason = seccomp.install(libc.lib.prctl, libc.ctypes)
        layers["seccomp"] = (reason is None, reason)
    for name in [n for n in sys.modules if n == "ctypes" or n.startswith(("ctypes.", "_ctypes"))]:
        del sys.modules[name]  # harness code gets a readable refusal, not ctypes
    del libc

    # -- advisory Python layers, then the harness ------------------------------------------------
    allowed_top = frozenset(init["allowed"]) | guards.RUNTIME_EXTRA
    denied = tuple(init["denied"])

    def allowed(module: str) -> bool:
        return module.split(".", 1)[0] in allowed_top and not any(
            module == d or module.startswith(d + ".") for d in denied)

    filename = init["filename"]
    state: dict = {"blocked": []}
    guard = "import_guard" not in disabled
    harness_globals = guards.harness_namespace(filename, allowed, state, guard)
    harness_globals.update(init.get("constants", {}))  # ENGINE_PROFILE: common.PROFILE_CONSTANT
    layers["restricted_builtins"] = (True, None)
    layers["import_guard"] = (guard, None if guard else "disabled")
    source = init["source"]
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    code = compile_error = None
    try:
        code = compile(source, filename, "exec")
    except BaseException as error:
        compile_error = error
    cwd = os.path.normpath(workdir)  # already deleted by the host: os.getcwd() would fail
    roots = {os.path.normpath(p) for p in (*expose, *[p for p in sys.path if os.path.isabs(p)])}
    roots |= {os.path.realpath(p) for p in roots}
    read_roots = tuple(sorted(r.rstrip(os.sep) + os.sep for r in roots if r != os.sep))
    hook = "audit_hook" not in disabled
    if hook:
        sys.addaudithook(guards.audit_hook(state, allowed, read_roots, cwd))
    layers["audit_hook"] = (hook, None if hook else "disabled")
    report = protocol.setup_report(layers)
    channel.send(protocol.frame(protocol.FRAME_SETUP, 0, 0, [protocol.encode_item(report)],
                                protocol.REPLY_FINAL))
    if init["require"]:  # refuse before any harness code runs
        missing = protocol.missing_layers({k: v[0] for k, v in layers.items()},
                                          {k: v[1] for k, v in layers.items() if v[1]},
                                          skip=("host_nondumpable",))
        if missing:
            refusal = protocol.Fail("blocked", "harness failed to load: isolation is required "
                                    "and the sandbox lacks " + "; ".join(
                                        f"{k}: {v}" for k, v in missing.items()))
            channel.send(protocol.frame(protocol.FRAME_LOADED, 0, 0,
                                        [protocol.encode_item(refusal)], protocol.REPLY_FINAL))
            os._exit(0)
    run = serve.make_runner(protocol, filename, state["blocked"])
    serve.load_and_serve(protocol, codec, channel, init, code, compile_error, harness_globals,
                         run, numpy)


if __name__ == "__main__":
    main(sys.argv)
