"""``SandboxedHarness``: a harness running in its own confined worker process."""

from __future__ import annotations

import contextlib
import marshal
import os
import threading
import time
import weakref
from collections.abc import Iterable

from autoharness.harness.checks import (
    ALLOWED_IMPORTS,
    DENIED_MODULES,
    imported_modules,
    module_allowed,
    validate_source,
)
from autoharness.harness.sandbox import cgroup, host
from autoharness.harness.sandbox import protocol as proto
from autoharness.harness.sandbox.budget import TimeBudget
from autoharness.harness.sandbox.common import (
    DEFAULT_MAX_ACTION_LEN,
    DEFAULT_MAX_VALUE_BYTES,
    CallFailure,
    HarnessStats,
    deliver,
    fill,
    function_name,
    harness_constants,
    limit_actions,
    prepare_call,
    text,
)
from autoharness.harness.sandbox.isolation import required as isolation_required
from autoharness.harness.sandbox.paths import readable_paths
from autoharness.harness.sandbox.process import (
    STARTUP_TIMEOUT,
    Died,
    Stale,
    Timeout,
    Violation,
    WorkerProcess,
    describe_exit,
)
from autoharness.harness.sandbox.replies import (
    WANT_BOOL,
    WANT_STR,
    WANT_VALUE,
    encode_text,
    parse_items,
    parse_loaded,
    parse_setup,
    texts,
)
from autoharness.worldmodel.derive import complete as complete_world_model

#: Layers ``disable=`` can turn off (for tests of the others).
LAYERS = frozenset({"netns", "pidns", "mountns", "landlock", "uid", "rlimits", "seccomp",
                    "cgroup", "audit_hook", "import_guard"})
DEFAULT_BUDGET = TimeBudget()
_DIED_SETTLE = 0.5  # seconds to let a dying launcher exit with the worker's own status

_instances: weakref.WeakSet = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for harness in list(_instances):
        harness._lock = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class SandboxedHarness:
    """A harness running in its own confined worker process (see ``sandbox/__init__.py``).

    ``timeout`` is per call (per item of a batch); ``memory_mb`` the worker's address-space
    limit (None: unlimited); ``seed`` seeds ``random`` and numpy at every (re)spawn;
    ``max_action_len`` caps proposals (longer ones fail as ``too_large`` and are not shipped);
    ``max_value_bytes`` caps a generic call's encoded arguments and result; ``budget`` is the
    cumulative time budget (``TimeBudget``; None: none) — over it, the harness is cut off and
    every later call fails as ``slow``. ``check=False`` skips the static checks (tests of the
    runtime itself). ``disable`` turns sandbox layers off, for tests of the others: any of
    ``LAYERS``. ``require_isolation`` (default: ``isolation.required()``) makes the worker refuse
    to run the harness when a kernel layer is missing (every call then fails as ``blocked``).
    ``engine`` (an engine profile) is what the harness's module constant ``ENGINE_PROFILE`` says.
    The worker starts at construction, without waiting; a harness that fails to load
    (exception, timeout, refused import at module level) makes every call return that failure.

    In a batch, every item has its own ``timeout``; a timed-out item fails, and so do the items
    after it (not run). When the worker has to be killed from outside (signals blocked, a long C
    call) results it finished in the last few milliseconds before the hang are lost with it and
    also reported as timeouts. Instances are thread-safe (calls are serialized) and fork-safe
    (a forked child starts its own worker on first use).
    """

    def __init__(self, source: str, *, name: str = "<harness>", timeout: float = 1.0,
                 memory_mb: int | None = 1024, seed: int | None = None,
                 max_action_len: int = DEFAULT_MAX_ACTION_LEN, check: bool = True,
                 load_timeout: float = 10.0,
                 cpu_seconds: int = 3600, disable: Iterable[str] = (),
                 max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES,
                 budget: TimeBudget | None = DEFAULT_BUDGET,
                 require_isolation: bool | None = None, engine: str = "stock") -> None:
        if not isinstance(source, str):
            raise TypeError(f"source must be str, not {type(source).__name__}")
        source = complete_world_model(source)  # a world-model-only file gains propose/eval
        self.source = source
        if check:
            validate_source(source)
        disabled = frozenset(disable)
        if disabled - LAYERS:
            raise ValueError(f"unknown sandbox layers {sorted(disabled - LAYERS)}; "
                             f"known: {sorted(LAYERS)}")
        if timeout <= 0 or max_action_len <= 0:
            raise ValueError("timeout and max_action_len must be positive")
        self.name = name
        self.timeout = float(timeout)
        self.grace = 0.2 + 0.1 * self.timeout
        self.max_action_len = int(max_action_len)
        self.max_value_bytes = int(max_value_bytes)
        self.cpu_seconds = int(cpu_seconds)
        self.load_timeout = float(load_timeout)
        self.memory_mb = memory_mb
        self.seed = seed
        self.engine = engine
        self.stats = HarnessStats()
        self.meter = budget.meter() if budget is not None else None
        self.require_isolation = (isolation_required() if require_isolation is None
                                  else bool(require_isolation))
        self._disabled = disabled
        readable, listable = readable_paths()
        self._init_fields = {
            "source": source, "filename": name, "timeout": self.timeout,
            "load_timeout": self.load_timeout, "memory_mb": memory_mb,
            "cpu_seconds": self.cpu_seconds + 5, "seed": seed,
            "max_action_len": self.max_action_len, "max_value_bytes": self.max_value_bytes,
            "allowed": sorted(ALLOWED_IMPORTS), "denied": sorted(DENIED_MODULES),
            "preimport": [m for m in imported_modules(source) if module_allowed(m)],
            "disable": sorted(disabled), "expose": list(readable), "listable": list(listable),
            "require": self.require_isolation, "constants": harness_constants(engine),
        }
        self._lock = threading.RLock()
        self._worker: WorkerProcess | None = None
        self._ready = False
        self._broken: CallFailure | None = None
        self._closed = False
        self._protections: dict[str, bool] | None = None
        self._details: dict[str, str] = {}
        self._defined: frozenset[str] = frozenset()
        self._frozen_layer = False
        _instances.add(self)
        with contextlib.suppress(OSError):
            self._spawn()

    # -- public API --

    def propose(self, obs: str) -> str | CallFailure:
        return self._call(proto.OP_PROPOSE, text(obs), texts([]), 1, WANT_STR)[0]

    def evaluate(self, obs: str, action: str) -> bool | CallFailure:
        return self._call(proto.OP_EVAL, text(obs), texts([text(action)]), 1, WANT_BOOL)[0]

    def evaluate_many(self, obs: str, actions: list[str]) -> list[bool | CallFailure]:
        actions = [text(a) for a in actions]
        if not actions:
            return []
        return self._call(proto.OP_EVAL_MANY, text(obs), texts(actions, counted=True),
                          len(actions), WANT_BOOL)

    def propose_many(self, observations: list[str]) -> list[str | CallFailure]:
        observations = [text(o) for o in observations]
        if not observations:
            return []
        first = observations[0]
        if len(observations) > 1 and all(o is first or o == first for o in observations):
            return self._call(proto.OP_PROPOSE_REPEAT, first, [proto.LEN.pack(len(observations))],
                              len(observations), WANT_STR)
        return self._call(proto.OP_PROPOSE_MANY, None, texts(observations, counted=True),
                          len(observations), WANT_STR)

    def defines(self, name: str) -> bool:
        """Whether the harness defines a callable ``name`` (one of ``CALLABLE_FUNCTIONS``);
        waits for the harness to load. False for a harness that failed to load."""
        function_name(name)
        with self._lock:
            if not self._closed and self._broken is None and not self._ready:
                self._ready_worker()
            return name in self._defined

    def call(self, name: str, *args: object) -> object:
        """``name(*args)`` in the worker: a plain value (see ``sandbox/codec.py``) or a
        ``CallFailure`` (``missing`` when the harness does not define ``name``). Arguments must
        be plain values too (``TypeError`` otherwise); both ways are limited to
        ``max_value_bytes`` encoded. The per-call ``timeout`` applies."""
        return self.call_many(name, [args])[0]

    def call_many(self, name: str, arg_tuples: Iterable[tuple]) -> list:
        """``call`` for each argument tuple, in one round trip (per-item results and timeouts;
        after a timed-out item the rest fail as not run)."""
        encoded, refused = prepare_call(self, name, arg_tuples)
        if refused is not None:
            return refused
        parts = texts([name])
        parts.append(proto.LEN.pack(len(encoded)))
        for data in encoded:
            parts.append(proto.LEN.pack(len(data)))
            parts.append(data)
        return limit_actions(self.stats, name,
                             self._call(proto.OP_CALL, None, parts, len(encoded), WANT_VALUE),
                             self.max_action_len)

    @property
    def protections(self) -> dict[str, bool]:
        """Which sandbox layers are active (starts the worker if needed)."""
        with self._lock:
            if self._protections is None and not self._closed:
                self._ready_worker()
            found = dict(self._protections or {})
        return {"process": True, "kill_on_timeout": True, "scrubbed_env": True, "tmp_cwd": True,
                "host_nondumpable": host.harden() is None,
                "cgroup": "cgroup" not in self._disabled and cgroup.delegated()[0] is not None,
                "time_budget": self.meter is not None,
                "frozen_between_calls": self._frozen_layer, **found}

    @property
    def layer_details(self) -> dict[str, str]:
        """For each layer with something to say: what it is (active) or why it is missing."""
        self.protections  # noqa: B018 - starts the worker if needed
        details = dict(self._details)
        reason = host.harden()
        if reason:
            details["host_nondumpable"] = reason
        details["cgroup"] = "disabled" if "cgroup" in self._disabled else cgroup.delegated()[1]
        if self.meter is not None:
            details["time_budget"] = self.meter.budget.describe()
        return details

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._discard()

    def __enter__(self) -> SandboxedHarness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        pid = self._worker.proc.pid if self._worker else None
        return f"<SandboxedHarness {self.name} worker={pid} calls={self.stats.calls}>"

    # -- internals --

    def _spawn(self) -> WorkerProcess:
        if self.require_isolation and host.harden() is not None:
            self._broken = CallFailure("blocked", "isolation is required and the host cannot be "
                                                  f"made non-dumpable: {host.harden()}")
            raise OSError(self._broken.message)
        if self.stats.spawns:
            self.stats.respawns += 1
        self.stats.spawns += 1
        self._ready = False
        init = marshal.dumps({**self._init_fields, "uid": host.worker_uid()})
        self._worker = WorkerProcess(proto.LEN.pack(len(init)) + init, self.seed,
                                     self.memory_mb, "cgroup" not in self._disabled)
        return self._worker

    def _discard(self, settle: float = 0.0) -> int | None:
        worker, self._worker, self._ready = self._worker, None, False
        if worker is None:
            return None
        if not worker.owned:
            worker.abandon()
            return None
        return worker.kill(settle)

    def _fail_startup(self, kind: str, message: str) -> CallFailure:
        failure = CallFailure(kind, message)
        self._broken = failure
        return failure

    def _ready_worker(self) -> WorkerProcess | CallFailure:
        if self._broken is not None:
            return self._broken
        entered = time.monotonic()
        worker = self._worker
        if worker is not None and not worker.owned:
            self._discard()
            worker = None
        if worker is not None and self._ready:
            if worker.busy > 0.9 * self.cpu_seconds:
                self.stats.recycles += 1
                self._discard()
                worker = None
            elif worker.poller.poll(0) or (worker.pidfd is None and not worker.alive()):
                self.stats.idle_replacements += 1  # exited, or wrote while nobody asked
                self._discard()
                worker = None
        if worker is None:
            try:
                worker = self._spawn()
            except (OSError, Died, Timeout) as error:
                self._discard()
                if self._broken is not None:  # refused (isolation required), for good
                    return self._broken
                return CallFailure("crash", f"cannot start the worker: {error}")
        if self._ready:
            return worker
        try:
            self._protections, self._details = parse_setup(
                worker.recv(worker.started + STARTUP_TIMEOUT, 1 << 16))
            loaded = worker.recv(time.monotonic() + self.load_timeout + self.grace + 1.0,
                                 1 << 16)
            result = parse_loaded(loaded)
        except Timeout:
            self._discard()
            return self._fail_startup("timeout", "harness failed to load: no answer within "
                                                 f"{self.load_timeout:g} s")
        except Died:
            log = worker.startup_log()
            kind, message = describe_exit(self._discard(_DIED_SETTLE))
            return self._fail_startup(kind, f"harness failed to load: {message}{log}")
        except Violation as error:
            self._discard()
            return self._fail_startup("crash", f"harness failed to load: protocol violation: "
                                               f"{error}")
        if isinstance(result, CallFailure):
            self._discard()
            return self._fail_startup(result.kind, result.message)
        now = time.monotonic()
        self.stats.startup_seconds += now - worker.started
        if self.meter is not None and self.stats.respawns:  # the wait for a reload counts
            self.meter.add_overhead(now - max(entered, worker.started))  # (the first: floor)
        self._defined = result
        self._ready = True
        worker.find_worker()
        self._frozen_layer = worker.worker_pidfd is not None
        worker.freeze()
        return worker

    def _over_budget(self, count: int) -> list[CallFailure] | None:
        meter = self.meter
        if meter is None:
            return None
        message = meter.check()
        if message is None:
            return None
        self._discard()
        return [CallFailure("slow", message)] * count

    def _call(self, op: int, obs: str | None, payload: list[bytes], count: int,
              want: int) -> list:
        with self._lock:
            if self._closed:
                raise ValueError("this harness is closed")
            cut_off = self._over_budget(count)
            if cut_off is not None:
                return deliver(self.stats, cut_off)
            for attempt in range(2):
                worker = self._ready_worker()
                if isinstance(worker, CallFailure):
                    return deliver(self.stats, [worker] * count)
                try:
                    results = self._exchange(worker, op, obs, payload, count, want)
                except Stale:
                    # A frame left over from an earlier request (forged by harness code): the
                    # worker cannot be trusted to stay in step; this request goes to a new one.
                    self.stats.idle_replacements += 1
                    self._discard()
                    if attempt:
                        results = fill(count, "crash", "the worker broke the protocol (a "
                                       "stale reply); it was killed", "the worker broke the "
                                       "protocol")
                    continue
                break
            return deliver(self.stats, results)

    def _exchange(self, worker: WorkerProcess, op: int, obs: str | None,
                  payload: list[bytes], count: int, want: int) -> list:
        """One request and its replies; failures of the worker become CallFailures.
        ``payload`` is the request after the observation (see ``texts``)."""
        worker.rid = rid = (worker.rid + 1) & 0xFFFFFFFF
        same = obs is not None and worker.last_obs is not None and (
            obs is worker.last_obs or obs == worker.last_obs)
        parts = [b"", proto.REQUEST_HEAD.pack(op, rid, proto.FLAG_SAME_OBS if same else 0)]
        if obs is not None and not same:
            encode_text(obs, parts)
        parts += payload
        size = sum(map(len, parts))
        parts[0] = proto.LEN.pack(size)
        item_limit = self.max_value_bytes if want == WANT_VALUE else self.max_action_len
        max_reply = proto.REPLY_HEAD.size + count * (
            9 + max(self.max_value_bytes if want == WANT_VALUE else 0,
                    4 * max(self.max_action_len if want == WANT_STR else 0,
                            proto.MAX_MESSAGE_CHARS)))
        if want == WANT_VALUE:  # a batch of values: at most 4 values' worth in all, not count's
            max_reply = min(max_reply, proto.REPLY_HEAD.size + count * (
                9 + 4 * proto.MAX_MESSAGE_CHARS) + 4 * self.max_value_bytes)
        received = 0  # reply bytes of this request, over all its chunks (held to max_reply)
        results: list = []
        began = time.monotonic()
        budget_end = (self.meter.deadline(began, count, self.timeout + self.grace)
                      if self.meter is not None else None)
        over_budget = accounted = False
        try:
            worker.last_obs = None
            worker.thaw()
            worker.send(parts, began + self.timeout + self.grace + size / 1e7)
            if obs is not None:
                worker.last_obs = obs
            while True:
                deadline = time.monotonic() + self.timeout + self.grace
                if budget_end is not None and budget_end < deadline:
                    deadline, over_budget = budget_end, True
                else:
                    over_budget = False
                data = worker.recv(deadline, max(proto.REPLY_HEAD.size, max_reply - received))
                received += len(data)
                if len(data) < proto.REPLY_HEAD.size:
                    raise Violation("a short reply")
                kind, reply_rid, start, n, flags = proto.REPLY_HEAD.unpack_from(data)
                if not results and kind == proto.FRAME_RESULTS and reply_rid != rid and (
                        (rid - reply_rid) & 0xFFFFFFFF) < 1 << 16:
                    raise Stale()
                if kind != proto.FRAME_RESULTS or reply_rid != rid or start != len(results) \
                        or n > count - len(results):
                    raise Violation("a reply out of sequence")
                results += parse_items(data, proto.REPLY_HEAD.size, n, want, item_limit)
                if flags & proto.REPLY_FINAL:
                    if len(results) != count:
                        raise Violation("a short batch")
                    if flags & proto.REPLY_RESPAWN:
                        self._discard()
                    elif worker.buffer:  # more than it was asked for: a forged frame
                        self.stats.idle_replacements += 1
                        self._discard()
                    break
        except Timeout:
            self._discard()
            if over_budget and self.meter is not None:
                accounted = True
                self.meter.add(time.monotonic() - began, count)
                results += [CallFailure("slow", self.meter.cut_off())] * (count - len(results))
            else:
                results += fill(count - len(results), "timeout",
                                f"no answer within {self.timeout:g} s; the worker was killed",
                                "an earlier call of the batch timed out")
        except Died:
            kind, message = describe_exit(self._discard(_DIED_SETTLE))
            results += fill(count - len(results), kind, message,
                            "the worker died during an earlier call of the batch")
        except Violation as error:
            self._discard()
            results += fill(count - len(results), "crash",
                            f"the worker broke the protocol ({error}); it was killed",
                            "the worker broke the protocol")
        finally:
            elapsed = time.monotonic() - began
            if self._worker is worker:
                worker.busy += elapsed
                worker.freeze()  # stopped until the next request: no computing in between
            self.stats.call_seconds += elapsed
            if self.meter is not None and not accounted:
                self.meter.add(elapsed, count)
        return results
