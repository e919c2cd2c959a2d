"""A mistake in the input is the only line the user sees: verify, bench, play and learn check
everything typed (and learn the key and model) before they print the sandbox line, and a learn
start that fails leaves no run directory behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from autoharness import cli_support
from autoharness.cli import app
from tests.fakes.llm_servers import FakeOpenAIServer
from tests.learn.test_replies import PROGRAM, fence

SYNTAX = 'GAMES = ["TicTacToe-v0"]\ndef propose_action(obs)\n    return "[4]"\n'


@pytest.fixture(autouse=True)
def _fresh_sandbox_line(monkeypatch, llm_env, no_network, tmp_path):
    """The line is said once per process: forget that an earlier test said it."""
    monkeypatch.setattr(cli_support, "_sandbox_said", [])
    monkeypatch.setattr(cli_support, "_sandbox_pending", [])
    monkeypatch.setenv("AUTOHARNESS_DATA", str(tmp_path / "data"))
    yield


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "syntax.py").write_text(SYNTAX)
    (tmp_path / "folder").mkdir()
    return {"syntax": str(tmp_path / "syntax.py"), "folder": str(tmp_path / "folder"),
            "out": str(tmp_path / "out.py"), "tmp": str(tmp_path)}


BAD = {
    "verify broken file": ["verify", "tictactoe", "--harness", "{syntax}"],
    "verify --world-model folder": ["verify", "tictactoe", "--world-model", "--harness",
                                    "{folder}"],
    "verify --world-model broken file": ["verify", "tictactoe", "--world-model", "--harness",
                                         "{syntax}"],
    "bench broken file": ["bench", "--games", "tictactoe", "--harness", "{syntax}", "--out",
                          "{tmp}/b"],
    "bench unknown agent": ["bench", "--games", "tictactoe", "--agent", "nonsense", "--out",
                            "{tmp}/b"],
    "play broken file": ["play", "tictactoe", "--agent", "harness", "--harness", "{syntax}"],
    "play log is a folder": ["play", "tictactoe", "--agent", "harness", "--log", "{folder}"],
    "learn broken --from": ["learn", "tictactoe", "--model", "openai/x", "--out", "{out}",
                            "--from", "{syntax}"],
    "learn no key": ["learn", "tictactoe", "--model", "openai/x", "--out", "{out}"],
}


@pytest.mark.parametrize("case", list(BAD))
def test_an_input_error_comes_before_the_sandbox_line(case: str, files) -> None:
    args = [part.format(**files) for part in BAD[case]]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (2, 3), result.output
    lines = result.stderr.strip().splitlines()
    assert "sandbox:" not in result.stderr, result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


GOOD = {
    "verify": ["verify", "tictactoe", "--seeds", "1", "--steps", "3", "--stress-positions", "0"],
    "bench": ["bench", "--games", "tictactoe", "--seeds", "1", "--steps", "3", "--jobs", "1",
              "--stress-positions", "0", "--out", "{tmp}/b"],
    "play": ["play", "tictactoe", "--agent", "harness", "--max-turns", "2", "--quiet"],
}


@pytest.mark.parametrize("case", list(GOOD))
def test_good_input_does_print_the_sandbox_line(case: str, files) -> None:
    """The check above can fail: with good input the same commands do say it."""
    result = CliRunner().invoke(app, [part.format(**files) for part in GOOD[case]])
    assert result.exit_code == 0, result.output
    assert "sandbox:" in result.stderr


def learn(tmp_path: Path, *extra: str):
    return CliRunner().invoke(app, ["learn", "tictactoe", "--model", "openai/test-model",
                                    "--out", str(tmp_path / "out.py"), "--envs", "1",
                                    "--steps", "10", "--probe-positions", "3", *extra])


def test_learn_says_the_sandbox_line_once_key_and_model_check_out(fake_openai, tmp_path):
    fake_openai.default = fence(PROGRAM)
    result = learn(tmp_path, "--max-llm-calls", "1", "--run-dir", str(tmp_path / "run"))
    assert result.exit_code in (0, 1), result.output
    assert "sandbox:" in result.stderr


def _runs_left(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "data", tmp_path / "nested") if p.exists()]


def test_a_wrong_key_leaves_no_run_directory_and_no_sandbox_line(llm_env, tmp_path):
    with FakeOpenAIServer(require_api_key="right-key", default=fence(PROGRAM)) as srv:
        for name, value in srv.env.items():
            llm_env.setenv(name, value)
        for extra in ([], ["--run-dir", str(tmp_path / "nested" / "run")]):
            result = learn(tmp_path, *extra)
            assert result.exit_code == 2, result.output
            assert "authentication failed" in result.stderr and "sandbox:" not in result.stderr
            assert _runs_left(tmp_path) == [] and not (tmp_path / "out.py").exists()


@pytest.mark.parametrize("why", ["unreachable", "no key", "unpriced budget"])
def test_a_failed_start_leaves_no_run_directory(llm_env, tmp_path, why: str):
    extra: list[str] = []
    if why == "unreachable":
        server = FakeOpenAIServer().start()
        llm_env.setenv("OPENAI_BASE_URL", server.base_url)
        llm_env.setenv("OPENAI_API_KEY", "test-key-not-real")
        server.stop()
    elif why == "unpriced budget":
        llm_env.setenv("OPENAI_API_KEY", "test-key-not-real")
        extra = ["--max-cost", "0.05"]
    for run_dir in ([], ["--run-dir", str(tmp_path / "nested" / "run")]):
        result = learn(tmp_path, *extra, *run_dir)
        assert result.exit_code in (2, 3), result.output
        assert result.stderr.count("\n") == 1 and "sandbox:" not in result.stderr
        assert _runs_left(tmp_path) == [], why
