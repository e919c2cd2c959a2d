"""The Minesweeper harness's constraint solver, against brute force on boards built by hand.

The verifier must reject exactly the hidden cells that the visible board proves to be mines
(every mine placement consistent with the numbers has a mine there); the proposer must play a
provably safe cell whenever there is one, and otherwise a cell of lowest mine probability. The
last test shows a position no harness can get through without risk: several seeds give the same
observation, and every hidden cell holds a mine on one of them.
"""

from __future__ import annotations

import importlib.util
import itertools
import random
import sys
from types import ModuleType

import pytest

from autoharness.arena import GameEnv, decidability
from autoharness.harness.library import find_harness

Cell = tuple[int, int]


@pytest.fixture(scope="module")
def minesweeper() -> ModuleType:
    path = find_harness("Minesweeper-v0")
    spec = importlib.util.spec_from_file_location("library_minesweeper", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _count(mines: set[Cell], r: int, c: int) -> int:
    return sum((r + dr, c + dc) in mines for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc)


def _observation(rows: int, cols: int, mines: set[Cell], revealed: set[Cell],
                 hits: tuple[Cell, ...] = ()) -> str:
    """The engine's rendering of a board (the harness reads the last one)."""
    text = "   " + " ".join(str(c).rjust(2) for c in range(cols)) + "\n"
    for r in range(rows):
        text += f"{r:2} " + "".join(f" {_count(mines, r, c)} " if (r, c) in revealed else " . "
                                    for c in range(cols)) + "\n"
    hit_lines = "".join(f"[GAME] Player 0 attempted an invalid move. Reason: You hit a mine at "
                        f"({r}, {c}).\n" for r, c in hits)
    head = "[GAME] You are playing the Minesweeper game.\n"
    return f"{head}{hit_lines}[GAME] Current Board:\n\n{text}"


def _brute_force(rows: int, cols: int, mines: set[Cell], revealed: set[Cell],
                 hits: tuple[Cell, ...], total: int | None):
    """(proven mines, proven safe, mine probability) over every placement of mines on the
    hidden cells that matches the revealed numbers (and the total, when given)."""
    hidden = [(r, c) for r in range(rows) for c in range(cols)
              if (r, c) not in revealed and (r, c) not in hits]
    numbers = {cell: _count(mines, *cell) for cell in revealed}
    tally = dict.fromkeys(hidden, 0)
    solutions = 0
    if total is None:
        placements = (
            {cell for cell, bit in zip(hidden, bits, strict=True) if bit}
            for bits in itertools.product((0, 1), repeat=len(hidden)))
    else:
        placements = (set(chosen) for chosen in itertools.combinations(hidden, total - len(hits)))
    for placement in placements:
        placed = placement | set(hits)
        if all(_count(placed, *cell) == n for cell, n in numbers.items()):
            solutions += 1
            for cell in placed - set(hits):
                tally[cell] += 1
    assert solutions, "the board built by hand is inconsistent"
    proven = {cell for cell, n in tally.items() if n == solutions} | set(hits)
    safe = {cell for cell, n in tally.items() if n == 0}
    return proven, safe, {cell: n / solutions for cell, n in tally.items()}


def _random_board(rng: random.Random, rows: int, cols: int, count: int, max_hidden: int,
                  numbers_only: bool = False):
    """Mines anywhere, some safe cells revealed (only cells showing a number, if asked: a 0 proves
    all its neighbours safe), sometimes a mine hit."""
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    mines = set(rng.sample(cells, count))
    free = [cell for cell in cells if cell not in mines
            and not (numbers_only and _count(mines, *cell) == 0)]
    revealed = set(rng.sample(free, rng.randint(min(len(free) - 1, len(cells) - max_hidden),
                                                len(free) - 1)))
    hits = tuple(rng.sample(sorted(mines), rng.randint(0, 1)))
    return mines, revealed, hits


def test_complete_propagation_proves_a_mine_the_local_rules_miss(minesweeper) -> None:
    """(1, 3) is a mine in every consistent placement, but no single number and no pair of
    numbers (the subset rule) shows it: only the combination of all of them does."""
    mines = {(0, 0), (0, 3), (1, 0), (1, 3), (2, 0)}
    revealed = {(0, 2), (0, 4), (0, 5), (1, 1), (2, 2), (3, 0), (3, 2), (3, 3), (3, 4), (3, 5)}
    observation = _observation(4, 6, mines, revealed)
    proven, safe, _probability = _brute_force(4, 6, mines, revealed, (), None)
    assert (1, 3) in proven
    found_mines, found_safe, _p = minesweeper._analysis(observation)
    assert found_mines == proven and found_safe == safe
    assert minesweeper.eval_action(observation, "[1 3]") is False
    for cell in safe:
        assert minesweeper.eval_action(observation, f"[{cell[0]} {cell[1]}]") is True


@pytest.mark.parametrize("rows,cols,count", [(4, 6, 6), (5, 5, 5), (3, 7, 5)])
def test_solver_matches_brute_force(minesweeper, rows: int, cols: int, count: int) -> None:
    """5x5 is a registered size (Minesweeper-v0-small, 5 mines): there the total is a constraint
    too; the other sizes are not, so only the numbers count."""
    rng = random.Random(rows * 100 + cols)
    total = minesweeper.TOTAL_MINES.get((rows, cols))
    for _ in range(60):
        mines, revealed, hits = _random_board(rng, rows, cols, count, max_hidden=11)
        observation = _observation(rows, cols, mines, revealed, hits)
        proven, safe, probability = _brute_force(rows, cols, mines, revealed, hits, total)
        found_mines, found_safe, found_probability = minesweeper._analysis(observation)
        assert found_mines == proven, observation
        assert found_safe == safe, observation
        for cell in safe | (proven - set(hits)):
            assert found_probability[cell] == probability[cell]
        if total is not None:  # every placement equally likely: the exact probabilities
            for cell, p in probability.items():
                assert found_probability[cell] == pytest.approx(p, abs=1e-12), (cell, observation)
        for r in range(rows):
            for c in range(cols):
                hidden = (r, c) not in revealed
                expected = hidden and (r, c) not in proven
                assert minesweeper.eval_action(observation, f"[{r} {c}]") is expected


def test_the_total_decides_cells_away_from_every_number(minesweeper) -> None:
    """5x5 with 5 mines: the numbers prove five mines, so every other hidden cell is safe, even
    the ones no number touches."""
    mines = {(0, 0), (0, 2), (0, 4), (2, 0), (2, 4)}
    revealed = {(0, 1), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2), (2, 3)}
    observation = _observation(5, 5, mines, revealed)
    proven, safe, _probability = _brute_force(5, 5, mines, revealed, (), 5)
    found_mines, found_safe, _p = minesweeper._analysis(observation)
    assert found_mines == proven == mines
    assert {(4, 0), (4, 2), (4, 4)} <= found_safe == safe


def test_proposer_plays_a_safe_cell_whenever_one_is_proven(minesweeper) -> None:
    rng = random.Random(7)
    checked = guesses = 0
    for trial in range(120):  # half of the boards show only a few numbers: some need a guess
        mines, revealed, hits = _random_board(rng, 5, 5, 5, max_hidden=17 if trial % 2 else 23,
                                              numbers_only=trial % 2 == 0)
        observation = _observation(5, 5, mines, revealed, hits)
        _proven, safe, probability = _brute_force(5, 5, mines, revealed, hits, 5)
        random.seed(checked)
        r, c = map(int, minesweeper.propose_action(observation).strip("[]").split())
        if safe:
            assert (r, c) in safe, observation
            checked += 1
        else:  # a guess, on a cell no other is less likely to hold a mine
            assert probability[(r, c)] == pytest.approx(min(probability.values())), observation
            guesses += 1
    assert checked >= 20 and guesses >= 5


# Minesweeper-v0-small, first click [1 1]: these four seeds show the same board afterwards
# (columns 0-1 clear, column 2 reading 1, 2, 2, 2, 1), and each of the ten hidden cells holds a
# mine on at least one of them. No cell is provably safe, so whatever any harness plays next is
# illegal on one of these seeds: an illegal action forced by chance.
_SAME_BOARD_SEEDS = (253, 500, 701, 1131)


def test_a_forced_guess_no_harness_can_avoid(minesweeper) -> None:
    observations, mines = set(), []
    for seed in _SAME_BOARD_SEEDS:
        env = GameEnv("Minesweeper-v0-small", seed=seed)
        assert env.step("[1 1]").legal
        observation = env.observation()
        observations.add(observation.rsplit("Board:", 1)[-1])
        assert decidability.forced_guess(env, observation)  # the engine-side check agrees
        assert not minesweeper._analysis(observation)[1]  # nor does the total prove a cell safe
        hidden = {(r, c) for r in range(5) for c in range(5) if not env.raw_env.revealed[r][c]}
        mines.append({cell for cell in hidden if not env.is_legal(f"[{cell[0]} {cell[1]}]").legal})
        assert mines[-1] == {cell for cell in hidden if env.raw_env.grid[cell[0]][cell[1]] == -1}
    assert len(observations) == 1
    assert set().union(*mines) == hidden  # every possible next action is a mine somewhere
