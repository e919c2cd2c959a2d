"""The cumulative time budget: a harness that spends too long in calls is cut off and reported
``slow`` (never clean), and a harness that is merely steady is not."""

from __future__ import annotations

import time

from autoharness.harness.runtime import SandboxedHarness, TimeBudget
from autoharness.harness.sandbox.budget import BudgetMeter
from autoharness.harness.verify import verify

UNGUARDED = {"check": False, "disable": ["audit_hook", "import_guard"]}  # it uses time
SLEEPY = '''GAMES = ["TicTacToe-v0"]
import re


def _wait(seconds):
    end = __import__("time").monotonic() + seconds
    while __import__("time").monotonic() < end:
        pass


def propose_action(obs):
    _wait(0.3 if "spin" in obs or "Board" in obs else 0.002)
    cells = re.findall(r"\\[(\\d)\\]", obs.rsplit("Board:", 1)[-1]) or ["0"]
    return f"[{cells[0]}]"


def eval_action(obs, action):
    _wait(0.3 if "Board" in obs else 0.002)  # in a game every call is slow
    return True
'''


def test_meter_median_allowance_and_cut_off():
    meter = BudgetMeter(TimeBudget(factor=20, floor_seconds=1.0, reference_cap=0.01))
    for _ in range(99):
        meter.add(0.001)
    meter.add(0.5)
    assert 0.0008 <= meter.median() <= 0.00126  # one bucket (25 %) around 1 ms
    assert abs(meter.allowance() - 20 * 100 * meter.median()) < 1e-9
    assert meter.check() is None
    fresh = BudgetMeter(meter.budget)
    fresh.add(0.001)
    assert fresh.allowance() == 1.0  # the floor
    for _ in range(1000):
        meter.add(0.001)
    assert meter.check() is None and meter.allowance() > 20
    meter.add(30.0, calls=10)  # a few very slow calls
    assert meter.check() and "cut off" in meter.check()
    assert meter.remaining() == 0.0


def test_uniformly_slow_calls_count_at_most_the_cap():
    meter = BudgetMeter(TimeBudget(factor=20, floor_seconds=1.0, reference_cap=0.01))
    for _ in range(5):
        meter.add(0.9)
    assert meter.check() is not None  # 4.5 s > max(1 s, 20 x 5 x 10 ms)


def test_a_slow_harness_is_cut_off_and_later_calls_fail_fast():
    budget = TimeBudget(factor=20, floor_seconds=0.5, reference_cap=0.01)
    with SandboxedHarness(SLEEPY, timeout=1.0, budget=budget, **UNGUARDED) as harness:
        answers = [harness.propose("spin") for _ in range(12)]
        slow = [a for a in answers if not isinstance(a, str)]
        assert slow and all(a.kind == "slow" for a in slow)
        assert isinstance(answers[0], str)
        started = time.monotonic()
        assert harness.evaluate("x", "y").kind == "slow"
        assert harness.propose_many(["a", "b"])[1].kind == "slow"
        assert time.monotonic() - started < 0.1  # refused without running
        assert harness.stats.failures["slow"] >= 3


def test_a_batch_is_cut_off_mid_way():
    budget = TimeBudget(factor=20, floor_seconds=0.5, reference_cap=0.01)
    with SandboxedHarness(SLEEPY, timeout=1.0, budget=budget, **UNGUARDED) as harness:
        started = time.monotonic()
        results = harness.propose_many(["spin"] * 20)  # 6 s of work, 0.5 s of budget
        assert time.monotonic() - started < 1.2
        assert isinstance(results[0], str) and results[-1].kind == "slow"


def test_a_steady_harness_is_never_cut_off():
    budget = TimeBudget(factor=20, floor_seconds=0.05, reference_cap=0.01)
    with SandboxedHarness(SLEEPY, timeout=1.0, budget=budget, **UNGUARDED) as harness:
        results = [harness.propose("quick") for _ in range(60)]  # 2 ms each
        assert all(isinstance(r, str) for r in results)
        assert harness.meter.check() is None


def test_verify_reports_a_slow_harness_as_not_clean():
    budget = TimeBudget(factor=20, floor_seconds=0.5, reference_cap=0.01)
    with SandboxedHarness(SLEEPY, timeout=1.0, budget=budget, **UNGUARDED) as harness:
        started = time.monotonic()
        report = verify("TicTacToe-v0", harness, seeds=[0], steps=60, stress_positions=2)
        assert time.monotonic() - started < 15  # 60 slow steps would take over a minute
    assert report.slow and "budget" in report.slow
    assert report.slow_calls > 0 and report.harness_failures >= report.slow_calls
    assert not report.clean
    assert report.figures()["slow_calls"] == report.slow_calls
