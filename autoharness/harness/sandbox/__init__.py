"""The harness sandbox: untrusted harness code runs in a confined worker process.

The trust boundary is the kernel. Each worker (``worker.py``) is, before any harness code runs:

* **its own PID namespace** (it is PID 1; no host pid can be named; when it dies everything in
  it dies), **network namespace** (no interfaces) and **IPC namespace**; as a normal user all
  inside a user namespace that maps only the user's own uid;
* **a private root** (mount namespace): a tmpfs with read-only bind mounts of the Python
  installation, the allowlisted packages and the shared libraries only — no /proc, /etc, /dev,
  home or project files;
* **Landlock**: reading only beneath those same paths, no writes anywhere, signals and abstract
  sockets scoped to the worker;
* **unprivileged**: as root, a dedicated uid (``host.worker_uid``) with no groups and no
  capabilities; in a user namespace, no capabilities;
* **no-new-privs**, a **parent-death signal** (set after the last credential change, and
  unchangeable under seccomp), **non-dumpable**;
* **rlimits** (``confine.set_rlimits``): address space, CPU, file size 0, no core, no new
  processes or threads, few descriptors, no locked memory;
* **seccomp** (``seccomp.py``, x86-64): an allowlist with argument filters on open, fcntl,
  ioctl and prlimit; no prctl, clone, sockets, kill, pipes, ...
* a **cgroup** of its own (memory.max, pids.max, cpu.max) where one is delegated (``cgroup.py``).

The host (``process.py``, ``sandboxed.py``) makes itself non-dumpable before the first worker
starts, gives the worker a scrubbed environment, parses every reply byte as hostile
(``replies.py``, ``codec.py``; no pickle), kills a worker that times out or breaks the protocol,
enforces a cumulative time budget (``budget.py``), holds a batch of values to four values' worth
of bytes, holds every action a harness hands the engine to ``DEFAULT_MAX_ACTION_LEN`` characters
(``common.limit_actions``: the engine's own regexes are quadratic in an action's length and run in
the host, beyond any harness timeout) and redacts secrets from everything a harness returns
(``autoharness.secrets``). Every layer is reported (``SandboxedHarness.protections`` /
``layer_details``, ``isolation.describe()``), with the reason for each missing one; the Python-
level guards (``guards.py``) are advisory, for readable refusals.
"""
