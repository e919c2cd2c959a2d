"""Where per-game work runs: processes on this machine, or tasks on a Ray cluster.

Both executors take a module-level function and its (picklable) arguments and hand back a
``concurrent.futures.Future``; ``bench`` and ``learn --games`` submit the same tasks to either,
so a Ray run computes exactly what a local run computes. Results come back to the driver, which
alone writes files.

- ``LocalExecutor(jobs)``: a forkserver process pool of ``jobs`` processes; ``jobs == 1`` runs the
  tasks in this process, one at a time in one thread (engines share module-level random state, so
  two threads must never step engines at once). A pool broken by a dying worker is replaced for
  the next task.
- ``RayExecutor(address, num_cpus)``: ``ray.init`` (``address`` None/"local": a new local instance
  with ``num_cpus`` CPUs; "auto": the cluster started on this machine or ``RAY_ADDRESS``;
  ``HOST:PORT`` or ``ray://HOST:PORT``: that cluster), then one Ray task per submitted call (one
  CPU each). Ray schedules; we do not. A Ray already initialised in this process is used as is
  and left running.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
import select
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

RAY_INSTALL = "pip install 'autoharness[ray]'"
# The flag's help (rich markup: the bracket is escaped).
RAY_HELP = ("Run the per-game tasks on Ray: no value starts a local Ray (--jobs CPUs), 'auto' "
            "joins the cluster started on this machine (ray start --head), HOST:PORT or "
            "ray://HOST:PORT joins that cluster. Needs pip install 'autoharness\\[ray]'.")
#: AUTOHARNESS_* variables that decide what a task computes (the harness search path, refusing
#: to run without isolation, the sandbox's uid and cgroup), sent to Ray workers with the tasks.
TASK_ENVIRONMENT = ("AUTOHARNESS_HARNESSES", "AUTOHARNESS_REQUIRE_ISOLATION",
                    "AUTOHARNESS_SANDBOX_UID", "AUTOHARNESS_CGROUP")


class ExecutorError(RuntimeError):
    """The executor cannot start: Ray not installed, or its cluster not reachable."""


class Executor(Protocol):
    slots: int  # tasks that run at once
    description: str  # for progress lines: "2 local processes", "Ray (4 CPUs)"

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


class _ContextManager:
    def close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalExecutor(_ContextManager):
    def __init__(self, jobs: int) -> None:
        self.slots = max(1, jobs or os.cpu_count() or 1)
        self.description = ("1 process (in line)" if self.slots == 1
                            else f"{self.slots} local processes")
        self._pool: futures.Executor | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future:
        with self._lock:
            if self._pool is None or getattr(self._pool, "_broken", False):
                if self._pool is not None:
                    self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
            if self.slots == 1:
                return self._pool.submit(fn, *args, **kwargs)
            # The forkserver keeps the environment it started with: send today's with the task.
            return self._pool.submit(_in_environment, task_environment(), fn, *args, **kwargs)

    def _new_pool(self) -> futures.Executor:
        if self.slots == 1:
            return futures.ThreadPoolExecutor(1, thread_name_prefix="autoharness-task")
        context = multiprocessing.get_context("forkserver")
        return futures.ProcessPoolExecutor(self.slots, mp_context=context,
                                           initializer=_exit_with, initargs=(os.getpid(),))

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None


def _exit_with(driver: int) -> None:
    """A pool worker's initializer: exit as soon as the driver process is gone. A worker waits
    on its task queue, whose writing end it holds itself, so a driver killed with SIGKILL left
    its workers (and the forkserver and resource tracker, which wait for them) running forever."""
    try:
        handle: int | None = os.pidfd_open(driver)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux >= 5.3): poll the pid instead
        handle = None
    threading.Thread(target=_watch_driver, args=(driver, handle), daemon=True,
                     name="autoharness-driver-watch").start()


def _watch_driver(driver: int, handle: int | None) -> None:
    if handle is not None:
        select.select([handle], [], [])  # a pidfd turns readable when its process exits
    else:
        while _alive(driver):
            time.sleep(1.0)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _in_environment(environment: dict[str, str], fn: Callable[..., Any], /, *args: Any,
                    **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` with the driver's ``TASK_ENVIRONMENT`` variables as they were
    when the task was submitted (set, or unset when the driver has them unset)."""
    for name in TASK_ENVIRONMENT:
        if name in environment:
            os.environ[name] = environment[name]
        else:
            os.environ.pop(name, None)
    return fn(*args, **kwargs)


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ExecutorError(f"--ray needs Ray, which is not installed: {RAY_INSTALL}") from None
    return ray


def task_environment() -> dict[str, str]:
    return {name: os.environ[name] for name in TASK_ENVIRONMENT if name in os.environ}


class RayExecutor(_ContextManager):
    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        ray = self._ray = import_ray()
        self._owned = False
        self._options: dict[str, Any] = {}
        environment = task_environment()
        if not ray.is_initialized():
            local = address in (None, "", "local")
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if local and num_cpus:
                options["num_cpus"] = num_cpus
            if environment:
                options["runtime_env"] = {"env_vars": environment}
            if not local:
                check_reachable(address)
            try:
                ray.init(address="local" if local else address, **options)
            except (ConnectionError, RuntimeError, ValueError) as error:
                where = "start a local Ray" if local else f"reach the Ray cluster at {address}"
                raise ExecutorError(f"--ray: cannot {where}: {_first_line(error)}") from None
            self._owned = True
        elif environment:  # someone else's ray.init: send the variables with each task
            self._options["runtime_env"] = {"env_vars": environment}
        self._remote: dict[Callable[..., Any], Any] = {}
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.slots = max(1, cpus)
        self.description = f"Ray ({cpus} CPUs)"

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future:
        remote = self._remote.get(fn)
        if remote is None:
            remote = self._remote[fn] = self._ray.remote(fn).options(num_cpus=1, **self._options)
        return remote.remote(*args, **kwargs).future()

    def close(self) -> None:
        if self._owned and self._ray.is_initialized():
            self._ray.shutdown()
        self._owned = False


def _cluster_address(address: str) -> str | None:
    """The HOST:PORT that ``address`` means (``auto``: ``RAY_ADDRESS`` or the cluster last
    started on this machine), or None when there is none to check."""
    if address == "auto":
        address = os.environ.get("RAY_ADDRESS", "")
        if not address:
            try:
                address = Path("/tmp/ray/ray_current_cluster").read_text().strip()
            except OSError:
                return None  # Ray says there is no cluster itself
    address = address.removeprefix("ray://")
    return address if ":" in address else None


def check_reachable(address: str, timeout: float = 5.0) -> None:
    """Ray retries an unreachable cluster for minutes, printing as it goes: knock first."""
    target = _cluster_address(address)
    if target is None:
        return
    host, _, port = target.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise ExecutorError(f"--ray: cannot reach the Ray cluster at {target} ({reason}); start "
                            "it with `ray start --head` or give its address") from None
    if not address.startswith("ray://"):  # a Ray Client server speaks no GCS
        problem = _gcs_problem(target, timeout=3 * timeout)
        if problem is not None:
            raise ExecutorError(f"--ray: no Ray cluster answers at {target} ({problem}); start "
                                "it with `ray start --head` or give its address")


#: One GCS request, in a child process: something else listening on the port (a proxy, another
#: service) otherwise makes ``ray.init`` retry for 20 s printing a line a second, and a port
#: that accepts and stays silent makes it wait 40 s.
_GCS_PROBE = """
import sys
try:
    from ray._raylet import GcsClient
except ImportError:
    sys.exit(0)  # no such private API in this Ray: let ray.init decide
try:  # as ray.init does: a token on this machine turns token authentication on
    from ray._private.authentication.authentication_token_setup import (
        maybe_enable_token_auth_if_token_available)
    maybe_enable_token_auth_if_token_available(warn_if_disabled=False)
except Exception:
    pass
print("asking", flush=True)  # the timeout runs from here, not from the (slow) import
try:
    GcsClient(address=sys.argv[1]).cluster_id
except Exception as error:
    text = str(error).strip()
    if "auth" in text.lower():
        sys.exit(0)  # a cluster answered: whether we may join is ray.init's to say
    print(text.splitlines()[0] if text else type(error).__name__)
    sys.exit(1)
"""


IMPORT_GRACE = 60.0  # seconds the probe may take to import Ray on a loaded machine


def _gcs_problem(target: str, timeout: float) -> str | None:
    """Why no Ray GCS answers at ``target`` (HOST:PORT) within ``timeout`` s, or None."""
    import subprocess
    import sys

    probe = subprocess.Popen([sys.executable, "-c", _GCS_PROBE, target], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert probe.stdout is not None
    try:
        ready, _, _ = select.select([probe.stdout], [], [], IMPORT_GRACE)
        first = probe.stdout.readline() if ready else ""
        if first.strip() != "asking":  # no Ray to probe with, or its import hung: leave it
            return None  # to ray.init
        rest, _ = probe.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"no answer within {timeout:g} s"
    finally:
        if probe.poll() is None:
            probe.kill()
            probe.wait()
    if probe.returncode == 0:
        return None
    return rest.strip() or f"the probe exited with {probe.returncode}"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def make_executor(jobs: int, ray_address: str | None, *, use_ray: bool) -> Executor:
    """``RayExecutor`` when ``use_ray`` (``--ray`` given, ``ray_address`` its value or None),
    else ``LocalExecutor(jobs)``. Raises ``ExecutorError`` (one line) when Ray cannot start."""
    if use_ray:
        return RayExecutor(ray_address, num_cpus=jobs or None)
    return LocalExecutor(jobs)
