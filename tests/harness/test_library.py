"""Finding harness files by game id (in temporary directories; the repo's harnesses/ is
never written to)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autoharness.harness import library
from autoharness.harness.errors import HarnessError
from autoharness.harness.library import (
    ENV_VAR,
    default_search_path,
    find_harness,
    list_harnesses,
    repo_harnesses_dir,
)


def write(directory: Path, name: str, games: list[str], doc: str = "A harness.") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f'"""{doc}"""\nGAMES = {games!r}\n\n\ndef propose_action(obs):\n'
                    f'    return "x"\n\n\ndef eval_action(obs, action):\n    return True\n')
    return path


def test_repo_directory_is_next_to_the_package():
    import autoharness

    assert repo_harnesses_dir() == Path(autoharness.__file__).resolve().parent.parent / "harnesses"
    assert default_search_path()[-1] == repo_harnesses_dir()


def test_find_in_a_directory(tmp_path):
    path = write(tmp_path, "tictactoe.py", ["TicTacToe-v0", "TicTacToe-v0-train"])
    write(tmp_path, "chess.py", ["Chess-v0"])
    write(tmp_path, "_private.py", ["Sudoku-v0"])
    assert find_harness("TicTacToe-v0", tmp_path) == path
    assert find_harness("TicTacToe-v0-train", str(tmp_path)) == path
    assert find_harness("tictactoe", tmp_path) == path  # a family name resolves to TicTacToe-v0
    only_blind = write(tmp_path / "blind", "chess.py", ["Chess-v0-blind"])
    assert find_harness("chess", only_blind.parent) is None  # cards match exact ids: not -blind
    assert find_harness("NoSuchGame", tmp_path) is None
    assert find_harness("Sudoku-v0", tmp_path) is None  # _files are skipped
    assert find_harness("Chess-v0", [tmp_path / "missing", tmp_path]) == tmp_path / "chess.py"


def test_two_claims_in_one_directory_name_both_files(tmp_path):
    first = write(tmp_path, "a.py", ["Chess-v0"])
    second = write(tmp_path, "b.py", ["Chess-v0", "Chess-v1"])
    with pytest.raises(HarnessError) as error:
        find_harness("Chess-v0", tmp_path)
    assert str(first) in str(error.value) and str(second) in str(error.value)
    assert find_harness("Chess-v1", tmp_path) == second


def test_earlier_directories_win(tmp_path):
    early = write(tmp_path / "early", "x.py", ["Chess-v0"])
    write(tmp_path / "late", "y.py", ["Chess-v0"])
    assert find_harness("Chess-v0", [tmp_path / "early", tmp_path / "late"]) == early


def test_environment_variable_is_searched_first(tmp_path, monkeypatch):
    first = write(tmp_path / "one", "x.py", ["Chess-v0"])
    second = write(tmp_path / "two", "y.py", ["Go-v0"])
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(tmp_path / "one"), "", str(tmp_path / "two")]))
    assert default_search_path() == [tmp_path / "one", tmp_path / "two", repo_harnesses_dir()]
    assert find_harness("Chess-v0") == first
    assert find_harness("Go-v0") == second
    assert find_harness("Nonexistent-v0") is None


def test_a_file_is_used_directly(tmp_path):
    path = write(tmp_path, "custom.py", ["Chess-v0"])
    assert find_harness("Chess-v0", path) == path
    with pytest.raises(HarnessError, match="does not serve Go-v0"):
        find_harness("Go-v0", path)


def test_broken_files_are_skipped_with_a_warning(tmp_path):
    (tmp_path / "broken.py").write_text("GAMES = [\n")
    good = write(tmp_path, "good.py", ["Chess-v0"])
    with pytest.warns(UserWarning, match="broken.py"):
        assert find_harness("Chess-v0", tmp_path) == good
    with pytest.raises(HarnessError, match="broken.py: line 1"):
        find_harness("Chess-v0", tmp_path / "broken.py")


def test_list_harnesses_and_the_cache(tmp_path):
    path = write(tmp_path, "chess.py", ["Chess-v0"], doc="Chess. Uses python-chess.")
    write(tmp_path, "go.py", ["Go-v0"])
    listed = list_harnesses(tmp_path)
    assert [(p.name, c.games) for p, c in listed] == [("chess.py", ["Chess-v0"]),
                                                      ("go.py", ["Go-v0"])]
    assert listed[0][1].summary == "Chess. Uses python-chess."
    write(tmp_path, "chess.py", ["Chess-v0", "Chess-v0-blind"])
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse clocks
    assert find_harness("Chess-v0-blind", tmp_path) == path
    assert path in library._cache
