"""The command line: verify --world-model (exit codes, JSON, the card), learn --objective."""

import json

from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.harness.card import read_card
from tests.worldmodel.helpers import library, mutant

runner = CliRunner()


def test_verify_world_model_json_and_card(tmp_path):
    path = tmp_path / "tictactoe.py"
    path.write_text(library("tictactoe"))
    result = runner.invoke(app, ["verify", "TicTacToe-v0", "--harness", str(path), "--world-model",
                                 "--seeds", "1", "--steps", "12", "--json", "--update-card"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["clean"] and data["tiers"]["dynamics"]["checks"] > 0
    entry = read_card(path.read_text()).verified["TicTacToe-v0"]
    assert entry["world_model"]["dynamics"] == 1.0
    assert "--world-model" in entry["world_model"]["command"]
    assert entry["legal_rate"] == 1.0  # the legality figures are kept


def test_verify_world_model_not_clean_exits_1(tmp_path):
    path = tmp_path / "tictactoe.py"
    path.write_text(mutant("tictactoe", "1 - player)", "player)"))
    result = runner.invoke(app, ["verify", "TicTacToe-v0", "--harness", str(path), "--world-model",
                                 "--seeds", "1", "--steps", "8"])
    assert result.exit_code == 1
    assert "transition_mismatch" in result.output and "NOT clean" in result.output


def test_unknown_learn_objective_is_a_one_line_error():
    result = runner.invoke(app, ["learn", "TicTacToe-v0", "--model", "scripted/x",
                                 "--objective", "telepathy"])
    assert result.exit_code == 2
    assert "unknown objective 'telepathy'" in result.output and "world-model" in result.output
