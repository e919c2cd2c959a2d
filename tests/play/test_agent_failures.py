"""Agent failures in ``play`` are shown, counted and end the match; never hidden by fallbacks.

The agent is the real openai/anthropic SDK against local fake servers (or a closed port)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.play import read_log
from tests.fakes.llm_servers import FakeOpenAIServer, FakeReply


def play(*args: str):
    return CliRunner().invoke(app, ["play", "tictactoe", *args])


def agent_moves(log: Path) -> list[dict]:
    return [m for m in read_log(log) if m.get("type") == "move" and m.get("side") == "agent"]


def test_a_wrong_key_is_refused_before_any_game(llm_env, tmp_path):
    with FakeOpenAIServer(require_api_key="the-right-key", default="<move>[4]</move>") as srv:
        llm_env.setenv("OPENAI_BASE_URL", srv.base_url)
        llm_env.setenv("OPENAI_API_KEY", "a-wrong-key-12345")
        result = play("--agent", "openai/gpt-4o-mini", "--log", str(tmp_path / "m.jsonl"))
        assert result.exit_code == 2, result.output
        line = result.stderr.strip().splitlines()[-1]
        assert line.startswith("error: openai/gpt-4o-mini: authentication failed (HTTP 401)")
        assert "Incorrect API key" in line and "preflight" in line  # the provider's own words
        assert srv.requests == [] and len(srv.lookups) == 1  # one lookup, no completion
    assert not (tmp_path / "m.jsonl").exists()  # no game was started


def test_without_preflight_a_fatal_error_ends_the_match_at_once(fake_openai, tmp_path):
    fake_openai.default = lambda request: FakeReply.bad_key()
    log = tmp_path / "m.jsonl"
    result = play("--agent", "openai/gpt-4o-mini", "--games", "3", "--no-preflight", "--json",
                  "--log", str(log))
    assert result.exit_code == 2, result.output
    assert len(fake_openai.requests) == 1  # no retry, no second call, no harness fallback
    summary = json.loads(result.stdout)
    agent = summary["agent"]
    assert agent["unavailable"] and "authentication (HTTP 401)" in agent["unavailable"]
    assert agent["failed_calls"] == 1 and agent["fallbacks"] == 0 and agent["moves"] == 0
    assert agent["results"]["unavailable"] == 1 and agent["results"]["not_played"] == 2
    assert [g["outcome"] for g in summary["per_game"]] == ["unavailable"]
    moves = agent_moves(log)
    assert len(moves) == 1 and moves[0]["unavailable"] and moves[0]["engine_legal"] is None
    assert "became unavailable" in result.stderr or "every call" in result.stderr


def test_a_closed_port_is_reported_by_the_preflight(llm_env, tmp_path):
    server = FakeOpenAIServer().start()
    url = server.base_url
    server.stop()
    llm_env.setenv("OPENAI_BASE_URL", url)
    result = play("--agent", "openai/gpt-4o-mini", "--log", str(tmp_path / "m.jsonl"))
    assert result.exit_code == 3, result.output
    assert "cannot connect" in result.stderr and "preflight" in result.stderr


def test_transient_failures_in_a_row_end_the_match_shown_per_move(llm_env, tmp_path):
    server = FakeOpenAIServer().start()
    url = server.base_url
    server.stop()  # connection refused on every call
    llm_env.setenv("OPENAI_BASE_URL", url)
    llm_env.setenv("AUTOHARNESS_LLM_MAX_ATTEMPTS", "2")
    log = tmp_path / "m.jsonl"
    result = play("--agent", "openai/gpt-4o-mini", "--games", "2", "--no-preflight",
                  "--log", str(log))
    assert result.exit_code == 3, result.output
    assert "AGENT UNAVAILABLE" in result.stderr and "Connection refused" in result.stderr
    assert "failed 3 calls in a row" in result.stderr
    moves = agent_moves(log)
    assert len(moves) == 1  # the harness never played in its place
    assert [a["agent_failure_kind"] for a in moves[0]["attempts"]] == ["transient"] * 3
    assert "failed calls" in result.stdout and "UNAVAILABLE" in result.stdout


def test_a_transient_failure_that_recovers_is_counted_and_shown(fake_openai, tmp_path):
    fake_openai.push(FakeReply.server_error(500))
    fake_openai.default = _free_cell_model
    result = CliRunner().invoke(app, ["play", "tictactoe", "--agent", "openai/gpt-4o-mini",
                                      "--json", "--log", str(tmp_path / "m.jsonl")],
                                env={"AUTOHARNESS_LLM_MAX_ATTEMPTS": "1"})
    assert result.exit_code == 0, result.output
    agent = json.loads(result.stdout)["agent"]
    assert agent["failed_calls"] == 1 and agent["unavailable"] is None
    first = agent_moves(tmp_path / "m.jsonl")[0]
    assert "server_error (HTTP 500)" in first["attempts"][0]["agent_failure"]


def _free_cell_model(request) -> str:
    from tests.play.test_play_cli import _free_cells, _ttt_observation

    return f"<move>[{_free_cells(_ttt_observation(request))[0]}]</move>"


def test_textarena_anthropic_agent_is_refused_up_front_with_the_reason(llm_env, tmp_path):
    llm_env.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-real")
    result = play("--agent", "textarena:AnthropicAgent:claude-haiku-4-5", "--log",
                  str(tmp_path / "m.jsonl"))
    assert result.exit_code == 2, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert "textarena:AnthropicAgent" in line and "temperature" in line
    assert not (tmp_path / "m.jsonl").exists()


def test_textarena_agent_with_a_wrong_key_is_refused_by_the_preflight(llm_env, tmp_path):
    with FakeOpenAIServer(require_api_key="right-key") as srv:
        llm_env.setenv("OPENAI_BASE_URL", srv.base_url)
        llm_env.setenv("OPENAI_API_KEY", "wrong-key-123456")
        result = play("--agent", "textarena:OpenAIAgent:gpt-4o-mini", "--log",
                      str(tmp_path / "m.jsonl"))
        assert result.exit_code == 2, result.output
        assert "authentication failed (HTTP 401)" in result.stderr
        assert srv.requests == []
