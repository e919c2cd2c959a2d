"""The world model as the verifier calls it: the harness runtime's generic calls, batched where
the verifier has many inputs at once, every failure kept as a value (never raised)."""

from __future__ import annotations

from typing import Any

from autoharness.harness.runtime import DEFAULT_MAX_ACTION_LEN, CallFailure
from autoharness.harness.sandbox.common import limit_actions


def failed(value: object) -> bool:
    return isinstance(value, CallFailure)


class ModelCalls:
    """Typed helpers over ``harness.call``/``call_many``; results are values or ``CallFailure``."""

    def __init__(self, harness: Any) -> None:
        self.harness = harness
        self.calls = 0

    def defines(self, name: str) -> bool:
        return bool(self.harness.defines(name))

    def one(self, name: str, *args: object) -> Any:
        self.calls += 1
        return self.harness.call(name, *args)

    def many(self, name: str, arg_tuples: list[tuple]) -> list[Any]:
        if not arg_tuples:
            return []
        self.calls += len(arg_tuples)
        return self.harness.call_many(name, arg_tuples)

    def batch(self, items: list[tuple[str, tuple]]) -> list[Any]:
        """``[(name, args), ...]`` answered in one round trip (the worker-side ``calls`` tool);
        each result a value or a ``CallFailure``. Falls back to one call each when the batch as a
        whole fails (so a timeout or an unplain result is pinned on its call)."""
        if not items:
            return []
        self.calls += len(items)
        answer = self.harness.call("plan", "", {"op": "calls",
                                                "calls": [[n, list(a)] for n, a in items]})
        if not isinstance(answer, list) or len(answer) != len(items):
            return [self.harness.call(name, *args) for name, args in items]
        out = []
        for item in answer:
            if isinstance(item, dict) and "value" in item:
                out.append(item["value"])
            else:
                error = item.get("error") if isinstance(item, dict) else item
                out.append(CallFailure("exception", str(error)))
        # The calls ran in the worker's plan tool, past the runtime's per-name checks: actions
        # among the answers are held to the same length cap as when called one by one.
        limit = getattr(self.harness, "max_action_len", DEFAULT_MAX_ACTION_LEN)
        stats = self.harness.stats
        return [limit_actions(stats, name, [value], limit)[0]
                for (name, _args), value in zip(items, out, strict=True)]

    def each(self, name: str, arg_tuples: list[tuple]) -> list[Any]:
        """``name`` on every argument tuple, batched."""
        return self.batch([(name, args) for args in arg_tuples])

    def parse(self, obs: str) -> Any:
        return self.one("parse_state", obs)

    def legal(self, state: object) -> Any:
        return self.one("legal_actions", state)

    def apply(self, state: object, action: str) -> Any:
        return self.one("apply", state, action)

    def purity(self, probes: list[list]) -> Any:
        return self.one("plan", "", {"op": "purity", "calls": probes})


def action_list(value: object) -> list[str] | None:
    """``legal_actions``'s answer as a list of strings, or None when it is not one."""
    if not isinstance(value, list | tuple) or not all(isinstance(a, str) for a in value):
        return None
    return list(value)
