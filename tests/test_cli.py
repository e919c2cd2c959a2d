"""The command line as users type it: names, one-line errors, machine-readable output."""

import json

from typer.testing import CliRunner

from autoharness.cli import app

runner = CliRunner()


def json_of(output: str):
    return json.loads(output[output.index(next(c for c in output if c in "[{")):])


def test_games_lists_the_145_with_their_harnesses() -> None:
    result = runner.invoke(app, ["games", "--json"])
    assert result.exit_code == 0, result.output
    games = json_of(result.output)
    assert len(games) == 145
    assert all(game["harness"] for game in games), [g["id"] for g in games if not g["harness"]]
    chess = runner.invoke(app, ["games", "chess", "--json"])
    assert {g["id"] for g in json_of(chess.output)} == {"Chess-v0", "Chess-v0-blind",
                                                        "Chess-v0-long"}


def test_verify_reports_figures_by_their_names() -> None:
    result = runner.invoke(app, ["verify", "tictactoe", "--seeds", "0,1", "--steps", "100",
                                 "--json"])
    assert result.exit_code == 0, result.output
    report = json_of(result.output)
    for key in ("legal_rate", "actions", "false_accepts", "false_rejects", "harness_failures"):
        assert key in report
    assert report["seeds"] == [0, 1] and report["actions"] == 200 and report["legal_rate"] == 1.0


def test_bad_input_is_one_line_and_exit_2(tmp_path) -> None:
    unknown = runner.invoke(app, ["verify", "tictactoo"])
    assert unknown.exit_code == 2
    assert "unknown game 'tictactoo'" in unknown.output and "TicTacToe-v0" in unknown.output
    broken = tmp_path / "broken.py"
    broken.write_text('GAMES = ["TicTacToe-v0"]\ndef propose_action(obs):\n    return "[0]"\n')
    result = runner.invoke(app, ["verify", "TicTacToe-v0", "--harness", str(broken)])
    assert result.exit_code == 2 and "eval_action" in result.output
    assert len(result.output.strip().splitlines()) == 1
    seeds = runner.invoke(app, ["verify", "TicTacToe-v0", "--seeds", "many"])
    assert seeds.exit_code == 2 and "--seeds" in seeds.output
