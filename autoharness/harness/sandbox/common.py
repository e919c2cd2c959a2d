"""What both runtimes share: the failure and statistics types, the result boundary (counting and
secret redaction) and argument checks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from autoharness import secrets
from autoharness.harness.sandbox import codec
from autoharness.harness.sandbox import protocol as proto

DEFAULT_MAX_VALUE_BYTES = 1 << 20  # encoded size of a generic call's arguments or result
#: The longest action a harness may hand the engine (a proposal, a policy's choice, an item of
#: ``legal_actions``). The engine parses actions with regexes, some quadratic in the length
#: (ConnectFour's ``.*\[(?:col\s*)?(\d+)\].*``): 10,000 characters of ``[`` hold the host 3 s
#: per engine call, 1,000 at most 65 ms on any of the 145 games, while the longest action any
#: library harness plays is 73 characters (Tak). Measured by ``eval/engine_action_cost.py``.
DEFAULT_MAX_ACTION_LEN = 1000
#: Harness functions whose result goes to the engine as an action, and those returning a list
#: of actions: both are held to ``max_action_len`` by the host, after decoding.
ACTION_FUNCTIONS = frozenset({"propose_action", "choose_action"})
ACTION_LIST_FUNCTIONS = frozenset({"legal_actions"})
_ACTION_RESULTS = ACTION_FUNCTIONS | ACTION_LIST_FUNCTIONS
#: The module constant both runtimes define in the harness's globals before its code runs: the
#: engine profile (``arena/profiles.py``: "stock" or "fixed") that will judge its actions. It is
#: known before the game starts and never read from an observation, so a harness can mirror the
#: engine it plays on (e.g. reject what only the stock engine crashes on).
PROFILE_CONSTANT = "ENGINE_PROFILE"


def harness_constants(engine: str) -> dict[str, str]:
    """The constants a harness's module starts with (``engine`` checked as a profile name)."""
    from autoharness.arena.profiles import check_profile

    return {PROFILE_CONSTANT: check_profile(engine)}


@dataclass(frozen=True)
class CallFailure:
    """A harness call that produced no usable answer. Falsy."""

    kind: str  # timeout | crash | bad_return | exception | too_large | blocked | slow | missing
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"

    def __bool__(self) -> bool:
        return False


@dataclass
class HarnessStats:
    calls: int = 0                     # harness calls (batch items count one each)
    failures: Counter = field(default_factory=Counter)  # by kind
    spawns: int = 0                    # worker processes started
    respawns: int = 0                  # ... after the first
    idle_replacements: int = 0         # workers found dead, or talking out of turn, between
                                       # calls (replaced silently)
    recycles: int = 0                  # workers replaced before reaching the CPU limit
    startup_seconds: float = 0.0       # total time from spawn to ready
    call_seconds: float = 0.0          # wall time spent in calls (what the time budget counts)

    @property
    def failed(self) -> int:
        return sum(self.failures.values())


#: Terminal control characters (C0 but tab and newline, DEL, C1) shown escaped in failure
#: messages, which carry harness text (exception messages, tracebacks) and are printed as they
#: are: a harness cannot clear the screen, move the cursor or retitle the terminal.
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(32), *range(127, 160))
             if chr(code) not in "\n\t"}


def deliver(stats: HarnessStats, results: list) -> list:
    """Count the results, redact secrets from every string in them and escape terminal
    control characters in failure messages: the one way results leave the runtime."""
    stats.calls += len(results)
    scrub = secrets.known() > 0
    for index, result in enumerate(results):
        if isinstance(result, CallFailure):
            stats.failures[result.kind] += 1
            message = result.message.translate(_CONTROLS)
            if scrub:
                message = secrets.redact(message)
            if message != result.message:
                results[index] = CallFailure(result.kind, message)
        elif scrub and not isinstance(result, bool):
            results[index] = secrets.redact_value(result)
    return results


def _longest_action(name: str, value: object) -> int:
    """The length of the longest action the engine would parse in ``name``'s result."""
    if name in ACTION_FUNCTIONS:
        return len(value) if isinstance(value, str) else 0
    if isinstance(value, list | tuple):
        return max((len(item) for item in value if isinstance(item, str)), default=0)
    return 0


def limit_actions(stats: HarnessStats, name: str, results: list, max_len: int) -> list:
    """Host-side: a result of ``name`` that the engine would parse as an action, longer than
    ``max_len`` characters, becomes a ``too_large`` failure (whatever the worker checked)."""
    if name not in _ACTION_RESULTS:
        return results
    for index, result in enumerate(results):
        if isinstance(result, CallFailure):
            continue
        length = _longest_action(name, result)
        if length > max_len:
            stats.failures["too_large"] += 1
            results[index] = CallFailure(
                "too_large", f"{name} returned an action of {length} characters; the limit "
                             f"is {max_len}")
    return results


def function_name(name: object) -> str:
    if name not in proto.CALLABLE_FUNCTIONS:
        raise ValueError(f"{name!r} is not a harness function; known: "
                         f"{', '.join(proto.CALLABLE_FUNCTIONS)}")
    return name  # type: ignore[return-value]


def encode_args(arg_tuples: Iterable[tuple], limit: int) -> list[bytes]:
    encoded = []
    for args in arg_tuples:
        try:
            encoded.append(codec.encode(tuple(args), limit))
        except codec.ValueRefused as error:
            raise TypeError(f"harness call arguments must be plain values: {error}") from None
    return encoded


def missing(name: str) -> CallFailure:
    return CallFailure("missing", f"the harness defines no callable {name}")


def prepare_call(harness, name: str,
                 arg_tuples: Iterable[tuple]) -> tuple[list[bytes], list | None]:
    """The start of a runtime's ``call_many``: the arguments encoded, and the results already
    known (nothing to call, a harness that failed to load, a function it does not define) or
    None."""
    function_name(name)
    encoded = encode_args(arg_tuples, harness.max_value_bytes)
    if not encoded:
        return encoded, []
    if not harness.defines(name):
        failure = harness._broken if harness._broken is not None else missing(name)
        return encoded, deliver(harness.stats, [failure] * len(encoded))
    return encoded, None


def text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"observations and actions must be str, not {type(value).__name__}")
    return value


def fill(n: int, kind: str, first: str, rest: str) -> list[CallFailure]:
    if n <= 0:
        return []
    return [CallFailure(kind, first)] + [CallFailure(kind, f"not run: {rest}")] * (n - 1)
