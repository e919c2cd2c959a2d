"""Which verdicts the visible information decides, and which illegal actions were forced."""

from __future__ import annotations

import itertools
import random

from autoharness.arena import GameEnv, decidability
from autoharness.arena.mine_constraints import deduce, neighbours
from autoharness.harness.runtime import InProcessHarness
from autoharness.harness.stuck import IllegalClassifier
from autoharness.harness.verify import verify


def test_deductions_are_exactly_what_every_consistent_board_agrees_on():
    rng = random.Random(7)
    for _ in range(150):
        rows, cols = 3, 4
        cells = [(r, c) for r in range(rows) for c in range(cols)]
        mines = set(rng.sample(cells, rng.randint(1, 5)))
        revealed = {cell for cell in cells if cell not in mines and rng.random() < 0.5}
        numbers = {cell: sum(n in mines for n in neighbours(cell, rows, cols))
                   for cell in revealed}
        hidden = set(cells) - revealed
        known = {next(iter(sorted(mines)))} & hidden if rng.random() < 0.3 else set()
        found = deduce(numbers, hidden, known, rows, cols)
        free = sorted(hidden - known)
        possible: dict = {cell: set() for cell in free}
        for bits in itertools.product((0, 1), repeat=len(free)):
            placed = {cell for cell, bit in zip(free, bits, strict=True) if bit} | known
            if all(sum(n in placed for n in neighbours(cell, rows, cols)) == count
                   for cell, count in numbers.items()):
                for cell, bit in zip(free, bits, strict=True):
                    possible[cell].add(bit)
        for cell in free:
            expected = {frozenset({1}): "mine", frozenset({0}): "safe"}.get(
                frozenset(possible[cell]), "undecided")
            got = ("mine" if cell in found.mines else "safe" if cell in found.safe
                   else "undecided")
            assert got == expected, (cell, numbers, known)


def _minesweeper(mines: set[tuple[int, int]], revealed: set[tuple[int, int]]) -> GameEnv:
    """A 5x5 game after its first move, with the given mines and revealed cells."""
    env = GameEnv("Minesweeper-v0-small", seed=0)
    assert env.step("[2 2]").legal  # the first move lays the mines; we then lay our own
    raw = env.raw_env
    raw.grid = [[-1 if (r, c) in mines else 0 for c in range(5)] for r in range(5)]
    raw.calculate_adjacent_numbers()
    raw.revealed = [[(r, c) in revealed for c in range(5)] for r in range(5)]
    return env


def test_minesweeper_cells_the_board_proves_are_decided_the_rest_are_not():
    # Revealed (0,0) shows 1: exactly one mine among (0,1), (1,0), (1,1); nothing else is known.
    env = _minesweeper({(1, 1), (4, 4)}, {(0, 0)})
    observation = env.observation()
    for action in ["[0 1]", "[1 0]", "[1 1]", "[3 3]", "[4 4]"]:
        assert not decidability.verdict_decided(env, observation, action)
    for action in ["[0 0]", "[9 9]", "hello", "[0 0 0]"]:
        assert decidability.verdict_decided(env, observation, action)
    assert decidability.forced_guess(env, observation)
    # With (0,1) and (1,0) revealed too, (0,0)'s 1 can only be (1,1); (0,1)'s 1 then makes
    # (0,2) and (1,2) safe.
    env = _minesweeper({(1, 1), (4, 4)}, {(0, 0), (0, 1), (1, 0)})
    observation = env.observation()
    assert decidability.verdict_decided(env, observation, "[1 1]")  # the only place left
    assert not env.is_legal("[1 1]").legal
    assert not decidability.forced_guess(env, observation)  # e.g. (0, 2) is provably safe


def test_a_mine_the_player_hit_is_known():
    env = _minesweeper({(1, 1), (4, 4)}, {(0, 0)})
    assert not decidability.verdict_decided(env, env.observation(), "[4 4]")
    hit = env.step("[4 4]")
    assert not hit.legal and not hit.done  # the first invalid move is forgiven
    assert "You hit a mine at (4, 4)" in env.observation()
    assert decidability.verdict_decided(env, env.observation(), "[4 4]")


def test_other_games_are_always_decided():
    env = GameEnv("Chess-v0", seed=0)
    assert decidability.verdict_decided(env, env.observation(), "[e2e5]")
    assert not decidability.forced_guess(env, env.observation())


class _Proposes:
    def __init__(self, *actions: str) -> None:
        self.actions = list(actions)

    def propose_many(self, observations):
        return [self.actions[i % len(self.actions)] for i in range(len(observations))]


def test_a_guess_is_forced_only_when_no_cell_is_provably_safe():
    classify = IllegalClassifier(_Proposes("[3 3]"), [], random.Random(0))
    forced = _minesweeper({(1, 1), (4, 4)}, {(0, 0)})
    kind = classify(forced, forced.observation(), 0, "[1 1]")
    assert kind.undecidable and not kind.stuck  # (3, 3) is legal: not stuck
    avoidable = _minesweeper({(1, 1), (4, 4)}, {(0, 0), (0, 1), (1, 0)})
    assert not classify(avoidable, avoidable.observation(), 0, "[4 4]").undecidable


def test_a_position_without_legal_moves_is_stuck():
    env = GameEnv("Checkers-v0", seed=0)
    board = [["." for _ in range(8)] for _ in range(8)]
    board[6][1], board[7][0], board[7][2], board[5][5] = "b", "r", "r", "r"
    env.raw_env.state.game_state["board"] = board
    assert env.step("[5 5 4 4]").legal  # stock 0.7.4: Black, blocked, is asked to move
    vocabulary = ["[6 1 7 0]", "[6 1 7 2]", "[2 1 3 2]", "[5 0 4 1]"]
    classify = IllegalClassifier(_Proposes("[6 1 5 0]"), vocabulary, random.Random(0))
    assert classify(env, env.observation(), 1, "[6 1 7 0]").stuck
    start = GameEnv("Checkers-v0", seed=0)
    assert not classify(start, start.observation(), 0, "[0 0 0 0]").stuck


_ANY_HIDDEN_CELL = '''
import re
GAMES = ["Minesweeper-v0-small"]
def _hidden(observation):
    board = observation.rsplit("Board:", 1)[-1]
    rows = re.findall(r"^ *(\\d+) ((?: +[.\\d*])+) *$", board, re.MULTILINE)
    return [f"[{r} {c}]" for r, cells in rows for c, v in enumerate(cells.split()) if v == "."]
def propose_action(observation):
    cells = _hidden(observation)
    return cells[len(observation) % len(cells)] if cells else "[0 0]"
def eval_action(observation, action):
    return action in _hidden(observation)
'''


def test_verify_reports_undecidable_verdicts_apart():
    harness = InProcessHarness(_ANY_HIDDEN_CELL, name="any.py")
    report = verify("Minesweeper-v0-small", harness, [0, 1], 60, stress_positions=60)
    assert report.undecidable_false_accepts > 0
    assert report.illegal_undecidable <= report.illegal_actions
    assert report.illegal_actions > 0
    figures = report.figures()
    for key in ("illegal_stuck", "illegal_undecidable", "undecidable_false_accepts",
                "undecidable_false_rejects", "engine_error_accepts", "engine"):
        assert key in figures
    assert figures["engine"] == "stock"
