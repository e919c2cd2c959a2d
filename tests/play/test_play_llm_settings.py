"""``play --max-output-tokens / --thinking-budget``: the values reach the provider's request on the
wire (each provider's own field) and are recorded under "llm" in the match log and the summary.
Defaults: an 8192-token cap (12288 on Gemini, with a third of it for thinking on Gemini 2.5).

The agent is the real SDK of each provider against its local fake server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.play import read_log
from tests.fakes.llm_servers import FakeAnthropicServer, FakeGeminiServer, FakeOpenAIServer
from tests.play.test_agent_failures import _free_cell_model

SERVERS = {"openai": FakeOpenAIServer, "anthropic": FakeAnthropicServer,
           "gemini": FakeGeminiServer}
MODELS = {"openai": "openai/gpt-4o-mini", "anthropic": "anthropic/claude-haiku-4-5",
          "gemini": "gemini/gemini-2.5-flash"}


def thinking_on_the_wire(provider: str, body: dict) -> int | None:
    """The thinking budget a request asked for, in the provider's own field (None: none)."""
    if provider == "anthropic":
        thinking = body.get("thinking") or {}
        return thinking.get("budget_tokens") if thinking.get("type") == "enabled" else None
    if provider == "gemini":
        config = (body.get("generationConfig") or {}).get("thinkingConfig") or {}
        # the SDK writes the proto field name; Google's JSON takes it and the camelCase one
        return config.get("thinkingBudget", config.get("thinking_budget"))
    return None


CASES = [
    # provider, flags, cap on the wire, thinking on the wire
    ("openai", [], 8192, None),
    ("openai", ["--max-output-tokens", "3000"], 3000, None),
    ("anthropic", [], 8192, None),
    ("anthropic", ["--max-output-tokens", "5000", "--thinking-budget", "2048"], 5000, 2048),
    ("gemini", [], 12288, 4096),
    ("gemini", ["--max-output-tokens", "6000", "--thinking-budget", "0"], 6000, 0),
    ("gemini", ["--thinking-budget", "1000"], 12288, 1000),
]


@pytest.mark.parametrize(("provider", "flags", "cap", "thinking"), CASES,
                         ids=[f"{p}{''.join(f)}" for p, f, _, _ in CASES])
def test_the_settings_reach_the_wire_and_the_log(llm_env, tmp_path: Path, provider: str,
                                                 flags: list[str], cap: int,
                                                 thinking: int | None) -> None:
    log = tmp_path / "m.jsonl"
    with SERVERS[provider](default=_free_cell_model) as server:
        for name, value in server.env.items():
            llm_env.setenv(name, value)
        result = CliRunner().invoke(app, ["play", "tictactoe", "--agent", MODELS[provider],
                                          "--max-turns", "3", "--json", "--log", str(log),
                                          *flags])
        assert result.exit_code == 0, result.output
        assert server.requests, "the agent never called the provider"
        for request in server.requests:
            assert request.max_tokens == cap, request.body
            assert thinking_on_the_wire(provider, request.body) == thinking, request.body
    recorded = {"max_output_tokens": cap, "thinking_budget": thinking}
    header = read_log(log)[0]
    assert header["type"] == "match" and header["llm"] == {"agent": recorded}
    assert json.loads(result.stdout)["llm"] == {"agent": recorded}


def test_the_opponent_side_gets_the_same_settings(fake_openai, tmp_path: Path) -> None:
    fake_openai.default = _free_cell_model
    log = tmp_path / "m.jsonl"
    result = CliRunner().invoke(app, ["play", "tictactoe", "--agent", "harness", "--opponent",
                                      "openai/gpt-4o-mini", "--max-output-tokens", "1234",
                                      "--max-turns", "4", "--log", str(log), "--quiet"])
    assert result.exit_code == 0, result.output
    assert fake_openai.requests and {r.max_tokens for r in fake_openai.requests} == {1234}
    assert read_log(log)[0]["llm"] == {"opponent": {"max_output_tokens": 1234,
                                                    "thinking_budget": None}}
