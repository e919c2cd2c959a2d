"""Positions with no legal move, and the library harnesses steering clear of them.

TextArena 0.7.4 has no rule for a player who cannot move in IndianPoker (broke after the ante),
Breakthrough, Checkers, UltimateTicTacToe (a full board without a winner), QuantumTicTacToe and
Stratego. Such positions are avoidable: the harness plays every seat and there is no chance move
that forces one. Each game below gets the seeds on which the harness shipped before ran into one
(recorded with it: first illegal action within the steps given), now played without an illegal
action, and the rule that avoids them on a position built by hand.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from types import ModuleType

import pytest

from autoharness.arena import GameEnv
from autoharness.arena.rollout import batched, play
from autoharness.harness.library import find_harness
from autoharness.harness.runtime import InProcessHarness


def _module(game: str) -> ModuleType:
    path = find_harness(game)
    spec = importlib.util.spec_from_file_location(f"library_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# (game, seeds, actions per seed): the old harness's first illegal action on each seed came
# within that many actions (IndianPoker-v0-extreme by action 98, Breakthrough-v0-tiny 179,
# Checkers-v0 234, Stratego-v0 141, UltimateTicTacToe-v0 71, QuantumTicTacToe-v0 63).
ONCE_STUCK = [
    ("IndianPoker-v0-extreme", [0, 1, 2, 3], 100),
    ("Breakthrough-v0-tiny", [4, 6], 200),
    ("Checkers-v0", [9, 10], 240),
    ("Stratego-v0", [6, 9], 150),
    ("UltimateTicTacToe-v0", [0, 5], 80),
    ("QuantumTicTacToe-v0", [0, 1, 2, 6], 70),
]


@pytest.mark.parametrize("game,seeds,steps", ONCE_STUCK)
def test_seeds_that_once_ended_in_a_dead_end_play_cleanly(game, seeds, steps) -> None:
    path = find_harness(game)
    harness = InProcessHarness(path.read_text(), name=path.name, seed=0)
    records = list(play(game, seeds, steps, batched(lambda obs, _player: harness.propose(obs))))
    assert len(records) == len(seeds) * steps
    illegal = [(r.seed, r.step, r.action, r.reason) for r in records if not r.legal]
    assert not illegal, illegal[:3]


def _poker(rounds: int, bankroll: int, this_round: int, facing_bet: int) -> str:
    """Player 0's observation in IndianPoker: ``bankroll`` chips before this round's ante."""
    text = (f"\n[GAME] You are Player 0 in a game of Indian Poker.\n- 52-card deck; you see only "
            f"the opponent's card.\n- Ante 1 chip(s) each round, {rounds} round(s) total.\n")
    text += (f"\n[GAME] ### Round {this_round - 1}/{rounds}\nYour opponent's card is: 9"
             f"\n[GAME] Player 1 folded.  Pot 2 → Player 0. (Bankrolls P0:{bankroll}, "
             f"P1:{200 - bankroll})")
    text += f"\n[GAME] ### Round {this_round}/{rounds}\nYour opponent's card is: 4"
    if facing_bet:
        text += f"\n[Player 1] [bet {facing_bet}]\n[GAME] Player 1 -> [bet {facing_bet}]"
    return text


def test_indian_poker_keeps_one_chip_per_ante_to_come() -> None:
    poker = _module("IndianPoker-v0")
    # Round 3 of 5 with 3 chips: 2 after this ante, and rounds 4 and 5 take one each.
    facing = _poker(rounds=5, bankroll=3, this_round=3, facing_bet=1)
    assert poker.eval_action(facing, "[call]")  # legal (1 <= 2), yet it would bust us later
    opening = _poker(rounds=5, bankroll=3, this_round=3, facing_bet=0)
    last = _poker(rounds=5, bankroll=3, this_round=5, facing_bet=1)  # no ante to come
    for seed in range(40):
        random.seed(seed)
        assert poker.propose_action(facing) == "[fold]"
        assert poker.propose_action(opening) in ("[check]", "[fold]")
        assert poker.propose_action(last) in ("[call]", "[raise 1]", "[fold]")


def _breakthrough(rows: dict[tuple[int, int], str], me: str = "W") -> str:
    env = GameEnv("Breakthrough-v0-tiny", seed=0)
    board = [[""] * 5 for _ in range(5)]
    for (r, c), piece in rows.items():
        board[r][c] = piece
    env.raw_env.state.game_state["board"] = board
    prompt = env.observation().split("\n[GAME] \n")[0]
    if me == "B":
        prompt = prompt.replace("You are playing White", "You are playing Black")
    return prompt + "\n[GAME] " + env.raw_env._render_board()


def test_breakthrough_plays_a_winning_move_and_avoids_blocking_the_opponent() -> None:
    breakthrough = _module("Breakthrough-v0-tiny")
    # White a4 can step onto Black's home row (a5 is empty): a win.
    winning = _breakthrough({(3, 0): "W", (0, 4): "W", (4, 2): "B", (4, 3): "B"})
    # White a3-a4 would leave Black's only piece (a5) blocked, without a win: a dead end.
    blocking = _breakthrough({(2, 0): "W", (0, 2): "W", (4, 0): "B"})
    for seed in range(30):
        random.seed(seed)
        assert breakthrough.propose_action(winning) == "[a4a5]"
        move = breakthrough.propose_action(blocking)
        assert move != "[a3a4]" and breakthrough.eval_action(blocking, move)
    assert breakthrough.eval_action(blocking, "[a3a4]")  # legal all the same
