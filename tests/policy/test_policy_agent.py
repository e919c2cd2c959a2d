"""The harness as the player: the harness-policy agent, and the wrapper's fallback to
choose_action once an agent's rejections are used up."""

from __future__ import annotations

from autoharness.harness.runtime import InProcessHarness
from autoharness.play.harnessed import HARNESS_POLICY, HARNESS_PROPOSED, HarnessedAgent
from autoharness.play.policy_agent import HarnessPolicyAgent, NoPolicyError, require_policy
from autoharness.policy.episodes import POLICY, PROPOSER, play_episode
from tests.policy.helpers import library, with_policy, without_policy

HANOI = "TowerOfHanoi-v0"


def first_observation(game: str, seed: int = 0) -> str:
    from autoharness.arena import GameEnv

    return GameEnv(game, seed=seed).observation()


def test_the_policy_agent_plays_choose_action_and_falls_back_when_it_fails():
    obs = first_observation(HANOI)
    with InProcessHarness(library("towerofhanoi")) as harness:
        proposal = HarnessPolicyAgent(harness).propose(obs)
        assert proposal.action == "[A C]" and proposal.harness_failure is None  # 3 disks: A->C
    with InProcessHarness(with_policy("towerofhanoi", "raise RuntimeError('planted')")) as h:
        agent = HarnessPolicyAgent(h)
        proposal = agent.propose(obs)
        assert "choose_action failed" in proposal.harness_failure and "planted" in \
            proposal.harness_failure
        assert proposal.action in ("[A B]", "[A C]")  # propose_action's legal move
        assert agent.policy_failures == 1


def test_a_harness_without_choose_action_is_refused_for_the_policy_agent():
    with InProcessHarness(without_policy("towerofhanoi")) as harness:
        try:
            require_policy(harness, "hanoi.py")
        except NoPolicyError as error:
            assert "choose_action" in str(error)
        else:
            raise AssertionError("a harness without choose_action was accepted")


def test_the_wrapper_falls_back_to_choose_action_after_the_rejections():
    obs = first_observation(HANOI)
    with InProcessHarness(library("towerofhanoi")) as harness:
        wrapped = HarnessedAgent(lambda observation: "[C A]", harness, max_retries=2)
        record = wrapped.act(obs, 0)
        assert record.fallback == HARNESS_POLICY and record.action == "[A C]"
        assert sum(a.source == "agent" for a in record.attempts) == 3
    # A policy whose move its own eval_action rejects is not played: propose_action is.
    with InProcessHarness(with_policy("towerofhanoi", "return '[C A]'")) as harness:
        record = HarnessedAgent(lambda observation: "[C A]", harness, max_retries=0).act(obs, 0)
        assert record.fallback == HARNESS_PROPOSED and record.action in ("[A B]", "[A C]")


def test_episodes_count_failed_policy_calls_and_still_finish():
    with InProcessHarness(with_policy("towerofhanoi", "return None")) as harness:
        episode = play_episode(HANOI, harness, 0, POLICY, max_turns=30)
    # every move fell back to propose_action: legal, and no better than random (0 at the limit)
    assert episode.failures == episode.turns > 0 and episode.illegal == 0
    assert episode.score == 0.0
    with InProcessHarness(library("towerofhanoi")) as harness:
        solved = play_episode(HANOI, harness, 0, POLICY)
        sampled = play_episode(HANOI, harness, 0, PROPOSER, max_turns=30)
    assert solved.reward == 1.0 and solved.turns == 7 and not solved.failures
    assert sampled.function == PROPOSER and len(sampled.call_seconds) == sampled.turns
