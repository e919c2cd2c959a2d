"""``learn`` against providers that fail: fail fast, hard budgets, every failure fed back.

Every run here is scripted (the fake servers return code written for the test, or errors in the
provider's wire format): they check the loop's handling of providers, not what an LLM writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.harness.card import read_card
from autoharness.llm import read_exchanges
from tests.fakes.llm_servers import FakeGeminiServer, FakeOpenAIServer, FakeReply
from tests.learn.test_replies import PROGRAM, fence

SMALL = ["--envs", "1", "--steps", "20", "--probe-positions", "5"]


def learn(tmp_path: Path, *extra: str, model: str = "openai/test-model", game: str = "tictactoe"):
    args = ["learn", game, "--model", model, "--out", str(tmp_path / "out.py"),
            "--run-dir", str(tmp_path / "run"), *SMALL, *extra]
    return CliRunner().invoke(app, args)


def resume(tmp_path: Path, *extra: str):
    return CliRunner().invoke(app, ["learn", "--resume", str(tmp_path / "run"), "--out",
                                    str(tmp_path / "out.py"), *extra])


def last_line(result) -> str:
    return result.stderr.strip().splitlines()[-1]


def meta(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "run" / "run.json").read_text())


# ----- fatal errors: one line quoting the provider, exit 2, no further calls -------------------


@pytest.mark.parametrize("server_class, model", [(FakeOpenAIServer, "openai/test-model"),
                                                 (FakeGeminiServer, "gemini/gemini-2.5-flash")])
def test_a_wrong_key_stops_before_any_engine_time(llm_env, tmp_path, server_class, model):
    with server_class(require_api_key="right-key", default=fence(PROGRAM)) as srv:
        for name, value in srv.env.items():
            llm_env.setenv(name, value)
        result = learn(tmp_path, model=model)
        assert result.exit_code == 2, result.output
        line = last_line(result)
        assert line.startswith(f"error: {model}: authentication failed")
        assert "preflight" in line and ("Incorrect API key" in line or "API key not valid" in line)
        assert srv.requests == []  # the lookup only: no completion
    assert not (tmp_path / "run" / "run.json").exists() and not (tmp_path / "out.py").exists()


@pytest.mark.parametrize("reply, kind", [(FakeReply.unknown_model(), "not found"),
                                         (FakeReply.quota(), "out of quota")])
def test_a_fatal_error_mid_run_stops_at_once_resumable(fake_openai, tmp_path, reply, kind):
    fake_openai.default = lambda request: reply
    result = learn(tmp_path, "--no-preflight")
    assert result.exit_code == 2, result.output
    assert len(fake_openai.requests) == 1  # no retry, no second call
    line = last_line(result)
    assert kind in line and "(fake)" in line and "--resume" in line
    assert meta(tmp_path)["state"] == "stopped"
    assert not (tmp_path / "run" / "best.py").exists()  # the skeleton is not saved as a result


# ----- transient errors: retried, then a resumable stop (exit 3) --------------------------------


def test_transient_failures_in_a_row_stop_resumably_and_resume_asks_the_same_node(
        fake_openai, tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOHARNESS_LLM_MAX_ATTEMPTS", "2")
    fake_openai.default = lambda request: FakeReply.overloaded()
    result = learn(tmp_path, "--max-failed-calls", "2", "--max-llm-calls", "5")
    assert result.exit_code == 3, result.output
    assert len(fake_openai.requests) == 4  # 2 calls x 2 attempts
    assert "failed 2 calls in a row" in last_line(result) and "--resume" in last_line(result)
    assert meta(tmp_path)["state"] == "interrupted"
    assert meta(tmp_path)["pending"]["parent"] == 0
    fake_openai.default = fence(PROGRAM)
    again = resume(tmp_path)
    assert again.exit_code in (0, 1), again.output
    exchanges = read_exchanges(tmp_path / "run")
    answered = [e for e in exchanges if e.error is None]
    assert answered and answered[0].extra["parent"] == 0


def test_connection_refused_is_caught_by_the_preflight(llm_env, tmp_path):
    server = FakeOpenAIServer().start()
    url = server.base_url
    server.stop()
    llm_env.setenv("OPENAI_BASE_URL", url)
    result = learn(tmp_path)
    assert result.exit_code == 3, result.output
    assert "cannot connect" in last_line(result)


# ----- hard budgets -----------------------------------------------------------------------------


def test_max_cost_on_an_unpriced_model_needs_a_price(fake_openai, tmp_path):
    result = learn(tmp_path, "--max-cost", "0.05")
    assert result.exit_code == 2 and "--price IN,OUT" in last_line(result)
    assert fake_openai.requests == [] and fake_openai.lookups == []
    bad = learn(tmp_path, "--max-cost", "0.05", "--price", "abc")
    assert bad.exit_code == 2 and "--price takes IN,OUT" in last_line(bad)


def test_no_call_is_made_whose_worst_case_crosses_the_cost_budget(fake_openai, tmp_path):
    fake_openai.default = FakeReply(text=fence(PROGRAM.replace("return f", "return  f")),
                                    output_tokens=300)
    # $10 per million output tokens, cap 2,000 tokens: the worst case of a call is ~$0.03
    result = learn(tmp_path, "--max-cost", "0.07", "--price", "1,10", "--max-output-tokens",
                   "2000", "--max-llm-calls", "20")
    assert result.exit_code == 1, result.output
    exchanges = read_exchanges(tmp_path / "run")
    spent = sum(e.extra["charged"]["cost_usd"] for e in exchanges)
    assert 0 < spent <= 0.07  # never over, not even by one call
    assert len(exchanges) < 20 and "could cost" in meta(tmp_path)["stop_reason"]
    card = read_card((tmp_path / "run" / "best.py").read_text())
    assert card.provenance["max_output_tokens"] == 2000
    shown = json.loads(CliRunner().invoke(app, ["show", str(tmp_path / "run"), "--json"]).stdout)
    assert shown["max_output_tokens"] == 2000 and shown["price"] == [1.0, 10.0]
    assert shown["cost_usd"] == pytest.approx(spent, abs=1e-4)


def test_token_budget_is_never_crossed(fake_openai, tmp_path):
    fake_openai.default = FakeReply(text=fence(PROGRAM), output_tokens=500)
    result = learn(tmp_path, "--max-tokens", "12000", "--max-output-tokens", "1500",
                   "--max-llm-calls", "30")
    assert result.exit_code == 1, result.output
    exchanges = read_exchanges(tmp_path / "run")
    assert sum(e.usage.total_tokens for e in exchanges) <= 12000
    assert "token budget" in meta(tmp_path)["stop_reason"]


def test_a_failed_call_with_unknown_usage_counts_at_its_worst_case(fake_openai, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("AUTOHARNESS_LLM_MAX_ATTEMPTS", "1")
    fake_openai.push(FakeReply.server_error(500))
    fake_openai.default = fence(PROGRAM)
    result = learn(tmp_path, "--max-output-tokens", "1000", "--max-llm-calls", "2")
    assert result.exit_code in (0, 1), result.output
    failed = read_exchanges(tmp_path / "run")[0]
    assert failed.error.kind == "server_error" and failed.usage.total_tokens == 0
    assert failed.extra["charged"]["tokens"] > 1000  # prompt estimate + the 1,000-token cap


def test_thinking_budget_is_validated_recorded_and_sent(fake_gemini, tmp_path):
    bad = learn(tmp_path, "--thinking-budget", "9000", "--max-output-tokens", "8000",
                model="gemini/gemini-2.5-flash")
    assert bad.exit_code == 2 and "below --max-output-tokens" in last_line(bad)
    fake_gemini.default = fence(PROGRAM)
    result = learn(tmp_path, "--thinking-budget", "1000", "--max-output-tokens", "6000",
                   "--max-llm-calls", "1", model="gemini/gemini-2.5-flash")
    assert result.exit_code in (0, 1), result.output
    config = fake_gemini.requests[0].body["generationConfig"]
    thinking = config["thinkingConfig"]
    assert config["maxOutputTokens"] == 6000
    assert thinking.get("thinkingBudget", thinking.get("thinking_budget")) == 1000
    assert meta(tmp_path)["config"]["thinking_budget"] == 1000
    openai = CliRunner().invoke(app, ["learn", "tictactoe", "--model", "openai/x",
                                      "--thinking-budget", "100", "--run-dir",
                                      str(tmp_path / "other")])
    assert openai.exit_code == 2 and "no thinking budget" in last_line(openai)


# ----- feedback for thrown-away candidates ------------------------------------------------------


def test_every_thrown_away_candidate_is_explained_in_the_next_prompt(fake_openai, tmp_path):
    syntax = PROGRAM.replace("def eval_action(obs: str, action: str) -> bool:",
                             "def eval_action(obs: str, action: str) -> bool")
    bad_line = syntax.splitlines().index("def eval_action(obs: str, action: str) -> bool") + 1
    fake_openai.push("I'm sorry, I cannot help with this game.",
                     fence(syntax),
                     fence("import socket\n" + PROGRAM),
                     FakeReply.truncated_reply(fence(PROGRAM[:120], close=False)))
    fake_openai.default = fence(PROGRAM)
    result = learn(tmp_path, "--max-llm-calls", "5", "--exploration", "0")
    assert result.exit_code in (0, 1), result.output
    prompts = [r.messages[-1]["content"] for r in fake_openai.requests]
    assert "no ```python code block in your reply (it began: \"I'm sorry" in prompts[1]
    assert f"line {bad_line}: syntax error" in prompts[2]
    assert "line 1: import of 'socket' is not allowed" in prompts[3]
    assert "cut off at the output cap" in prompts[4]


def test_first_prompt_shows_the_rules_a_mid_game_position_and_relative_tracebacks(
        fake_openai, tmp_path):
    fake_openai.default = fence(PROGRAM)
    result = learn(tmp_path, "--max-llm-calls", "1")
    assert result.exit_code in (0, 1), result.output
    prompt = fake_openai.requests[0].messages[-1]["content"]
    assert "## The rules" in prompt and "## The same game later on" in prompt
    later = prompt.split("## The same game later on", 1)[1].split("## The current program")[0]
    assert "X" in later and "O" in later  # marks on the board: moves were played
    assert 'File "your program", line 7, in propose_action' in prompt  # the skeleton's raise
    assert 'File "node-0"' not in prompt


def test_a_truncated_reply_with_a_complete_program_is_used(fake_openai, tmp_path):
    cut = fence(PROGRAM + "\n# unfinished not", close=False)
    fake_openai.default = FakeReply.truncated_reply(cut)
    result = learn(tmp_path, "--max-llm-calls", "1")
    assert result.exit_code in (0, 1), result.output
    node = json.loads((tmp_path / "run" / "nodes" / "1.json").read_text())
    assert node["status"] == "evaluated", node["problem"]


# ----- resume -----------------------------------------------------------------------------------


def test_resume_extends_budgets_and_refuses_another_game_or_model(fake_openai, tmp_path):
    fake_openai.default = fence(PROGRAM)
    first = learn(tmp_path, "--max-llm-calls", "1")
    assert first.exit_code == 1, first.output
    assert len(read_exchanges(tmp_path / "run")) == 1
    other_game = CliRunner().invoke(app, ["learn", "chess", "--resume", str(tmp_path / "run")])
    assert other_game.exit_code == 2 and "learns TicTacToe-v0, not Chess-v0" in last_line(
        other_game)
    other_model = resume(tmp_path, "--model", "openai/another")
    assert other_model.exit_code == 2 and "not openai/another" in last_line(other_model)
    other_steps = resume(tmp_path, "--steps", "999")
    assert other_steps.exit_code == 2 and "--steps cannot change" in last_line(other_steps)
    more = resume(tmp_path, "--max-llm-calls", "2")
    assert more.exit_code == 1, more.output
    assert len(read_exchanges(tmp_path / "run")) == 2  # one more call: the budget was extended
    assert meta(tmp_path)["config"]["max_llm_calls"] == 2


def test_a_torn_last_line_is_repaired_on_resume_and_never_breaks_show(fake_openai, tmp_path):
    fake_openai.default = fence(PROGRAM)
    assert learn(tmp_path, "--max-llm-calls", "1").exit_code == 1
    log = tmp_path / "run" / "exchanges.jsonl"
    with open(log, "a") as handle:
        handle.write('{"ts": "2025-01-01", "model": "openai/test-mo')  # killed mid-write
    shown = CliRunner().invoke(app, ["show", str(tmp_path / "run")])
    assert shown.exit_code == 0, shown.output
    again = resume(tmp_path, "--max-llm-calls", "2")
    assert again.exit_code == 1, again.output
    assert log.read_text().endswith("\n") and len(read_exchanges(log)) == 2
    assert "openai/test-mo" in (tmp_path / "run" / "exchanges.jsonl.torn").read_text()
    assert CliRunner().invoke(app, ["show", str(tmp_path / "run"), "--json"]).exit_code == 0


def test_a_budget_too_small_for_one_call_makes_none_and_saves_nothing(fake_openai, tmp_path):
    result = learn(tmp_path, "--max-tokens", "3000", "--max-output-tokens", "2500")
    assert result.exit_code == 1, result.output
    assert fake_openai.requests == [] and "token budget" in meta(tmp_path)["stop_reason"]
    assert "nothing to save" in last_line(result) and not (tmp_path / "run" / "best.py").exists()


def test_a_seed_confirmed_at_the_root_keeps_its_own_provenance(fake_openai, tmp_path):
    from autoharness.harness.library import find_harness

    seed = find_harness("TicTacToe-v0")
    result = learn(tmp_path, "--from", str(seed))
    assert result.exit_code == 0, result.output
    assert fake_openai.requests == []  # clean at the root: no call was needed
    card = read_card((tmp_path / "out.py").read_text())
    assert card.provenance["method"] == read_card(seed.read_text()).provenance["method"]
    assert "no LLM call" in card.provenance["confirmed_by"]
