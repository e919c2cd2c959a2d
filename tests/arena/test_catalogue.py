import pytest

from autoharness.arena import UnknownGameError, benchmark_games, num_players, resolve_game


def test_catalogue_has_the_145_benchmark_games() -> None:
    games = benchmark_games()
    assert len(games) == 145
    assert len({g.id for g in games}) == 145
    chess = next(g for g in games if g.id == "Chess-v0")
    assert chess.players == 2 and chess.paper_llm_calls == 64 and chess.paper_gameplay_eval


@pytest.mark.parametrize(("typed", "expected"), [
    ("Chess-v0", "Chess-v0"), ("chess", "Chess-v0"), ("CHESS", "Chess-v0"),
    ("chess-v0-blind", "Chess-v0-blind"), ("tictactoe", "TicTacToe-v0"), ("2048", "2048-v0"),
    ("Chess-v0-raw", "Chess-v0-raw"),
])
def test_friendly_names_resolve(typed: str, expected: str) -> None:
    assert resolve_game(typed) == expected


def test_unknown_name_suggests_close_ids() -> None:
    with pytest.raises(UnknownGameError) as error:
        resolve_game("Chesss-v0")
    assert "Chess-v0" in str(error.value) and "\n" not in str(error.value)


def test_players_of_benchmark_and_other_ids() -> None:
    assert num_players("Sudoku-v0") == 1
    assert num_players("Poker-v0") == 2
    assert num_players("Poker-v0-raw") == 2
