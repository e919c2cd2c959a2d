"""The policy objective normalises each game's reward with its true range: LightsOut pays below 0
for legal play, down to -24, so its range is (-24, 1), not the one-player default (0, 1)."""

from __future__ import annotations

from autoharness.arena import GameEnv
from autoharness.harness.runtime import InProcessHarness
from autoharness.policy.episodes import PROPOSER, play_episode
from autoharness.policy.objective import normalised, reward_range
from tests.policy.helpers import library

LIGHTS_OUT = "LightsOut-v0"


def test_lights_out_pays_below_zero_for_legal_play_down_to_minus_24():
    env = GameEnv(LIGHTS_OUT, seed=0)
    raw = env.raw_env
    size = raw.size
    raw._initial_on = 1  # the engine's own score at its extreme: one light at the start, all on
    raw.state.game_state["grid"] = [[True] * size for _ in range(size)]
    assert raw._get_percentage_completion() == 1 - size * size == reward_range(LIGHTS_OUT)[0]
    with InProcessHarness(library("lightsout")) as harness:
        episodes = [play_episode(LIGHTS_OUT, harness, seed, PROPOSER) for seed in range(20)]
    assert not any(e.illegal for e in episodes)
    rewards = [e.reward for e in episodes]
    legal_negative = [r for r in rewards if r is not None and r < 0]
    assert legal_negative, rewards  # the one-player default (0, 1) would clip these
    low, high = reward_range(LIGHTS_OUT)
    assert all(low <= r <= high for r in rewards if r is not None)
    worst = min(legal_negative)
    assert normalised(LIGHTS_OUT, worst) == (worst - low) / (high - low) > 0
    assert normalised(LIGHTS_OUT, 1.0) == 1.0 and normalised("TowerOfHanoi-v0", -0.5) == 0.0
