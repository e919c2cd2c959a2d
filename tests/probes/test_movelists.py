"""The engine's own move lists, oracle-side: exact where TextArena prints them, never shown."""

import random

import pytest

from autoharness.arena.env import GameEnv
from autoharness.arena.movelists import listed_moves

LISTING_GAMES = ["TicTacToe-v0", "WildTicTacToe-v0", "Stratego-v0", "SimpleTak-v0",
                 "Crusade-v0", "SpiteAndMalice-v0", "FifteenPuzzle-v0", "Othello-v0",
                 "KuhnPoker-v0", "Chess-v0", "SantoriniBaseFixed-v0"]


@pytest.mark.parametrize("game", LISTING_GAMES)
def test_every_listed_move_is_legal_and_none_is_visible(game: str) -> None:
    rng = random.Random(0)
    env, positions = GameEnv(game, seed=3), 0
    while positions < 12 and not env.done:
        moves = listed_moves(env)
        assert moves, f"{game}: no list at a position"
        verdicts = {m: env.is_legal(m) for m in moves}
        assert all(v.legal for v in verdicts.values()), [
            (m, v.reason) for m, v in verdicts.items() if not v.legal][:3]
        tail = env.observation()[-400:]
        assert not any(f"Available Moves: {m}" in tail or f"Valid moves: {m}" in tail
                       for m in moves)
        env.step(rng.choice(moves))
        positions += 1


def test_games_without_a_list_have_none() -> None:
    assert listed_moves(GameEnv("ConnectFour-v0", seed=0)) is None
    assert listed_moves(GameEnv("Chess-v0-blind", seed=0)) is None
