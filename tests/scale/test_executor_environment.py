"""Local process pools see the driver's AUTOHARNESS_* variables as they are at submit time.

The forkserver behind the pool keeps the environment it was started with, so without this a
bench run after another in the same process measured the harness search path of the first.
"""

import os

from autoharness.scale.executor import LocalExecutor


def _variable(name: str) -> str | None:
    return os.environ.get(name)


def test_a_task_sees_the_environment_at_submit_time(monkeypatch) -> None:
    monkeypatch.delenv("AUTOHARNESS_HARNESSES", raising=False)
    with LocalExecutor(2) as executor:
        assert executor.submit(_variable, "AUTOHARNESS_HARNESSES").result() is None
        monkeypatch.setenv("AUTOHARNESS_HARNESSES", "/somewhere/else")
        assert executor.submit(_variable, "AUTOHARNESS_HARNESSES").result() == "/somewhere/else"
        monkeypatch.delenv("AUTOHARNESS_HARNESSES")
        assert executor.submit(_variable, "AUTOHARNESS_HARNESSES").result() is None
