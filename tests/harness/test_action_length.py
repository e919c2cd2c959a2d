"""Actions a harness hands the engine are held to ``max_action_len`` by the host.

TextArena parses actions with regexes, some quadratic in the length: 10,000 characters of ``[``
hold ConnectFour's parser (``.*\\[(?:col\\s*)?(\\d+)\\].*``) for seconds, in the host, where no
harness timeout sees it. Every route by which a harness's string reaches the engine as an action
(a proposal, a policy's choice, an item of ``legal_actions``) is capped, so a harness cannot stall
the host through the engine."""

from __future__ import annotations

import time

import pytest

from autoharness.arena import GameEnv
from autoharness.harness.runtime import (
    DEFAULT_MAX_ACTION_LEN,
    InProcessHarness,
    SandboxedHarness,
)
from autoharness.harness.verify import verify

LONG = '"[" * 10_000'

FLOODER = f'''"""A harness whose every action is a regex-stalling flood."""
GAMES = ["ConnectFour-v0"]


def propose_action(obs):
    return {LONG}


def eval_action(obs, action):
    return True


def choose_action(obs):
    return {LONG}


def legal_actions(state):
    return ["[0]", {LONG}]
'''

RUNTIMES = [InProcessHarness, SandboxedHarness]


@pytest.mark.parametrize("runtime", RUNTIMES, ids=lambda r: r.__name__)
def test_every_action_route_is_capped(runtime):
    with runtime(FLOODER, name="flooder.py", check=False) as harness:
        for failure in (harness.propose("obs"), harness.call("choose_action", "obs"),
                        harness.call("legal_actions", {"board": 1})):
            assert failure.kind == "too_large", failure
            assert f"the limit is {DEFAULT_MAX_ACTION_LEN}" in failure.message
        assert harness.stats.failures["too_large"] == 3


@pytest.mark.parametrize("runtime", RUNTIMES, ids=lambda r: r.__name__)
def test_actions_at_the_limit_pass(runtime):
    at_limit = f'''GAMES = ["ConnectFour-v0"]
def propose_action(obs):
    return "[" + "1" * {DEFAULT_MAX_ACTION_LEN - 2} + "]"
def eval_action(obs, action):
    return True
def choose_action(obs):
    return propose_action(obs)
def legal_actions(state):
    return [propose_action("")] * 3
'''
    with runtime(at_limit, name="at_limit.py", check=False) as harness:
        assert len(harness.propose("obs")) == DEFAULT_MAX_ACTION_LEN
        assert len(harness.call("choose_action", "obs")) == DEFAULT_MAX_ACTION_LEN
        assert len(harness.call("legal_actions", 0)) == 3


def test_the_flood_would_stall_the_engine():
    """What the cap prevents, shown on the engine: the flood costs far more than a normal move,
    while an action at the limit costs about what a normal one does."""
    env = GameEnv("ConnectFour-v0", seed=0)

    def cost(action: str, repeat: int) -> float:
        began = time.perf_counter()
        for _ in range(repeat):
            env.is_legal(action)
        return (time.perf_counter() - began) / repeat

    normal = cost("[3]", 50)
    flood = cost("[" * 10_000, 1)
    assert flood > 100 * normal


def test_verify_of_a_flooding_harness_is_not_held_up():
    """The flooder's proposals fail as ``too_large`` without reaching the engine: verify takes
    about as long as for a harness that plays ordinary (illegal) actions."""
    plain = FLOODER.replace(LONG, '"[9]"')

    def timed(source: str) -> tuple[float, object]:
        began = time.perf_counter()
        with SandboxedHarness(source, name="h.py", check=False) as harness:
            report = verify("ConnectFour-v0", harness, [0], 20)
        return time.perf_counter() - began, report

    plain_seconds, _ = timed(plain)
    flood_seconds, report = timed(FLOODER)
    assert report.harness_failures > 0
    assert flood_seconds < 3 * plain_seconds + 1.0


def test_a_planner_never_plays_a_flooded_action():
    """MCTS runs in the harness's worker: the actions it ranks are harness output too."""
    from autoharness.worldmodel.agent import _pick

    assert _pick({"visits": {"[" * 10_000: 90, "[3]": 10}}, []) == "[3]"
    assert _pick({"visits": {"[" * 10_000: 90}}, []) is None
    assert _pick({"visits": ["[3]"]}, []) is None  # not the dict a planner returns


WORLD_MODEL = '''"""A world model whose legal_actions floods once it is past the static checks."""
GAMES = ["ConnectFour-v0"]
CALLS = [0]


def parse_state(obs):
    return {"obs": len(obs)}


def legal_actions(state):
    CALLS[0] += 1
    return ["[0]"] if CALLS[0] <= 1 else ["[0]", "[" * 5000]


def apply(state, action):
    return state


def current_player(state):
    return 0


def is_terminal(state):
    return False


def returns(state):
    return [0.0, 0.0]
'''


def test_batched_world_model_calls_are_capped_too():
    """The world-model verifier batches calls through the worker's plan tool, past the
    runtime's per-name checks: the cap is applied to those answers as well."""
    from autoharness.worldmodel.calls import ModelCalls
    from autoharness.worldmodel.derive import with_planner

    with SandboxedHarness(with_planner(WORLD_MODEL), name="wm.py", check=False) as harness:
        calls = ModelCalls(harness)
        assert calls.legal({"obs": 1}) == ["[0]"]
        first, second = calls.batch([("legal_actions", ({"obs": 1},)),
                                     ("parse_state", ("obs",))])
        assert first.kind == "too_large" and second == {"obs": 3}


def test_stress_mutations_stay_within_the_cap():
    import random

    from autoharness.probes.candidates import mutations

    action = "[" + "1" * (DEFAULT_MAX_ACTION_LEN - 2) + "]"
    assert all(len(m) <= DEFAULT_MAX_ACTION_LEN for m in mutations(action, random.Random(0)))
    assert "[3][3]" in mutations("[3]", random.Random(0))


def test_a_batch_of_values_is_held_to_a_total_size():
    """Each value under the per-value limit, the batch over four values' worth: the host stops
    reading instead of holding count x max_value_bytes."""
    source = '''GAMES = ["ConnectFour-v0"]
def propose_action(obs):
    return "[0]"
def eval_action(obs, action):
    return True
def value(state):
    return "x" * 300_000
'''
    with SandboxedHarness(source, name="big.py", check=False, max_value_bytes=400_000) as h:
        results = h.call_many("value", [(i,) for i in range(12)])
        kinds = [getattr(r, "kind", None) for r in results]
        assert "crash" in kinds and all(
            r == "x" * 300_000 for r, kind in zip(results, kinds, strict=True) if kind is None)
        assert len(h.call("value", 0)) == 300_000  # the next call works


def test_a_planner_reply_with_a_bad_simulation_count_does_not_break_the_host():
    from autoharness.worldmodel.agent import Budget, _PlannerAgent

    agent = _PlannerAgent(Budget(10), 1, 0, "mcts", None)
    for bad in ("x", float("inf"), None, [1]):
        proposal = agent._proposal({"visits": {"[3]": 5}, "simulations": bad}, 0.0, [], "mcts")
        assert proposal.action == "[3]"
    assert agent.simulations == 0
