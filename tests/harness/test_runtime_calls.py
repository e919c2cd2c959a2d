"""The generic harness call (``defines`` / ``call`` / ``call_many``) on both runtimes, and the
plain-value codec behind it."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from autoharness.harness.runtime import CallFailure, InProcessHarness, SandboxedHarness
from autoharness.harness.sandbox import codec

ROOT = Path(__file__).resolve().parents[2]
WORLD = '''"""A harness with world-model functions."""
GAMES = ["Test-v0"]
PROVENANCE = {"method": "hand-written"}
from dataclasses import dataclass


@dataclass
class Board:
    cells: tuple


def propose_action(obs):
    return "[0]"


def eval_action(obs, action):
    return True


def parse_state(obs):
    return {"cells": tuple(obs.split()), "player": 0, "meta": [None, 1.5, b"raw", True]}


def legal_actions(state):
    return [f"[{i}]" for i, cell in enumerate(state["cells"]) if cell == "."]


def apply(state, action):
    cells = list(Board(state["cells"]).cells)
    cells[int(action.strip("[]"))] = "X"
    return {**state, "cells": tuple(cells), "player": 1 - state["player"]}


def current_player(state):
    return state["player"]


def returns(state):
    return {0: 1.0, 1: -1.0}


def value(state):
    return 10 ** 30 if state == "huge" else float("inf") if state == "inf" else 0.5


def is_terminal(state):
    if state == "set":
        return {1, 2}
    if state == "object":
        return Board(())
    if state == "spin":
        while True:
            pass
    if state == "big":
        return "x" * 5000
    if state == "raise":
        raise KeyError("no such state")
    return False
'''


@pytest.fixture(params=["sandboxed", "in-process"])
def world(request):
    cls = SandboxedHarness if request.param == "sandboxed" else InProcessHarness
    with cls(WORLD, timeout=0.5, max_value_bytes=4096) as harness:
        yield harness


def test_defines_reports_the_functions_present(world):
    for name in ("propose_action", "parse_state", "legal_actions", "apply", "current_player",
                 "returns", "value", "is_terminal"):
        assert world.defines(name), name
    assert not world.defines("choose_action") and not world.defines("sample_state")
    with pytest.raises(ValueError):
        world.defines("Board")


def test_values_round_trip_with_their_types(world):
    state = world.call("parse_state", ". . X")
    assert state == {"cells": (".", ".", "X"), "player": 0, "meta": [None, 1.5, b"raw", True]}
    assert type(state["cells"]) is tuple and type(state["meta"]) is list
    assert world.call("legal_actions", state) == ["[0]", "[1]"]
    after = world.call("apply", state, "[1]")
    assert after["cells"] == (".", "X", "X") and after["player"] == 1
    assert state["cells"] == (".", ".", "X")  # the caller's value is a copy, never mutated
    assert world.call("returns", after) == {0: 1.0, 1: -1.0}
    assert world.call("value", "huge") == 10 ** 30
    assert math.isinf(world.call("value", "inf"))
    assert world.call("current_player", after) == 1


def test_batched_calls_match_single_calls(world):
    state = world.call("parse_state", ". . .")
    batch = world.call_many("apply", [(state, "[0]"), (state, "[2]")])
    assert batch == [world.call("apply", state, "[0]"), world.call("apply", state, "[2]")]
    assert world.call_many("apply", []) == []


def test_bad_results_fail_with_a_kind_and_the_run_goes_on(world):
    assert world.call("is_terminal", "set").kind == "bad_return"
    assert "set" in world.call("is_terminal", "set").message
    assert world.call("is_terminal", "object").kind == "bad_return"
    assert world.call("is_terminal", "big").kind == "too_large"
    raised = world.call("is_terminal", "raise")
    assert raised.kind == "exception" and "KeyError" in raised.message
    missing = world.call("choose_action", "obs")
    assert isinstance(missing, CallFailure) and missing.kind == "missing" and not missing
    assert world.call("is_terminal", "fine") is False


def test_arguments_must_be_plain(world):
    with pytest.raises(TypeError):
        world.call("value", {1, 2})
    with pytest.raises(TypeError):
        world.call("value", "x" * 10_000)  # over max_value_bytes


def test_a_call_times_out_like_the_others():
    with SandboxedHarness(WORLD, timeout=0.3) as harness:
        results = harness.call_many("is_terminal", [("spin",), ("fine",)])
        assert [r.kind for r in results] == ["timeout", "timeout"]
        assert harness.call("is_terminal", "fine") is False  # a fresh worker


def test_a_broken_harness_defines_nothing():
    broken = WORLD + "\nraise RuntimeError('at load')\n"
    for cls in (SandboxedHarness, InProcessHarness):
        with cls(broken) as harness:
            assert not harness.defines("apply")
            assert harness.call("apply", 1, 2).kind == "exception"


def test_in_process_loads_dataclass_harnesses():
    source = (ROOT / "harnesses" / "spiteandmalice.py").read_text()
    with InProcessHarness(source, name="spiteandmalice.py") as harness:
        assert harness.defines("eval_action")  # it loaded
        assert isinstance(harness.evaluate("no state", "[draw]"), bool)


def test_codec_is_strict():
    value = {"a": (1, [2.5, None]), (1, "k"): b"\x00", -(1 << 70): True}
    assert codec.decode(codec.encode(value, 1 << 10)) == value
    for bad in (b"", b"Z", b"l\xff\xff\xff\xff", b"s\x02\x00\x00\x00\xff\xfe", b"NN",
                b"d\x01\x00\x00\x00l\x00\x00\x00\x00N", b"I\xff\xff\x00\x00"):
        with pytest.raises(codec.ValueRefused):
            codec.decode(bad)
    with pytest.raises(codec.ValueRefused):
        codec.encode(_deep(codec.MAX_DEPTH + 5), 1 << 20)
    with pytest.raises(codec.ValueRefused):  # a tuple key holding a list
        codec.decode(b"d\x01\x00\x00\x00t\x01\x00\x00\x00l\x00\x00\x00\x00N")
    with pytest.raises(codec.ValueRefused):
        codec.encode("x" * 100, 50)


_P61 = (1 << 61) - 1  # every multiple of it hashes to 0


def _colliding_dict_bytes(keys: int) -> bytes:
    """A dict of ``keys`` big-int keys that all hash alike, encoded by hand (as a hostile
    worker would write it: no dict is built)."""
    parts = [b"d", keys.to_bytes(4, "little")]
    for k in range(1, keys + 1):
        raw = (k * _P61).to_bytes(10, "little", signed=True)
        parts += [b"I", (10).to_bytes(4, "little"), raw, b"N"]
    return b"".join(parts)


def test_codec_refuses_dict_keys_that_hash_alike():
    # ~1 MiB of keys hashing to one value would take the host minutes to rebuild (quadratic);
    # the decoder refuses it after MAX_SAME_HASH of them, and the encoder says why up front
    start = time.monotonic()
    with pytest.raises(codec.ValueRefused, match="one hash"):
        codec.decode(_colliding_dict_bytes(65_000))
    assert time.monotonic() - start < 1.0
    few = codec.decode(_colliding_dict_bytes(codec.MAX_SAME_HASH))
    assert len(few) == codec.MAX_SAME_HASH
    with pytest.raises(codec.ValueRefused, match="one hash"):
        codec.encode({k * _P61: 0 for k in range(1, 200)}, 1 << 20)
    plain = {i: str(i) for i in range(5000)} | {float(2 ** e): e for e in range(-1000, 1000, 61)}
    assert codec.decode(codec.encode(plain, 1 << 20)) == plain


COLLIDING_STATE = """GAMES = ["Test-v0"]
_STATE = {k * ((1 << 61) - 1): 0 for k in range(1, 400)}


def propose_action(obs):
    return "ok"


def eval_action(obs, action):
    return True


def parse_state(obs):
    return _STATE
"""


def test_a_state_that_hashes_alike_fails_fast_and_the_harness_goes_on():
    with SandboxedHarness(COLLIDING_STATE, check=False) as harness:
        started = time.monotonic()
        failure = harness.call("parse_state", "obs")
        assert isinstance(failure, CallFailure) and failure.kind == "bad_return", failure
        assert "one hash" in failure.message
        assert time.monotonic() - started < 5
        assert harness.propose("obs") == "ok"


def _deep(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value
