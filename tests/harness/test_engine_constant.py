"""The ``ENGINE_PROFILE`` module constant: both runtimes define it before the harness's code runs,
with the profile they were given, and a harness that never mentions it loads as before.

A harness reads it at load (module level) and at call time; library harnesses read it as
``globals().get("ENGINE_PROFILE", "stock")``, so they also work when imported as plain modules.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from autoharness.arena.profiles import PROFILES, UnknownProfileError
from autoharness.harness.library import find_harness
from autoharness.harness.runtime import InProcessHarness, SandboxedHarness
from autoharness.harness.sandbox.common import PROFILE_CONSTANT

READS_IT = '''GAMES = ["Test-v0"]
AT_LOAD = ENGINE_PROFILE


def propose_action(obs):
    return f"{AT_LOAD}|{ENGINE_PROFILE}"


def eval_action(obs, action):
    return action == ENGINE_PROFILE
'''

WITH_FALLBACK = '''GAMES = ["Test-v0"]
try:
    PROFILE = ENGINE_PROFILE
except NameError:
    PROFILE = "stock"


def propose_action(obs):
    return PROFILE


def eval_action(obs, action):
    return True
'''

NEVER_MENTIONS_IT = '''GAMES = ["Test-v0"]


def propose_action(obs):
    return "[0]"


def eval_action(obs, action):
    return action == "[0]"
'''

RUNTIMES = [SandboxedHarness, InProcessHarness]


def _open(runtime: type, source: str, engine: str | None):
    kwargs = {} if engine is None else {"engine": engine}
    if runtime is SandboxedHarness:
        kwargs["timeout"] = 5.0
    return runtime(source, name="constant_test.py", **kwargs)


def test_the_constant_has_the_documented_name() -> None:
    assert PROFILE_CONSTANT == "ENGINE_PROFILE"


@pytest.mark.parametrize("runtime", RUNTIMES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("engine", PROFILES)
def test_the_harness_sees_the_profile_at_load_and_at_call_time(runtime, engine) -> None:
    harness = _open(runtime, READS_IT, engine)
    try:
        assert harness.propose("obs") == f"{engine}|{engine}"
        assert harness.evaluate("obs", engine) is True
        other = next(p for p in PROFILES if p != engine)
        assert harness.evaluate("obs", other) is False
        fallback = _open(runtime, WITH_FALLBACK, engine)
        try:
            assert fallback.propose("obs") == engine  # the constant wins over the fallback
        finally:
            fallback.close()
    finally:
        harness.close()


@pytest.mark.parametrize("runtime", RUNTIMES, ids=lambda r: r.__name__)
def test_the_default_profile_is_stock(runtime) -> None:
    harness = _open(runtime, READS_IT, None)
    try:
        assert harness.propose("obs") == "stock|stock"
    finally:
        harness.close()


@pytest.mark.parametrize("runtime", RUNTIMES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("engine", PROFILES)
def test_a_harness_that_never_mentions_it_loads_and_runs(runtime, engine) -> None:
    harness = _open(runtime, NEVER_MENTIONS_IT, engine)
    try:
        assert harness.propose("obs") == "[0]"
        assert harness.evaluate("obs", "[0]") is True
        assert harness.evaluate("obs", "[1]") is False
    finally:
        harness.close()


@pytest.mark.parametrize("runtime", RUNTIMES, ids=lambda r: r.__name__)
def test_an_unknown_profile_is_refused_before_any_harness_code_runs(runtime) -> None:
    with pytest.raises(UnknownProfileError):
        _open(runtime, READS_IT, "nightly")


@pytest.mark.parametrize("game", ["Tak-v0", "Checkers-v0", "QuantumTicTacToe-v0"])
def test_library_harnesses_fall_back_to_stock_as_plain_modules(game) -> None:
    """Imported without a runtime (no constant defined), a profile-aware library harness takes
    the stock engine's rules; under a runtime it takes the one it is given."""
    path = find_harness(game)
    spec = importlib.util.spec_from_file_location(f"plain_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        assert not hasattr(module, "ENGINE_PROFILE")
        assert module._PROFILE == "stock"
    finally:
        del sys.modules[spec.name]
    for engine in PROFILES:
        harness = InProcessHarness(path.read_text(), name=path.name, engine=engine)
        assert harness._globals["_PROFILE"] == engine
