"""The library's verifiers reject every action on which the engine raises.

An action that makes TextArena 0.7.4 raise is illegal ("engine error: ..."), so a verifier that
accepts it lets a wrapped agent crash the game. Each test builds the position (a seed and move
list, or a board set by hand), shows that the oracle's verdict is an engine error, and that the
library harness rejects the action while still accepting a legal move there.
"""

from __future__ import annotations

import random

import pytest

from autoharness.arena import GameEnv
from autoharness.arena.env import ENGINE_ERROR
from autoharness.harness.library import find_harness
from autoharness.harness.runtime import InProcessHarness


def _harness(game: str) -> InProcessHarness:
    path = find_harness(game)
    return InProcessHarness(path.read_text(), name=path.name, seed=0)


def _crashes(env: GameEnv, action: str) -> None:
    verdict = env.is_legal(action)
    assert not verdict.legal and verdict.engine_error, (action, verdict)
    assert verdict.reason.startswith(ENGINE_ERROR)


def _rejected_but_legal_kept(game: str, env: GameEnv, crashing: list[str], legal: str) -> None:
    harness = _harness(game)
    observation = env.observation()
    for action in crashing:
        _crashes(env, action)
        assert harness.evaluate(observation, action) is False, action
    assert env.is_legal(legal).legal
    assert harness.evaluate(observation, legal) is True
    proposal = harness.propose(observation)
    assert env.is_legal(proposal).legal, proposal


@pytest.mark.parametrize("game", ["Chess-v0", "Chess-v0-blind"])
def test_chess_null_moves(game: str) -> None:
    env = GameEnv(game, seed=0)
    for move in ("[e2e4]", "[e7e5]"):
        env.step(move)
    _rejected_but_legal_kept(game, env, ["[e2e2]", "[g1g1]", "[e4e4q]", "Nf3 [d1d1]"], "[g1f3]")


def test_stratego_moves_from_a_lake_square() -> None:
    env = GameEnv("Stratego-v0", seed=0)
    harness = _harness("Stratego-v0")
    legal = harness.propose(env.observation())
    _rejected_but_legal_kept("Stratego-v0", env, ["[E2 D2]", "[F7 F8]", "[e3 d3]"], legal)


# Stratego-v0 seed 49, the library harness playing (random.seed(49)): the 60th move, Player 1's
# [E1 D1], is a Miner defusing Player 0's bomb on D1. The engine keeps D1 on Player 0's piece
# list, so any later move that empties D1 makes its winner check read None["rank"].
_STRATEGO_49 = (
    "[D0 G0] [G8 F8] [D4 E4] [G4 F4] [D5 E5] [F4 E4] [D3 D4] [G9 G8] [E5 D5] [F8 E8] [D5 E5] "
    "[G5 F5] [E5 D5] [G6 G4] [C3 D3] [E8 E9] [D3 C3] [E9 E8] [D4 D3] [G7 G6] [E4 F4] [E8 E9] "
    "[D5 D4] [G6 G5] [C5 E5] [H7 G7] [E5 F5] [G4 F4] [C6 C5] [G3 G4] [D9 E9] [G8 G9] [D4 E4] "
    "[G4 G3] [D6 D5] [G9 F9] [C7 C6] [G5 G4] [B7 C7] [G7 H7] [D3 D4] [F5 G5] [C7 B7] [F9 F8] "
    "[D5 F5] [F8 F9] [B7 C7] [H7 G7] [A7 B7] [F9 G9] [C9 D9] [G1 F1] [A8 A7] [F1 E1] [C5 D5] "
    "[E9 E8] [C6 C5] [E8 D8] [D9 C9] [E1 D1]").replace("] [", "]|[").split("|")


def test_stratego_moving_a_miner_off_the_square_it_defused() -> None:
    env = GameEnv("Stratego-v0", seed=49)
    for move in _STRATEGO_49:
        assert env.step(move).legal, move
    assert "As miners can defuse bombs" in env.observation().rsplit("Current Board:", 2)[-2]
    harness = _harness("Stratego-v0")
    random.seed(0)
    reply = harness.propose(env.observation())  # Player 0 moves somewhere else
    assert env.step(reply).legal
    off_the_square = [m for m in ("[D1 C1]", "[D1 E1]", "[D1 D0]", "[D1 D2]")
                      if env.is_legal(m).engine_error]
    assert off_the_square, "the Miner on D1 has somewhere to go"
    legal = harness.propose(env.observation())
    _rejected_but_legal_kept("Stratego-v0", env, off_the_square, legal)


def test_spite_and_malice_bare_play() -> None:
    env = GameEnv("SpiteAndMalice-v0", seed=0)
    _rejected_but_legal_kept("SpiteAndMalice-v0", env, ["[play]", "[draw] [play]"], "[draw]")


def _place(r: int, c: int, player: int) -> str:
    return f"[place () {{({r},{c}): [F{player}]}}]"


def test_tak_road_completing_move() -> None:
    """Player 0's fourth flat on column 0 completes a road: set_winner(player_ids=...) raises."""
    env = GameEnv("Tak-v0", seed=0)
    for move in (_place(0, 0, 0), _place(0, 3, 1), _place(1, 0, 0), _place(1, 3, 1),
                 _place(2, 0, 0), _place(2, 3, 1)):
        assert env.step(move).legal, move
    _rejected_but_legal_kept("Tak-v0", env, [_place(3, 0, 0)], _place(3, 2, 0))


def test_tak_empty_piece_list() -> None:
    env = GameEnv("Tak-v0", seed=0)
    _rejected_but_legal_kept("Tak-v0", env, ["[place () {(1,1): []}]"], _place(1, 1, 0))


def _checkers_position(pieces: dict[tuple[int, int], str]) -> tuple[GameEnv, str]:
    env = GameEnv("Checkers-v0", seed=0)
    board = [["."] * 8 for _ in range(8)]
    for (r, c), piece in pieces.items():
        board[r][c] = piece
    env.raw_env.state.game_state["board"] = board
    return env, env.observation() + f"\n[GAME] Current board:\n{env.raw_env._render_board()}"


def test_checkers_move_that_leaves_the_mover_without_a_move() -> None:
    """Red's man at (3,0) steps to (2,1), where black men on (1,0), (1,2) and (0,3) leave it no
    step and no jump; red's other man (7,0) is blocked by (6,1) and (5,2). After the step red has
    no move, and the engine's no-move check calls set_winners(player_id=...), which raises."""
    harness = _harness("Checkers-v0")
    blocked = {(7, 0): "r", (6, 1): "b", (5, 2): "b"}
    env, observation = _checkers_position({(3, 0): "r", (1, 0): "b", (1, 2): "b", (0, 3): "b",
                                           **blocked})
    _crashes(env, "[3 0 2 1]")
    assert harness.evaluate(observation, "[3 0 2 1]") is False
    # Without the man on (1,2) the same step leaves red a move: legal, and accepted.
    env, observation = _checkers_position({(3, 0): "r", (1, 0): "b", (0, 3): "b", **blocked})
    assert env.is_legal("[3 0 2 1]").legal
    assert harness.evaluate(observation, "[3 0 2 1]") is True
