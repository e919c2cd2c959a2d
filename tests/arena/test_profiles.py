"""Engine profiles: each upstream fix shows the stock 0.7.4 bug and the fixed behaviour.

Positions are set up on the engine's own state (the bug is in the engine's end-of-move checks,
which any position reaching them triggers), then one real ``step`` through ``GameEnv``.
"""

from __future__ import annotations

import pytest

from autoharness.arena import GameEnv, profiles
from autoharness.arena.fixes.breakthrough import FixedBreakthroughEnv
from autoharness.arena.rollout import play, play_parallel


def test_profile_names_are_checked():
    assert profiles.check_profile("fixed") == "fixed"
    with pytest.raises(profiles.UnknownProfileError, match="stock, fixed"):
        profiles.check_profile("nightly")
    with pytest.raises(ValueError):
        GameEnv("TicTacToe-v0", seed=0, engine="nightly")
    assert "0.7.4" in profiles.describe("stock")
    assert "#179-#183" in profiles.describe("fixed")
    assert profiles.fingerprint("stock") != profiles.fingerprint("fixed")


def test_every_fix_names_its_upstream_pull_request():
    numbers = set()
    for fix in profiles.FIXES:
        assert fix.upstream.startswith("TextArena PR #")
        numbers.add(int(fix.upstream.split("#")[1].split()[0]))
        assert issubclass(fix.load(), profiles.env_class("stock", fix.load().__mro__[1]))
    assert numbers == {179, 180, 181, 182, 183}


def test_stock_builds_the_pinned_classes_and_unfixed_games_are_untouched():
    stock, fixed = GameEnv("Checkers-v0", seed=0), GameEnv("Checkers-v0", seed=0, engine="fixed")
    assert type(stock.raw_env).__module__.startswith("textarena.")
    assert type(fixed.raw_env).__name__ == "FixedCheckersEnv"
    chess = GameEnv("Chess-v0", seed=0, engine="fixed")
    assert type(chess.raw_env).__module__.startswith("textarena.")


def test_the_oracle_copies_and_snapshots_keep_the_profile():
    env = GameEnv("UltimateTicTacToe-v0", seed=0, engine="fixed")
    assert type(env._copy_engine()).__name__ == "FixedUltimateTicTacToeEnv"
    assert type(env.clone().raw_env).__name__ == "FixedUltimateTicTacToeEnv"
    assert type(env.snapshot()().raw_env).__name__ == "FixedUltimateTicTacToeEnv"


# -- Tak (PR #179) -------------------------------------------------------------------------

def _tak_road_position(engine: str) -> GameEnv:
    """Player 0 has flats on (0,0)-(0,2); placing (0,3) completes a road across row 0."""
    env = GameEnv("Tak-v0", seed=0, engine=engine)
    for action in ["[place () {(0,0): [F0]}]", "[place () {(3,0): [F1]}]",
                   "[place () {(0,1): [F0]}]", "[place () {(3,1): [F1]}]",
                   "[place () {(0,2): [F0]}]", "[place () {(3,2): [F1]}]"]:
        result = env.step(action)
        assert result.legal and not result.done, (action, result)
    return env


def test_tak_stock_crashes_on_a_winning_move_which_is_therefore_illegal():
    env = _tak_road_position("stock")
    winning = "[place () {(0,3): [F0]}]"
    verdict = env.is_legal(winning)
    assert not verdict.legal
    assert verdict.reason.startswith("engine error: TypeError")
    assert "player_ids" in verdict.engine_error
    result = env.step(winning)
    assert not result.legal and result.done and result.engine_error


def test_tak_fixed_ends_the_game_with_the_road_builder_winning():
    env = _tak_road_position("fixed")
    result = env.step("[place () {(0,3): [F0]}]")
    assert result.legal and result.done and result.engine_error is None
    rewards, _info = env.close()
    assert rewards == {0: 1, 1: -1}


# -- Checkers (PR #181) --------------------------------------------------------------------

def _checkers(engine: str, pieces: dict[tuple[int, int], str]) -> GameEnv:
    env = GameEnv("Checkers-v0", seed=0, engine=engine)
    board = [["." for _ in range(8)] for _ in range(8)]
    for (row, col), piece in pieces.items():
        board[row][col] = piece
    env.raw_env.state.game_state["board"] = board
    return env


# Red (player 0, moving up) makes a quiet move; Black's only piece, at (6,1), is then blocked by
# red men on (7,0) and (7,2): the player to move has no legal move.
_BLACK_BLOCKED = {(6, 1): "b", (7, 0): "r", (7, 2): "r", (5, 5): "r"}


def test_checkers_stock_leaves_the_player_to_move_without_a_legal_move():
    env = _checkers("stock", _BLACK_BLOCKED)
    assert env.step("[5 5 4 4]").legal
    assert not env.done and env.current_player == 1
    assert not env.raw_env._has_legal_move(1)
    for action in ["[6 1 7 0]", "[6 1 7 2]", "[6 1 5 0]", "[6 1 5 2]"]:
        assert not env.is_legal(action).legal  # whatever Black answers is rejected


def test_checkers_fixed_ends_the_game_when_the_player_to_move_cannot_move():
    env = _checkers("fixed", _BLACK_BLOCKED)
    result = env.step("[5 5 4 4]")
    assert result.legal and result.done
    assert env.close()[0] == {0: 1, 1: -1}


def test_checkers_stock_crashes_when_the_mover_is_left_without_a_move():
    # Red's last man moves to (1,0), where Black's man on (0,1) blocks it: 0.7.4 then calls
    # set_winners(player_id=...), which raises.
    pieces = {(2, 1): "r", (0, 1): "b"}
    stock = _checkers("stock", pieces)
    verdict = stock.is_legal("[2 1 1 0]")
    assert not verdict.legal and verdict.reason.startswith("engine error: TypeError")
    fixed = _checkers("fixed", pieces)
    result = fixed.step("[2 1 1 0]")
    assert result.legal and result.done and result.engine_error is None
    assert fixed.close()[0] == {0: -1, 1: 1}  # upstream: the mover left without a move loses


# -- Breakthrough (PR #180) ----------------------------------------------------------------

# Found by random play on the fixed engine: after Black's 14th move, [b5b4], Black has no legal
# move left (every black man faces a white one with nothing to capture diagonally).
_BLOCKING_GAME = ["[b2b3]", "[c4b3]", "[a2b3]", "[c5c4]", "[b3a4]", "[c4c3]", "[d2c3]", "[b4b3]",
                  "[a1a2]", "[e4e3]", "[c2b3]", "[e5e4]", "[c3d4]", "[b5b4]"]


def _breakthrough(engine: str) -> GameEnv:
    env = GameEnv("Breakthrough-v0-tiny", seed=0, engine=engine)
    for action in _BLOCKING_GAME:
        assert not env.done
        assert env.step(action).legal, action
    return env


def test_breakthrough_stock_plays_on_into_a_position_without_legal_moves():
    env = _breakthrough("stock")
    assert not env.done
    assert not FixedBreakthroughEnv._can_move(env.raw_env, 1)  # Black cannot move; play goes on


def test_breakthrough_fixed_ends_the_game_when_a_side_cannot_move():
    env = _breakthrough("fixed")
    assert env.done
    assert env.close()[0] == {0: 1, 1: -1}
    assert "no more moves" in env.raw_env.state.game_info[0]["reason"]


def _scripted(game_id: str):
    """A rollout policy replaying ``_BLOCKING_GAME`` (module-level: it crosses processes)."""
    def policy(requests):
        policy.calls += 1
        return [_BLOCKING_GAME[min(policy.calls - 1, len(_BLOCKING_GAME) - 1)]] * len(requests)
    policy.calls = 0
    return policy


def test_the_profile_applies_in_worker_processes():
    """Each forkserver worker is a fresh interpreter: only the profile name reaches it."""
    records = list(play_parallel("Breakthrough-v0-tiny", [0, 1], len(_BLOCKING_GAME), _scripted,
                                 jobs=2, lanes_per_job=1, engine="fixed"))
    last = [r for r in records if r.step == len(_BLOCKING_GAME) - 1]
    assert len(last) == 2 and all(r.episode_done for r in last)
    stock = list(play("Breakthrough-v0-tiny", [0], len(_BLOCKING_GAME), _scripted("x")))
    assert not stock[-1].episode_done


# -- UltimateTicTacToe (PR #182) -----------------------------------------------------------

_DRAWN_MINI = [["X", "O", "X"], ["X", "O", "O"], ["O", "X", "X"]]  # full, no line


def _ultimate(engine: str) -> GameEnv:
    """Every mini-board full without a winner except board 8's last square; O to play there."""
    env = GameEnv("UltimateTicTacToe-v0", seed=0, engine=engine)
    game_state = env.raw_env.state.game_state
    game_state["board"] = [[row[:] for row in _DRAWN_MINI] for _ in range(9)]
    game_state["board"][8][2][2] = " "
    game_state["next_micro_board"] = 8
    return env


def test_ultimate_stock_goes_on_with_no_square_left():
    env = _ultimate("stock")
    assert env.step("[8 8]").legal
    assert not env.done
    assert not any(env.is_legal(f"[{m} {c}]").legal for m in range(9) for c in range(9))


def test_ultimate_fixed_calls_the_full_board_a_draw():
    env = _ultimate("fixed")
    result = env.step("[8 8]")
    assert result.legal and result.done
    assert env.close()[0] == {0: 0, 1: 0}


# -- QuantumTicTacToe (PR #183) ------------------------------------------------------------

def _quantum(engine: str, board: list[str]) -> GameEnv:
    """``board``: nine cells, "" empty, "X"/"O" classical; no spooky marks yet."""
    env = GameEnv("QuantumTicTacToe-v0", seed=0, engine=engine)
    env.raw_env.state.game_state["board"] = [board[0:3], board[3:6], board[6:9]]
    return env


# Cells 6, 7, 8 empty; the classical marks make no line whatever fills them.
_THREE_LEFT = ["X", "O", "X", "O", "X", "O", "", "", ""]


def _cycle_on_six_and_seven(env: GameEnv) -> None:
    assert env.step("[6,7]").legal  # O's spooky mark
    assert env.step("[6,7]").legal  # X's: a cycle, which collapses: O on 6, X on 7


def test_quantum_stock_leaves_one_square_nobody_can_play():
    env = _quantum("stock", _THREE_LEFT)
    _cycle_on_six_and_seven(env)
    assert not env.done
    assert sum(cell == "" for row in env.raw_env.state.game_state["board"] for cell in row) == 1
    assert not any(env.is_legal(f"[8,{b}]").legal for b in range(8))


def test_quantum_fixed_gives_the_last_square_to_the_next_player_and_ends():
    env = _quantum("fixed", _THREE_LEFT)
    _cycle_on_six_and_seven(env)
    board = env.raw_env.state.game_state["board"]
    assert board[2] == ["O", "X", "O"]  # square 8 went to O, the player to move next
    assert env.done
    assert env.close()[0] == {0: 0, 1: 0}  # a full board without a line: a draw


def test_quantum_fixed_collapses_dependent_marks():
    stock, fixed = (_quantum(e, ["X", "O", "X", "", "", "", "", "", ""]) for e in
                    ("stock", "fixed"))
    for env in (stock, fixed):
        assert env.step("[5,8]").legal  # O: a spooky mark on 5 and 8 (depends on 5)
        assert env.step("[5,6]").legal  # X
        assert env.step("[5,6]").legal  # O closes the cycle 5-6: X on 5, O on 6
    stock_board = stock.raw_env.state.game_state
    fixed_board = fixed.raw_env.state.game_state
    assert stock_board["board"][2][2] == "" and 0 in stock_board["superpositions"]
    assert fixed_board["board"][2][2] == "O" and 0 not in fixed_board["superpositions"]
    assert not fixed.done
    assert "already solidified" in fixed.is_legal("[7,8]").reason  # 8 is solid now
    assert stock.is_legal("[7,8]").legal
