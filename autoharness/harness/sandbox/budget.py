"""The cumulative time budget of one harness in one command.

A per-call timeout alone lets a harness make a run arbitrarily slow (every call just under the
timeout) and still come out clean. The budget bounds the total wall time a harness spends in
calls: after ``n`` calls it may have used at most

    max(floor_seconds, factor × n × min(its median call time, reference_cap))

— 20× its own typical call (so a harness whose calls are mostly fast but often very slow is cut
off), where the typical call counts as at most ``reference_cap`` (so a harness whose every call
is slow is cut off too: on average no more than ``factor × reference_cap`` = 0.2 s a call by
default), and never less than ``floor_seconds`` in total (short runs and start-up are free).
A harness over its budget is cut off: its worker is killed and every later call fails at once
as ``slow`` — never "clean".
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

_BUCKETS = 96
_BASE = 1e-6      # the first bucket's upper bound, seconds
_RATIO = 1.25     # bucket width: a median estimate within 25 %
_BOUNDS = [_BASE * _RATIO ** i for i in range(_BUCKETS - 1)]  # bucket i holds times <= _BOUNDS[i]


@dataclass
class TimeBudget:
    """The settings (a fresh harness gets a fresh ``BudgetMeter`` from them)."""

    factor: float = 20.0
    floor_seconds: float = 30.0
    reference_cap: float = 0.010

    def meter(self) -> BudgetMeter:
        return BudgetMeter(self)

    def describe(self) -> str:
        return (f"{self.factor:g}x the harness's median call time (counted as at most "
                f"{self.reference_cap * 1000:g} ms) per call, at least {self.floor_seconds:g} s")


@dataclass
class BudgetMeter:
    """Calls and time of one harness against its ``TimeBudget``."""

    budget: TimeBudget
    calls: int = 0
    seconds: float = 0.0
    exceeded: str | None = None  # the message, once cut off
    _histogram: list[int] = field(default_factory=lambda: [0] * _BUCKETS)
    _median: float = 0.0
    _median_calls: int = 0  # calls when _median was computed (it is refreshed as they grow)

    def add(self, seconds: float, calls: int = 1) -> None:
        """Record ``calls`` calls that took ``seconds`` in all (a batch: each counts as the
        mean)."""
        if calls <= 0:
            return
        self.calls += calls
        self.seconds += seconds
        self._histogram[bisect_left(_BOUNDS, seconds / calls)] += calls

    def add_overhead(self, seconds: float) -> None:
        """Time the harness costs outside its calls — loading it again after its worker died
        or asked to be replaced — counted against the budget without counting as a call (a
        harness that kills its worker after every answer pays its load time every call)."""
        self.seconds += max(0.0, seconds)

    def median(self) -> float:
        """The median call time (the upper bound of its bucket), 0 before any call; refreshed
        whenever the calls grew by 1/16 (at least 8), so a call costs no full scan."""
        calls = self.calls
        if calls - self._median_calls >= max(8, calls >> 4) or (calls and not self._median):
            half, seen, index = (calls + 1) // 2, 0, _BUCKETS - 1
            for bucket, count in enumerate(self._histogram):
                seen += count
                if seen >= half:
                    index = bucket
                    break
            self._median, self._median_calls = _BASE * _RATIO ** index, calls
        return self._median if calls else 0.0

    def allowance(self, extra_calls: int = 0) -> float:
        budget = self.budget
        reference = min(self.median(), budget.reference_cap)
        return max(budget.floor_seconds,
                   budget.factor * (self.calls + extra_calls) * reference)

    def remaining(self, extra_calls: int = 0) -> float:
        """Seconds the harness may still spend on a request of ``extra_calls`` calls."""
        if self.exceeded:
            return 0.0
        return self.allowance(extra_calls) - self.seconds

    def check(self) -> str | None:
        """The cut-off message once the budget is spent (and from then on), else None."""
        if self.exceeded is None and self.seconds > self.budget.floor_seconds \
                and self.seconds > self.allowance():
            self.cut_off()
        return self.exceeded

    def deadline(self, now: float, calls: int, per_call: float) -> float | None:
        """When a request of ``calls`` calls, each allowed ``per_call`` seconds, must end to
        stay within the budget; None when it cannot reach the budget anyway (the cheap case)."""
        if self.exceeded is None and \
                self.seconds + calls * per_call < self.budget.floor_seconds:
            return None
        return now + self.remaining(calls)

    def cut_off(self) -> str:
        """Mark the harness as over its budget (for good); the message."""
        if self.exceeded is None:
            self.exceeded = (
                f"the harness was cut off: it spent {self.seconds:.1f} s in {self.calls} calls "
                f"(median {self.median() * 1000:.2f} ms), over its time budget of "
                f"{self.allowance():.1f} s ({self.budget.describe()})")
        return self.exceeded
