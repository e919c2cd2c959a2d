"""``--engine stock|fixed`` on bench, verify, play and learn; results say which profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autoharness.cli import app

runner = CliRunner()


def _json(output: str):
    return json.loads(output[output.index(next(c for c in output if c in "[{")):])


@pytest.mark.parametrize("command", [["bench", "--games", "TicTacToe-v0"],
                                     ["verify", "TicTacToe-v0"],
                                     ["play", "TicTacToe-v0", "--agent", "noisy:0.1"],
                                     ["learn", "TicTacToe-v0", "--model", "scripted/x"]])
def test_an_unknown_profile_is_a_one_line_error(command):
    result = runner.invoke(app, [*command, "--engine", "nightly"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "stock, fixed" in lines[0], result.output


def test_verify_and_bench_say_which_profile_they_measured(tmp_path: Path):
    verified = runner.invoke(app, ["verify", "Checkers-v0", "--seeds", "1", "--steps", "20",
                                   "--stress-positions", "3", "--engine", "fixed", "--json"])
    assert verified.exit_code == 0, verified.output
    assert _json(verified.output)["engine"] == "fixed"
    out = tmp_path / "bench"
    benched = runner.invoke(app, ["bench", "--games", "TicTacToe-v0", "--seeds", "1",
                                  "--steps", "10", "--jobs", "1", "--engine", "fixed",
                                  "--stress-positions", "3",
                                  "--out", str(out), "--json"])
    assert benched.exit_code == 0, benched.output
    row = json.loads((out / "rows" / "TicTacToe-v0.json").read_text())
    assert row["engine"] == "fixed"
    assert row["cache_key"]["engine"].startswith("fixed:textarena-")
    again = runner.invoke(app, ["bench", "--games", "TicTacToe-v0", "--seeds", "1",
                                "--steps", "10", "--jobs", "1", "--stress-positions", "3",
                                "--out", str(out), "--json"])
    assert again.exit_code == 0, again.output
    assert "stock" in json.dumps(_json(again.output))  # re-measured on stock, not reused
    assert json.loads((out / "rows" / "TicTacToe-v0.json").read_text())["engine"] == "stock"
