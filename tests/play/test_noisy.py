"""``noisy:0.5`` (an unreliable stand-in for an LLM) with and without a sound harness."""

import pytest

from autoharness.play import HarnessAgent, HarnessedAgent, NoisyAgent, play_games
from tests.play.conftest import sandboxed

GAMES = ["TicTacToe-v0", "ConnectFour-v0", "Nim-v0", "Othello-v0-tiny", "2048-v0-ultra-easy"]
N = 20


@pytest.mark.parametrize("game_id", GAMES)
def test_noisy_wrapped_never_reaches_the_engine_illegally(game_id):
    with sandboxed(game_id, seed=0) as harness:
        noisy = NoisyAgent(harness, 0.5, seed=1)
        wrapped = play_games(game_id, HarnessedAgent(noisy, harness), HarnessAgent(harness),
                             games=N, seed=0)
        unwrapped = play_games(game_id, NoisyAgent(harness, 0.5, seed=1),
                               HarnessAgent(harness), games=N, seed=0)
    w, u = wrapped.agent, unwrapped.agent
    print(f"{game_id}: wrapped {w.illegal_to_engine}/{w.moves} illegal, {w.retries} retries, "
          f"{w.fallbacks} fallbacks; unwrapped {u.illegal_to_engine}/{u.moves} illegal")
    assert len(wrapped.games) == len(unwrapped.games) == N
    assert noisy.illegal_proposed > 0.3 * w.moves  # it really was noisy
    assert w.illegal_to_engine == 0
    assert w.retries >= noisy.illegal_proposed - w.fallbacks
    assert w.harness_failures == 0
    assert all(g.outcome in ("win", "draw", "loss", "reward") for g in wrapped.games)
    assert 0.3 < u.illegal_to_engine / u.moves < 0.7  # about half rejected by the engine
    assert u.retries == u.fallbacks == 0
    if wrapped.players == 2:  # seats alternate
        assert [g.agent_seat for g in wrapped.games[:4]] == [0, 1, 0, 1]
        assert wrapped.results()["wins"] > unwrapped.results()["wins"]
    else:
        assert wrapped.results()["mean_reward"] > unwrapped.results()["mean_reward"]


@pytest.mark.parametrize("game_id", ["TicTacToe-v0", "Nim-v0"])
def test_filter_mode_picks_among_harness_candidates(game_id):
    with sandboxed(game_id, seed=0) as harness:
        agent = HarnessedAgent(NoisyAgent(harness, 0.5, seed=2), harness, mode="filter", k=3)
        results = play_games(game_id, agent, HarnessAgent(harness), games=6, seed=0)
    assert results.agent.illegal_to_engine == 0
    assert all(r.candidates and len(r.candidates) <= 3 for r in agent.records)
    assert all(r.action in r.candidates or r.attempts[-1].verdict for r in agent.records)
    assert results.agent.retries > 0
