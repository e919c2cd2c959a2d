"""A small benchmark end to end through the CLI: table, summary, plot, resume, broken harnesses."""

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from autoharness.bench.tasks import COLUMNS
from autoharness.cli import app

FORBIDDEN_IMPORT = '''"""Broken on purpose: harness code may not touch the operating system."""
GAMES = ["Nim-v0"]
PROVENANCE = {"method": "hand-written"}
import os
def propose_action(obs: str) -> str:
    return "[0 1]"
def eval_action(obs: str, action: str) -> bool:
    return True
'''

CRASHES = '''"""Crashes on purpose."""
GAMES = ["TicTacToe-v0"]
PROVENANCE = {"method": "hand-written"}
def propose_action(obs: str) -> str:
    raise RuntimeError("boom")
def eval_action(obs: str, action: str) -> bool:
    raise RuntimeError("boom")
'''


def test_small_bench_end_to_end(tmp_path: Path, monkeypatch) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "nim_broken.py").write_text(FORBIDDEN_IMPORT)
    (overrides / "tictactoe_crashes.py").write_text(CRASHES)
    monkeypatch.setenv("AUTOHARNESS_HARNESSES", str(overrides))
    out = tmp_path / "results"
    args = ["bench", "--games", "Nim-v0,TicTacToe-v0,ConnectFour-v0", "--seeds", "2",
            "--steps", "50", "--jobs", "2", "--out", str(out), "--stress-positions", "20"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output  # ran; a broken and a crashing harness: not clean
    assert "NOT clean: 2 of 3 games (Nim-v0, TicTacToe-v0)" in result.output
    assert "below 1.000: TicTacToe-v0 0.0000" in result.output
    table = pd.read_csv(out / "results.csv")
    assert list(table.columns[: len(COLUMNS)]) == COLUMNS
    rows = table.set_index("game")
    assert set(rows.index) == {"Nim-v0", "TicTacToe-v0", "ConnectFour-v0"}
    assert rows.loc["Nim-v0", "status"] == "broken"
    assert "'os'" in rows.loc["Nim-v0", "error"]
    assert rows.loc["TicTacToe-v0", "harness_failures"] > 0
    assert rows.loc["TicTacToe-v0", "legal_rate"] < 1.0
    assert rows.loc["ConnectFour-v0", "status"] == "ok"
    assert rows.loc["ConnectFour-v0", "legal_rate"] == 1.0
    assert rows.loc["ConnectFour-v0", "actions"] == 100
    assert (out / "legality.png").stat().st_size > 10_000
    summary = json.loads((out / "summary.json").read_text())
    assert summary["broken"] == ["Nim-v0"]

    # A second run finds every game finished and redoes none of them.
    before = {p.name: p.stat().st_mtime_ns for p in (out / "rows").iterdir()}
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1, again.output
    assert "3 reused from an earlier run" in again.output
    assert before == {p.name: p.stat().st_mtime_ns for p in (out / "rows").iterdir()}


def test_missing_harness_is_listed_not_skipped(tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = CliRunner().invoke(app, ["bench", "--games", "IteratedPrisonersDilemma-v0,Nim-v0",
                                      "--seeds", "1", "--steps", "10", "--out", str(out),
                                      "--jobs", "1"])
    assert result.exit_code == 1, result.output  # a game without a harness is not clean
    rows = pd.read_csv(out / "results.csv").set_index("game")
    assert rows.loc["IteratedPrisonersDilemma-v0", "status"] == "missing"
    assert rows.loc["Nim-v0", "status"] == "ok"
    assert "missing: IteratedPrisonersDilemma-v0" in result.output


def test_bad_input_is_a_one_line_error(tmp_path: Path) -> None:
    unknown = CliRunner().invoke(app, ["bench", "--games", "Chezz", "--out", str(tmp_path)])
    assert unknown.exit_code == 2 and "unknown game" in unknown.output
    no_file = CliRunner().invoke(app, ["bench", "--games", "Nim-v0", "--harness",
                                       str(tmp_path / "nope.py"), "--out", str(tmp_path)])
    assert no_file.exit_code == 2 and "no harness file" in no_file.output
    cards = CliRunner().invoke(app, ["bench", "--games", "Nim-v0", "--agent", "noisy:0.3",
                                     "--update-cards", "--out", str(tmp_path / "noisy")])
    assert cards.exit_code == 2 and "--update-cards" in cards.output
    assert not (tmp_path / "noisy" / "results.csv").exists()  # refused before any work


def test_update_cards_records_the_verify_command_and_figures(tmp_path: Path, monkeypatch) -> None:
    from autoharness.harness.card import read_card

    library = Path(__file__).resolve().parents[2] / "harnesses" / "nim.py"
    copy = tmp_path / "lib" / "nim.py"
    copy.parent.mkdir()
    copy.write_text(library.read_text())
    monkeypatch.setenv("AUTOHARNESS_HARNESSES", str(copy.parent))
    result = CliRunner().invoke(app, ["bench", "--games", "Nim-v0,Nim-v0-large", "--seeds", "2",
                                      "--steps", "40", "--jobs", "1", "--update-cards",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    verified = read_card(copy.read_text()).verified
    rows = pd.read_csv(tmp_path / "out" / "results.csv").set_index("game")
    for game in ("Nim-v0", "Nim-v0-large"):
        assert verified[game]["command"] == f"autoharness verify {game} --seeds 2 --steps 40"
        assert verified[game]["actions"] == rows.loc[game, "actions"] == 80
        assert verified[game]["stress_checks"] == rows.loc[game, "stress_checks"]
    assert "Nim-v0-medium" in verified  # the card's other games keep their earlier figures
