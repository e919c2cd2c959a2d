"""GameEnv reproduces TextArena's observations and reads the engine's verdict at its source."""

import random
import re

import pytest
import textarena as ta

from autoharness.arena import GameEnv
from autoharness.arena.rollout import batched, play

TOKEN = re.compile(r"\[[^\[\]\n]{1,12}\]")


@pytest.mark.parametrize("game_id", ["Chess-v0", "KuhnPoker-v0", "Poker-v0", "Tak-v0",
                                     "Snake-v0", "2048-v0", "Battleship-v0", "LiarsDice-v0"])
def test_unstripped_observations_are_textarenas_byte_for_byte(game_id: str) -> None:
    mine = GameEnv(game_id, seed=3, strip_hints=False)
    theirs = ta.make(game_id)
    theirs.reset(num_players=mine.num_players, seed=3)
    rng = random.Random(0)
    for _ in range(30):
        player, observation = theirs.get_observation()
        assert (player, observation) == (mine.current_player, mine.observation())
        action = rng.choice(TOKEN.findall(observation[-2000:]) or ["[x]"])
        state = random.getstate()
        done, _ = theirs.step(action)
        random.setstate(state)  # both engines draw from the global stream: same draws for both
        assert mine.step(action).done == done
        if done:
            break


def test_oracle_leaves_the_env_and_global_random_untouched() -> None:
    env = GameEnv("2048-v0", seed=5)  # a new tile appears at random after every move
    twin = env.clone()
    before = random.getstate()
    for action in ("[up]", "[down]", "[left]", "[right]", "[nonsense]"):
        env.is_legal(action)
    assert random.getstate() == before
    assert env.observation() == twin.observation()
    random.setstate(before)
    env.step("[left]")
    random.setstate(before)
    twin.step("[left]")
    assert env.observation() == twin.observation()


def test_game_ending_invalid_move_is_seen() -> None:
    env = GameEnv("TicTacToe-v0", seed=0)
    first = env.step("[banana]")
    assert not first.legal and not first.done and "format" in first.reason
    second = env.step("[banana]")  # past the error allowance: the game ends, no admin message
    assert not second.legal and second.done
    rewards, _info = env.close()
    assert rewards[0] == -1


def test_oracle_matches_the_real_step() -> None:
    env = GameEnv("Chess-v0", seed=0)
    assert env.is_legal("e2e4").legal and env.is_legal("[e2e4]").legal
    verdict = env.is_legal("[e2e5]")
    assert not verdict.legal and verdict.reason == "Illegal move."
    assert not env.step("[e2e5]").legal
    assert env.step("[e2e4]").legal


def test_snake_invalid_move_kills_and_is_detected() -> None:
    env = GameEnv("Snake-v0", seed=0)
    assert env.is_legal("[up]").legal
    assert not env.is_legal("[jump]").legal
    result = env.step("[jump]")
    assert not result.legal and "dies" in result.reason


def test_hints_are_removed_but_the_board_stays() -> None:
    stripped = GameEnv("TicTacToe-v0", seed=0, keep_raw_text=True)
    assert "Available Moves" in stripped.raw_observation()
    assert "Available Moves" not in stripped.observation()
    assert "0 | 1 | 2" in stripped.observation()
    assert "Valid moves" not in GameEnv("Chess-v0", seed=0).observation()


def test_seeded_rollouts_are_reproducible() -> None:
    def policy(seed: int):
        rng = random.Random(seed)
        return batched(lambda obs, player: rng.choice(["[up]", "[down]", "[left]", "[right]"]))

    runs = [list(play("2048-v0-ultra-easy", [0, 1, 2], 60, policy(9))) for _ in range(2)]
    assert runs[0] == runs[1]
    assert len(runs[0]) == 180 and {r.seed for r in runs[0]} == {0, 1, 2}
    assert any(r.episode_done for r in runs[0]) or all(r.episode == 0 for r in runs[0])


def test_stop_on_illegal_ends_the_lane() -> None:
    records = list(play("TicTacToe-v0", [0], 50, batched(lambda obs, p: "[nope]"),
                        stop_on_illegal=True))
    assert len(records) == 1 and not records[0].legal


def test_what_an_engine_prints_while_judging_stays_out_of_our_output(capsys) -> None:
    """NewRecruit prints every offer it parses; a bench or verify run judges thousands."""
    from autoharness.arena import GameEnv

    env = GameEnv("NewRecruit-v0", seed=0)
    env.raw_env.step("[Propose] AAAAAAAA")  # the engine itself, unwrapped: it prints
    assert "Parsed letter sequence" in capsys.readouterr().out
    env = GameEnv("NewRecruit-v0", seed=0)
    assert env.is_legal("I offer this. [Propose] AAAAAAAA").legal
    assert env.step("[Propose] AAAAAAAA").legal
    assert capsys.readouterr().out == ""
