"""The best reward any policy can reach on the four paper games where it is below 1 (stock
TextArena 0.7.4); ``tests/policy/test_reward_caps.py`` checks the engine facts each rests on and
that the library's policies reach them.

* Bandit-v0 pays every final answer its regret, max p - p(answer), even the right one (0.7.4
  compares the name with the dict of means, TextArena issue #173): no policy, even one told the
  means, beats max p - min p on a seed (0.38 in expectation).
* Blackjack-v0 pays wins / hands (a push is no win) on an infinite deck: the best per-hand win
  probability over all hit/stand rules, by exact dynamic programming (0.4316).
* Secretary-v0 shows 5 i.i.d. uniform values and pays 1 only for the maximum: the full-information
  best-choice problem, solved by backward induction (0.639).
* FifteenPuzzle-v0 crashes on the solving move (no reward) and ends after exactly 201 moves; no
  slide changes the board's parity invariant: the score of the best other arrangement the
  invariants allow, exactly, per seed.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable
from functools import cache

import numpy as np

from autoharness.arena import GameEnv

#: The expected cap of Bandit-v0 over random seeds: 0.55 - E[min of 4 U(0.1, 0.45)].
BANDIT_EXPECTED = 0.55 - (0.1 + 0.35 / 5)
FIFTEEN_MOVES = 201  # FifteenPuzzle-v0: max_turns 200, checked before the turn counter moves on


# ---- Bandit ------------------------------------------------------------------------------------

def bandit_cap(seeds: Iterable[int]) -> float:
    """Mean over ``seeds`` of max p - min p: no policy earns more on these seeds."""
    caps = []
    for seed in seeds:
        means = GameEnv("Bandit-v0", seed=seed).raw_env.state.game_state["ground_truth"]
        caps.append(max(means.values()) - min(means.values()))
    return statistics.fmean(caps)


# ---- Blackjack ---------------------------------------------------------------------------------

RANKS = ("2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K", "A")


def _value(rank: str) -> int:
    return 10 if rank in ("J", "Q", "K") else 11 if rank == "A" else int(rank)


def add_card(total: int, soft: bool, rank: str) -> tuple[int, bool]:
    aces, total = int(soft) + (rank == "A"), total + _value(rank)
    while total > 21 and aces:
        total, aces = total - 10, aces - 1
    return total, aces > 0


@cache
def _dealer_final(total: int, soft: bool) -> dict[int, float]:
    """The dealer draws while under 17; 22 stands for any bust."""
    if total > 21:
        return {22: 1.0}
    if total >= 17:
        return {total: 1.0}
    finals: dict[int, float] = {}
    for rank in RANKS:
        for final, p in _dealer_final(*add_card(total, soft, rank)).items():
            finals[final] = finals.get(final, 0.0) + p / len(RANKS)
    return finals


def stand_wins(total: int, dealer_start: tuple[int, bool]) -> float:
    finals = _dealer_final(*dealer_start)
    return sum(p for final, p in finals.items() if final == 22 or final < total)


@cache
def best_wins(total: int, soft: bool, up: str) -> float:
    """The highest probability of winning the hand from here, for any hit/stand rule."""
    if total > 21:
        return 0.0
    stand = stand_wins(total, add_card(0, False, up))
    hit = sum(best_wins(*add_card(total, soft, rank), up) for rank in RANKS) / len(RANKS)
    return max(stand, hit)


def blackjack_cap() -> float:
    """The best expected share of hands won, over all hit/stand rules."""
    deals = itertools.product(RANKS, RANKS, RANKS)  # two player cards, the dealer's up card
    return statistics.fmean(best_wins(*add_card(*add_card(0, False, a), b), up)
                            for a, b, up in deals)


# ---- Secretary ---------------------------------------------------------------------------------

def secretary_cap(n: int, grid: int = 4000) -> float:
    """The best probability of stopping at the maximum of n i.i.d. uniform values shown in turn,
    over all stopping rules: backward induction on the running maximum m (midpoint grid).
    ``win[m]``: the chance of winning by going on with i values seen and running maximum m."""
    m = (np.arange(grid) + 0.5) / grid
    win = np.zeros(grid)  # after the last value there is nothing to go on to
    for seen in range(n - 1, 0, -1):
        left_after_next = n - seen - 1
        # the next value x: below m, nothing changes; above m, take the better of accepting
        # (it wins when the rest are below x) and going on with maximum x (the last value is
        # taken anyway, and wins when it is above m: x ** 0 = 1)
        new_max = np.maximum(m ** left_after_next, win)
        win = m * win + np.cumsum(new_max[::-1])[::-1] / grid
    return float(np.mean(np.maximum(m ** (n - 1), win)))


# ---- FifteenPuzzle -----------------------------------------------------------------------------

GOAL = tuple(range(1, 16)) + (0,)


def _colour(position: int) -> int:
    return (position // 4 + position % 4) & 1


def _invariant(cells: tuple[int, ...]) -> int:
    """Permutation parity (gap as 16) xor the gap's chequerboard colour: a slide flips both."""
    perm, seen, parity = [c - 1 if c else 15 for c in cells], [False] * 16, 0
    for start in range(16):
        length, i = 0, start
        while not seen[i]:
            seen[i], i, length = True, perm[i], length + 1
        parity ^= max(length - 1, 0) & 1
    return parity ^ _colour(cells.index(0))


def fifteen_cap(first: tuple[int, ...], moves: int, largest: int = 3) -> float:
    """The engine's score (share of the cells out of place at the start that are right at the
    end) of the best arrangement, other than the solved one, with the start's invariant and the
    gap's colour after ``moves`` slides. The fewest counted cells a permutation of the goal in
    such a class must move is reached with at most 3 moved cells (a transposition or a 3-cycle,
    with or without the gap), so permutations of up to ``largest`` cells are searched; the test
    checks on some seeds that 4 finds nothing better."""
    counted = [first[i] != GOAL[i] for i in range(16)]
    colour = _colour(first.index(0)) ^ (moves & 1)
    invariant, fewest = _invariant(first), 16
    for size in range(2, largest + 1):
        for cells in itertools.combinations(range(16), size):
            for image in itertools.permutations(cells):
                if any(a == b for a, b in zip(cells, image, strict=True)):
                    continue
                board = list(GOAL)
                for a, b in zip(cells, image, strict=True):
                    board[b] = GOAL[a]
                board = tuple(board)
                if _colour(board.index(0)) == colour and _invariant(board) == invariant:
                    fewest = min(fewest, sum(counted[c] for c in cells))
    return (sum(counted) - fewest) / sum(counted)


@cache
def fifteen_seed_cap(seed: int) -> float:
    """FifteenPuzzle-v0's cap on ``seed``."""
    return fifteen_cap(fifteen_first_board(seed), FIFTEEN_MOVES)


def fifteen_first_board(seed: int) -> tuple[int, ...]:
    board = GameEnv("FifteenPuzzle-v0", seed=seed).raw_env.initial_board
    return tuple(0 if tile is None else tile for row in board for tile in row)


def caps(seeds: Iterable[int]) -> dict[str, float]:
    """Per capped game, the most a policy can earn on ``seeds`` (Bandit, FifteenPuzzle: exactly
    on those seeds) or expect (Blackjack, Secretary: their draws are random)."""
    seeds = list(seeds)
    return {"Bandit-v0": bandit_cap(seeds), "Blackjack-v0": blackjack_cap(),
            "Secretary-v0": secretary_cap(5),
            "FifteenPuzzle-v0": statistics.fmean(fifteen_seed_cap(s) for s in seeds)}
