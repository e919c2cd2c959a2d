"""Library harnesses for the games the fixed profile patches, right on both engine profiles.

Where stock 0.7.4 and the fixed profile disagree on an action (Tak's road-completing move,
Checkers' move that leaves the mover without a move) the harness reads ``ENGINE_PROFILE`` and
follows the engine it is given; where the fixed engine announces more (QuantumTicTacToe's
dependent collapses) the verifier reads those announcements. Each test builds the position on
both engines and checks the engine's verdict and the harness's, with the harness loaded for that
profile; short rollouts check proposals on the fixed engine. Tak's proposals also keep the
opponent an action on both profiles (a full board of the other side's stacks leaves none).
"""

from __future__ import annotations

import pytest

from autoharness.arena import GameEnv
from autoharness.arena.rollout import batched, play
from autoharness.harness.library import find_harness
from autoharness.harness.runtime import InProcessHarness

PROFILES = ("stock", "fixed")


def _harness(game: str, engine: str) -> InProcessHarness:
    path = find_harness(game)
    return InProcessHarness(path.read_text(), name=path.name, seed=0, engine=engine)


# -- Tak: the road-completing move ------------------------------------------------------------

def _tak_place(r: int, c: int, player: int) -> str:
    return f"[place () {{({r},{c}): [F{player}]}}]"


def _tak_road_position(engine: str) -> GameEnv:
    """Player 0 has flats on (0,0), (1,0), (2,0); (3,0) completes a road down column 0."""
    env = GameEnv("Tak-v0", seed=0, engine=engine)
    for move in (_tak_place(0, 0, 0), _tak_place(0, 3, 1), _tak_place(1, 0, 0),
                 _tak_place(1, 3, 1), _tak_place(2, 0, 0), _tak_place(2, 3, 1)):
        assert env.step(move).legal, move
    return env


def _tak_observation(env: GameEnv) -> str:
    """The observation with the board as it is now (hand-set cells are not announced)."""
    raw = env.raw_env
    left = raw.players[raw.state.current_player_id]
    return (env.observation() + f"\n[GAME] Current Board:\n\n{raw._render_board()}\nAvailable "
            f"Flat Stones: {left['stones']}, Available Capstones: {left['capstones']}\n")


@pytest.mark.parametrize("engine", PROFILES)
def test_tak_road_completing_move_follows_the_profile(engine: str) -> None:
    env = _tak_road_position(engine)
    road, quiet = _tak_place(3, 0, 0), _tak_place(3, 2, 0)
    verdict = env.is_legal(road)
    harness = _harness("Tak-v0", engine)
    observation = env.observation()
    if engine == "stock":  # set_winner(player_ids=...) raises: illegal
        assert not verdict.legal and verdict.engine_error
    else:  # the road builder wins
        assert verdict.legal and verdict.engine_error is None
    assert harness.evaluate(observation, road) is verdict.legal
    assert harness.evaluate(observation, quiet) is True and env.is_legal(quiet).legal
    # The other profile's harness would be wrong here: the constant is what decides.
    other = _harness("Tak-v0", "fixed" if engine == "stock" else "stock")
    assert other.evaluate(observation, road) is (not verdict.legal)


@pytest.mark.parametrize("engine", PROFILES)
def test_tak_a_road_left_to_the_player_to_move(engine: str) -> None:
    """The engine checks the mover's road after every action, even an invalid one. A road on the
    board for the player to move (as a move of the opponent's can leave it) makes every answer
    that keeps the road raise on stock — why stock proposals never give either side a road — and
    makes every legal answer that keeps it a win on fixed. An answer that breaks the road (moving
    one of its flats off) is legal on both and ends nothing; each profile's harness judges both."""
    env = _tak_road_position(engine)
    env.raw_env.state.game_state["board"][3][0] = ["F0"]  # Player 0 to move, with a road
    quiet, breaks_road = _tak_place(3, 2, 0), "[move (3,0) {(3,1): [F0]}]"
    harness = _harness("Tak-v0", engine)
    observation = _tak_observation(env)
    verdict = env.is_legal(quiet)
    assert harness.evaluate(observation, quiet) is verdict.legal
    assert env.is_legal(breaks_road).legal and harness.evaluate(observation, breaks_road)
    assert env.is_legal(harness.propose(observation)).legal
    if engine == "stock":
        assert not verdict.legal and verdict.engine_error
        assert env.is_legal("[nonsense]").engine_error
    else:
        assert verdict.legal
        result = env.step(quiet)
        assert result.done and env.close()[0] == {0: 1, 1: -1}
    env = _tak_road_position(engine)
    env.raw_env.state.game_state["board"][3][0] = ["F0"]
    assert not env.step(breaks_road).done


@pytest.mark.parametrize("engine", PROFILES)
def test_tak_proposals_leave_the_opponent_an_action(engine: str) -> None:
    """Player 0's walls top 15 squares, one is empty: placing there would leave Player 1 no
    square and no stack (no legal action, on either profile). Moving a wall into the hole is
    what keeps play going."""
    def walled(env: GameEnv) -> GameEnv:
        for r, row in enumerate(env.raw_env.state.game_state["board"]):  # in place: the env
            for c, stack in enumerate(row):  # renders its own reference to it
                stack[:] = [] if (r, c) == (1, 2) else ["W0"]
        env.raw_env.players[0]["stones"] = 5
        return env

    env = walled(GameEnv("Tak-v0", seed=0, engine=engine))
    assert env.is_legal(_tak_place(1, 2, 0)).legal  # legal itself, but a dead end for Player 1
    harness = _harness("Tak-v0", engine)
    placements = [_tak_place(r, c, 1) for r in range(4) for c in range(4)]
    for _ in range(5):
        proposal = harness.propose(_tak_observation(env))
        assert proposal.startswith("[move "), proposal
        twin = walled(GameEnv("Tak-v0", seed=0, engine=engine))
        assert twin.step(proposal).legal
        assert any(twin.is_legal(action).legal for action in placements)


# Seed 6 of `bench --games Tak-v0` (stock), Player 1 to move before its 47th action: the old
# proposal [move (0,0) {(0,1): [W1]}] covered Player 0's last flat and left every W0 boxed in.
_BOXED_IN = [[["F1", "W1"], ["F0"], ["W0"], ["F0", "C1"]],
             [["W1"], ["F1", "W0"], ["F0", "W0"], ["W0"]],
             [["W0"], ["F1", "W1"], ["W0"], ["F1", "W0"]],
             [["F0", "W1"], ["F1", "W1"], ["F0", "F1", "W0"], ["W1"]]]


def _boxed_in(engine: str) -> GameEnv:
    env = GameEnv("Tak-v0", seed=6, engine=engine)
    assert env.step(_tak_place(0, 0, 0)).legal  # Player 1 to move
    for r, row in enumerate(env.raw_env.state.game_state["board"]):
        for c, stack in enumerate(row):
            stack[:] = _BOXED_IN[r][c]
    env.raw_env.players[1].update(stones=3, capstones=0)
    return env


@pytest.mark.parametrize("engine", PROFILES)
def test_tak_proposals_do_not_box_the_opponent_in(engine: str) -> None:
    env = _boxed_in(engine)
    assert env.step("[move (0,0) {(0,1): [W1]}]").legal
    steps = [f"[move ({r},{c}) {{({r + dr},{c + dc}): [W0]}}]" for r in range(4) for c in range(4)
             for dr, dc in ((0, 1), (1, 0), (0, -1), (-1, 0))]
    assert not any(env.is_legal(action).legal for action in steps)  # the dead end itself
    harness = _harness("Tak-v0", engine)
    for _ in range(5):
        env = _boxed_in(engine)
        proposal = harness.propose(_tak_observation(env))
        assert env.step(proposal).legal, proposal
        answers = [harness.propose(_tak_observation(env)) for _ in range(3)]
        assert any(env.is_legal(answer).legal for answer in answers), (proposal, answers)


@pytest.mark.parametrize("game", ["Tak-v0", "Checkers-v0", "QuantumTicTacToe-v0"])
def test_proposals_are_legal_on_the_fixed_engine(game: str) -> None:
    harness = _harness(game, "fixed")
    records = list(play(game, [0, 1, 2], 150, batched(lambda obs, _p: harness.propose(obs)),
                        engine="fixed"))
    illegal = [(r.seed, r.step, r.action, r.reason) for r in records if not r.legal]
    assert not illegal, illegal[:3]
    assert any(r.episode_done for r in records)


# -- Checkers: the move that leaves the mover without a move ----------------------------------

def _checkers(engine: str, pieces: dict[tuple[int, int], str]) -> tuple[GameEnv, str]:
    env = GameEnv("Checkers-v0", seed=0, engine=engine)
    board = [["."] * 8 for _ in range(8)]
    for (r, c), piece in pieces.items():
        board[r][c] = piece
    env.raw_env.state.game_state["board"] = board
    return env, env.observation() + f"\n[GAME] Current board:\n{env.raw_env._render_board()}"


# Red's man (3,0) steps to (2,1), where black men on (1,0), (1,2), (0,3) leave it no step and no
# jump; red's other man (7,0) is blocked by (6,1) and (5,2): after the step red cannot move.
_MOVER_STUCK = {(3, 0): "r", (1, 0): "b", (1, 2): "b", (0, 3): "b", (7, 0): "r", (6, 1): "b",
                (5, 2): "b"}


@pytest.mark.parametrize("engine", PROFILES)
def test_checkers_move_leaving_the_mover_stuck_follows_the_profile(engine: str) -> None:
    env, observation = _checkers(engine, _MOVER_STUCK)
    verdict = env.is_legal("[3 0 2 1]")
    if engine == "stock":
        assert not verdict.legal and verdict.engine_error
    else:
        assert verdict.legal and verdict.engine_error is None
    harness = _harness("Checkers-v0", engine)
    assert harness.evaluate(observation, "[3 0 2 1]") is verdict.legal
    # [3 0 2 1] is Red's only move ((7,0) is blocked): on stock nothing is legal here, so only
    # the fixed engine's position can be asked for a legal proposal.
    assert not env.is_legal("[7 0 6 1]").legal and not harness.evaluate(observation, "[7 0 6 1]")
    if engine == "fixed":
        for _ in range(10):
            assert env.is_legal(harness.propose(observation)).legal


@pytest.mark.parametrize("engine", PROFILES)
def test_checkers_world_model_follows_the_profile(engine: str) -> None:
    """The fixed engine ends the game for the stuck mover (it loses) and lists the move; on stock
    the move is not legal. A quiet move that blocks Black's last man: stock plays on (Black is
    stuck and forfeits), fixed ends the game at once; both give Red the win."""
    env, observation = _checkers(engine, _MOVER_STUCK)
    harness = _harness("Checkers-v0", engine)
    state = harness.call("parse_state", observation)
    listed = "[3 0 2 1]" in harness.call("legal_actions", state)
    assert listed is (engine == "fixed")
    if engine == "fixed":
        after = harness.call("apply", state, "[3 0 2 1]")
        assert harness.call("is_terminal", after) is True
        assert env.step("[3 0 2 1]").done
        assert harness.call("returns", after) == [-1.0, 1.0] and env.close()[0] == {0: -1, 1: 1}
    env, observation = _checkers(engine, {(6, 1): "b", (7, 0): "r", (7, 2): "r", (5, 5): "r"})
    state = harness.call("parse_state", observation)
    after = harness.call("apply", state, "[5 5 4 4]")
    result = env.step("[5 5 4 4]")
    assert result.legal and result.done is (engine == "fixed")
    assert harness.call("is_terminal", after) is True
    assert harness.call("returns", after) == [1.0, -1.0]


# -- QuantumTicTacToe: dependent collapses ---------------------------------------------------

def _quantum(engine: str, board: list[str]) -> GameEnv:
    env = GameEnv("QuantumTicTacToe-v0", seed=0, engine=engine)
    env.raw_env.state.game_state["board"] = [board[0:3], board[3:6], board[6:9]]
    return env


@pytest.mark.parametrize("engine", PROFILES)
def test_quantum_verifier_reads_the_fixed_engines_dependent_collapse(engine: str) -> None:
    """O's mark on 5/8 depends on 5; the cycle 5-6 puts X on 5, so on fixed O's mark collapses
    into 8 ("Dependent superposition resolved. Cell (2, 2) is now O."); stock leaves 8 open."""
    env = _quantum(engine, ["X", "O", "X", "", "", "", "", "", ""])
    # The hand-set cells 0-2 are never announced: the harness's board is the announced one,
    # so the test only asks about cells 3-8.
    for move in ("[5,8]", "[5,6]", "[5,6]"):
        assert env.step(move).legal, move
    harness = _harness("QuantumTicTacToe-v0", engine)
    observation = env.observation()
    assert ("Dependent superposition resolved. Cell (2, 2)" in observation) is (engine == "fixed")
    for action in ("[7,8]", "[3,4]", "[4,7]", "[3,5]"):
        assert harness.evaluate(observation, action) is env.is_legal(action).legal, action
