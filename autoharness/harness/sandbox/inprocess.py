"""``InProcessHarness``: the harness interface, executing the harness in this process."""

from __future__ import annotations

import builtins
import contextlib
import itertools
import random
import sys
import time
import types
from collections.abc import Iterable

from autoharness.harness.checks import validate_source
from autoharness.harness.sandbox import codec
from autoharness.harness.sandbox import protocol as proto
from autoharness.harness.sandbox.common import (
    DEFAULT_MAX_ACTION_LEN,
    DEFAULT_MAX_VALUE_BYTES,
    CallFailure,
    HarnessStats,
    deliver,
    function_name,
    harness_constants,
    limit_actions,
    prepare_call,
    text,
)
from autoharness.worldmodel.derive import complete as complete_world_model


class InProcessHarness:
    """The same interface, executing the harness in this process: for trusted code and for
    measuring the sandbox's overhead. No timeout, no limits, no isolation; result checks and
    exception reports are the sandbox's. ``seed`` seeds the *global* ``random`` (and numpy)
    once, at load; ``engine`` is the profile the harness's ``ENGINE_PROFILE`` names.
    Sandbox-only keyword arguments (timeouts, limits, ``budget``) are accepted
    and ignored."""

    _SANDBOX_ONLY = frozenset({"timeout", "memory_mb", "load_timeout", "cpu_seconds", "disable",
                               "budget", "require_isolation"})
    _serial = itertools.count()

    def __init__(self, source: str, *, name: str = "<harness>", seed: int | None = None,
                 max_action_len: int = DEFAULT_MAX_ACTION_LEN, check: bool = True,
                 max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES, engine: str = "stock",
                 **sandbox_only: object) -> None:
        unknown = set(sandbox_only) - self._SANDBOX_ONLY
        if unknown:
            raise TypeError(f"unexpected keyword arguments {sorted(unknown)}")
        if sandbox_only.get("require_isolation"):
            raise ValueError("InProcessHarness runs harness code without any isolation: it "
                             "cannot honour require_isolation (use SandboxedHarness)")
        source = complete_world_model(source)  # a world-model-only file gains propose/eval
        self.source = source
        if check:
            validate_source(source)
        import linecache

        self.name = name
        self.engine = engine
        self.max_action_len = max_action_len
        self.max_value_bytes = int(max_value_bytes)
        self.stats = HarnessStats()
        self._broken: CallFailure | None = None
        self._numpy_bool = None
        self._numpy_scalars: tuple = ()
        linecache.cache[name] = (len(source), None, source.splitlines(keepends=True), name)
        if seed is not None:
            random.seed(seed)
        # A module of its own in sys.modules (as in the worker): @dataclass, pickling and
        # typing look classes up by their __module__.
        self._module_name = f"autoharness_harness_{next(self._serial)}"
        module = types.ModuleType(self._module_name)
        module.__dict__.update({"__builtins__": builtins, "__file__": name,
                                **harness_constants(engine)})
        sys.modules[self._module_name] = module
        self._globals: dict = module.__dict__
        started = time.monotonic()
        try:
            exec(compile(source, name, "exec"), self._globals)
        except BaseException as error:  # noqa: BLE001 - harness code may raise anything
            if isinstance(error, KeyboardInterrupt):
                raise
            failure = proto.exception_failure(error, name)
            self._broken = CallFailure(failure.kind, "harness failed to load: " + failure.message)
        self.stats.spawns = 1
        self.stats.startup_seconds = time.monotonic() - started
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            self._numpy_bool = numpy.bool_
            self._numpy_scalars = proto.numpy_scalar_types(numpy)
            if seed is not None:
                with contextlib.suppress(Exception):
                    numpy.random.seed(seed % 2**32)
        if self._broken is None:
            for fn in ("propose_action", "eval_action"):
                if not callable(self._globals.get(fn)):
                    self._broken = CallFailure("exception", f"harness failed to load: the "
                                                            f"harness defines no callable {fn}")
                    break
        self._propose = self._globals.get("propose_action")
        self._evaluate = self._globals.get("eval_action")

    def _run(self, fn, args: tuple, check) -> object:
        try:
            result = check(fn(*args))
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001
            result = proto.exception_failure(error, self.name)
        if isinstance(result, proto.Fail):
            return CallFailure(result.kind, result.message)
        return result

    def _check_action(self, value: object) -> object:
        return proto.check_propose(value, self.max_action_len)

    def _check_verdict(self, value: object) -> object:
        return proto.check_eval(value, self._numpy_bool)

    def propose(self, obs: str) -> str | CallFailure:
        return self.propose_many([obs])[0]

    def evaluate(self, obs: str, action: str) -> bool | CallFailure:
        return self.evaluate_many(obs, [action])[0]

    def propose_many(self, observations: list[str]) -> list[str | CallFailure]:
        observations = [text(o) for o in observations]
        if self._broken is not None:
            return deliver(self.stats, [self._broken] * len(observations))
        return deliver(self.stats, [self._run(self._propose, (o,), self._check_action)
                                   for o in observations])

    def evaluate_many(self, obs: str, actions: list[str]) -> list[bool | CallFailure]:
        obs, actions = text(obs), [text(a) for a in actions]
        if self._broken is not None:
            return deliver(self.stats, [self._broken] * len(actions))
        return deliver(self.stats, [self._run(self._evaluate, (obs, a), self._check_verdict)
                                   for a in actions])

    def defines(self, name: str) -> bool:
        function_name(name)
        return self._broken is None and callable(self._globals.get(name))

    def call(self, name: str, *args: object) -> object:
        return self.call_many(name, [args])[0]

    def call_many(self, name: str, arg_tuples: Iterable[tuple]) -> list:
        """As ``SandboxedHarness.call_many``: arguments and results are copied through the
        sandbox's codec, so they are the same plain values (and the same refusals)."""
        encoded, refused = prepare_call(self, name, arg_tuples)
        if refused is not None:
            return refused
        check = proto.value_checker(name, self.max_value_bytes, self._numpy_scalars, codec)

        def plain(value: object) -> object:
            data = check(value)
            return data if isinstance(data, proto.Fail) else codec.decode(data)

        fn = self._globals[name]
        results = deliver(self.stats,
                          [self._run(fn, codec.decode(data), plain) for data in encoded])
        return limit_actions(self.stats, name, results, self.max_action_len)

    @property
    def protections(self) -> dict[str, bool]:
        return {"process": False}

    @property
    def layer_details(self) -> dict[str, str]:
        return {"process": "in-process: no isolation (trusted code only)"}

    def close(self) -> None:
        sys.modules.pop(self._module_name, None)

    def __enter__(self) -> InProcessHarness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
