"""Scripted LLM, exchange log, replay and recording, and the factory."""

from __future__ import annotations

import json
import threading

import pytest

from autoharness.llm import (
    LLM,
    ExchangeRecord,
    LLMFailure,
    LLMReply,
    Message,
    RecordingLLM,
    ReplayExhausted,
    ReplayLLM,
    ReplayMismatch,
    ScriptedLLM,
    ScriptExhausted,
    Usage,
    append_exchange,
    make_llm,
    parse_spec,
    read_exchanges,
)
from tests.fakes.llm_servers import FakeReply

PROMPT = [{"role": "system", "content": "sys"}, {"role": "user", "content": "play"}]

# ----- scripted -------------------------------------------------------------------------------


def test_scripted_replies_in_order_and_records_prompts():
    llm = ScriptedLLM(["first", "second"])
    assert isinstance(llm, LLM)
    assert llm.complete(PROMPT, max_tokens=9, temperature=0.5).text == "first"
    assert llm.complete([{"role": "user", "content": "again"}]).text == "second"
    assert llm.prompts[0] == [Message("system", "sys"), Message("user", "play")]
    assert llm.calls[0].max_tokens == 9 and llm.calls[0].temperature == 0.5
    assert "again" in llm.calls[1].text
    assert llm.pending == 0


def test_scripted_can_never_pass_for_a_real_model():
    llm = ScriptedLLM([LLMReply(text="x", model="gemini/gemini-2.5-flash")], name="gemini-2.5")
    assert llm.name == "scripted/gemini-2.5"
    reply = llm.complete(PROMPT)
    assert reply.model == "scripted/gemini-2.5"
    assert reply.cost_usd is None
    assert ScriptedLLM(["y"]).complete(PROMPT).model.startswith("scripted/")


def test_scripted_failures_and_callables():
    def echo(messages):
        return "echo: " + messages[-1].content

    llm = ScriptedLLM([LLMFailure("truncated", "cut"), echo])
    first = llm.complete(PROMPT)
    assert not first.ok and first.failure.kind == "truncated"
    assert llm.complete(PROMPT).text == "echo: play"


def test_scripted_exhaustion_modes():
    llm = ScriptedLLM(["only"])
    llm.complete(PROMPT)
    with pytest.raises(ScriptExhausted, match="call #2"):
        llm.complete(PROMPT)
    repeat = ScriptedLLM(["again"], on_exhausted="repeat")
    assert [repeat.complete(PROMPT).text for _ in range(3)] == ["again"] * 3
    fail = ScriptedLLM([], on_exhausted="fail")
    assert fail.complete(PROMPT).failure.kind == "empty"


def test_scripted_is_thread_safe():
    llm = ScriptedLLM([str(i) for i in range(200)])
    out: list[str] = []

    def worker():
        for _ in range(50):
            out.append(llm.complete(PROMPT).text)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(out, key=int) == [str(i) for i in range(200)]
    assert len(llm.calls) == 200


def test_messages_are_validated():
    llm = ScriptedLLM(["x"] * 5)
    with pytest.raises(ValueError, match="role"):
        llm.complete([{"role": "tool", "content": "x"}])
    with pytest.raises(ValueError, match="at least one"):
        llm.complete([{"role": "system", "content": "only a system prompt"}])
    with pytest.raises(ValueError):
        llm.complete("a bare string")


# ----- exchange log ---------------------------------------------------------------------------


def _reply(text, **kw):
    return LLMReply(
        text=text,
        model="gemini/gemini-2.5-flash",
        usage=Usage(10, 20, 5),
        cost_usd=0.001,
        latency_s=1.5,
        stop_reason="STOP",
        **kw,
    )


def test_exchange_log_round_trip(tmp_path):
    log = tmp_path / "exchanges.jsonl"
    append_exchange(log, ExchangeRecord.from_reply(PROMPT, _reply("a"), iteration=3))
    failed = _reply("", failure=LLMFailure("truncated", "cut"))
    append_exchange(tmp_path, ExchangeRecord.from_reply(PROMPT, failed))  # a run directory
    lines = log.read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["prompt"] == PROMPT
    assert first["reply"] == "a"
    assert first["usage"] == {"input_tokens": 10, "output_tokens": 20, "thinking_tokens": 5}
    assert first["cost_usd"] == 0.001 and first["latency_s"] == 1.5
    assert first["model"] == "gemini/gemini-2.5-flash" and first["stop_reason"] == "STOP"
    assert first["error"] is None and first["iteration"] == 3
    assert json.loads(lines[1])["error"] == {"kind": "truncated", "message": "cut", "status": None}

    records = read_exchanges(tmp_path)
    assert [r.reply for r in records] == ["a", ""]
    assert records[0].extra == {"iteration": 3}
    assert records[1].error == LLMFailure("truncated", "cut")
    assert records[0].usage == Usage(10, 20, 5)


def test_append_exchange_accepts_a_plain_dict(tmp_path):
    record = {
        "prompt": PROMPT,
        "reply": "r",
        "usage": {"input_tokens": 1, "output_tokens": 2, "thinking_tokens": 0},
        "cost_usd": None,
        "latency_s": 0.1,
        "model": "openai/local",
        "stop_reason": "stop",
        "error": None,
    }
    append_exchange(tmp_path / "x.jsonl", record)
    (back,) = read_exchanges(tmp_path / "x.jsonl")
    assert back.reply == "r" and back.cost_usd is None and back.model == "openai/local"


def test_torn_last_line_is_skipped_but_bad_middle_line_is_an_error(tmp_path):
    log = tmp_path / "exchanges.jsonl"
    append_exchange(log, ExchangeRecord.from_reply(PROMPT, _reply("a")))
    with open(log, "a") as f:
        f.write('{"prompt": [{"role": "us')
    assert [r.reply for r in read_exchanges(log)] == ["a"]
    with open(log, "a") as f:
        f.write("\n")
    append_exchange(log, ExchangeRecord.from_reply(PROMPT, _reply("b")))
    with pytest.raises(ValueError, match=":2:"):
        read_exchanges(log)


def test_an_append_after_a_torn_line_repairs_it_first(tmp_path):
    log = tmp_path / "exchanges.jsonl"
    append_exchange(log, ExchangeRecord.from_reply(PROMPT, _reply("a")))
    with open(log, "a") as f:
        f.write('{"prompt": [{"role": "us')  # a write cut by a kill
    append_exchange(log, ExchangeRecord.from_reply(PROMPT, _reply("b")))
    assert [r.reply for r in read_exchanges(log)] == ["a", "b"]  # not glued onto the torn tail
    assert '{"prompt": [{"role": "us' in (tmp_path / "exchanges.jsonl.torn").read_text()


def test_a_line_glued_onto_a_torn_one_by_an_old_writer_is_recovered(tmp_path):
    log = tmp_path / "exchanges.jsonl"
    append_exchange(log, ExchangeRecord.from_reply(PROMPT, _reply("a")))
    whole = log.read_text()
    log.write_text(whole + '{"ts": "2025", "prompt": [{"ro' + whole + whole)
    assert [r.reply for r in read_exchanges(log)] == ["a", "a", "a"]


def test_concurrent_appends_do_not_interleave(tmp_path):
    log = tmp_path / "exchanges.jsonl"
    big = "x" * 20000

    def worker(i):
        for _ in range(20):
            append_exchange(log, ExchangeRecord.from_reply(PROMPT, _reply(f"{i}{big}")))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(read_exchanges(log)) == 80


# ----- replay ---------------------------------------------------------------------------------


def _log_with(tmp_path, pairs):
    for prompt_text, reply_text in pairs:
        prompt = [{"role": "user", "content": prompt_text}]
        append_exchange(tmp_path, ExchangeRecord.from_reply(prompt, _reply(reply_text)))
    return tmp_path


def test_replay_by_prompt_in_any_order(tmp_path):
    run = _log_with(tmp_path, [("p1", "r1"), ("p2", "r2"), ("p1", "r1-again")])
    llm = ReplayLLM(run)
    assert llm.name == "replay/gemini/gemini-2.5-flash"
    assert llm.complete([{"role": "user", "content": "p2"}]).text == "r2"
    first = llm.complete([{"role": "user", "content": "p1"}])
    assert first.text == "r1"
    assert first.usage == Usage(10, 20, 5) and first.cost_usd == 0.001 and first.latency_s == 1.5
    assert first.model == "replay/gemini/gemini-2.5-flash"
    assert llm.complete([{"role": "user", "content": "p1"}]).text == "r1-again"
    with pytest.raises(ReplayExhausted):
        llm.complete([{"role": "user", "content": "p1"}])


def test_replay_mismatch_is_an_error(tmp_path):
    llm = ReplayLLM(_log_with(tmp_path, [("p1", "r1"), ("p2", "r2")]))
    with pytest.raises(ReplayMismatch, match="never asked"):
        llm.complete([{"role": "user", "content": "never asked"}])


def test_replay_in_order(tmp_path):
    llm = ReplayLLM(_log_with(tmp_path, [("p1", "r1"), ("p2", "r2")]), match="order")
    assert llm.complete([{"role": "user", "content": "whatever"}]).text == "r1"
    assert llm.complete([{"role": "user", "content": "else"}]).text == "r2"
    assert llm.remaining == 0


def test_replay_keeps_recorded_failures(tmp_path):
    failed = _reply("", failure=LLMFailure("rate_limited", "slow down", 429))
    append_exchange(tmp_path, ExchangeRecord.from_reply(PROMPT, failed))
    reply = ReplayLLM(tmp_path).complete(PROMPT)
    assert reply.failure == LLMFailure("rate_limited", "slow down", 429)


def test_log_path_rules(tmp_path):
    from autoharness.llm import log_path

    assert log_path(tmp_path) == tmp_path / "exchanges.jsonl"
    assert log_path(tmp_path / "run-7") == tmp_path / "run-7" / "exchanges.jsonl"  # not made yet
    assert log_path(tmp_path / "x.jsonl") == tmp_path / "x.jsonl"
    recorder = RecordingLLM(ScriptedLLM(["a"]), tmp_path / "new-run")
    recorder.complete(PROMPT)
    assert [r.reply for r in read_exchanges(tmp_path / "new-run")] == ["a"]
    assert (tmp_path / "new-run" / "exchanges.jsonl").is_file()


def test_record_through_a_fake_server_then_replay(tmp_path, fake_openai):
    fake_openai.push(FakeReply(text="move: e4", input_tokens=100, output_tokens=3), "move: d4")
    recorder = RecordingLLM(make_llm("openai/gpt-4o-mini"), tmp_path, game="Chess-v0")
    live = [recorder.complete(PROMPT), recorder.complete([{"role": "user", "content": "next"}])]
    assert [r.text for r in live] == ["move: e4", "move: d4"]
    records = read_exchanges(tmp_path)
    assert [r.extra["game"] for r in records] == ["Chess-v0"] * 2
    assert records[0].cost_usd == live[0].cost_usd and records[0].cost_usd is not None

    replay = make_llm(f"replay/{tmp_path}")
    assert replay.complete([{"role": "user", "content": "next"}]).text == "move: d4"
    again = replay.complete(PROMPT)
    assert again.text == "move: e4" and again.usage.input_tokens == 100
    assert len(fake_openai.requests) == 2  # the replay did not call the server


# ----- factory --------------------------------------------------------------------------------


def test_parse_spec():
    assert parse_spec("gemini/gemini-2.5-flash") == ("gemini", "gemini-2.5-flash")
    assert parse_spec("OpenAI/org/model:7b") == ("openai", "org/model:7b")
    with pytest.raises(ValueError, match="gemini, anthropic, openai"):
        parse_spec("mistral/large")
    with pytest.raises(ValueError, match="provider/model"):
        parse_spec("gpt-4o-mini")
    with pytest.raises(ValueError, match="no model name"):
        parse_spec("openai/")


def test_make_llm_kinds(fake_gemini, fake_anthropic, fake_openai):
    from autoharness.llm import AnthropicLLM, GeminiLLM, OpenAILLM

    assert isinstance(make_llm("gemini/gemini-2.5-flash"), GeminiLLM)
    assert isinstance(make_llm("anthropic/claude-haiku-4-5"), AnthropicLLM)
    assert isinstance(make_llm("openai/gpt-4o-mini", timeout=None), OpenAILLM)
    scripted = make_llm("scripted/smoke", replies=["hi"], timeout=3.0, api_key="ignored")
    assert isinstance(scripted, ScriptedLLM) and scripted.name == "scripted/smoke"
    assert scripted.complete(PROMPT).text == "hi"
    for llm in (make_llm("gemini/gemini-2.5-flash"), scripted):
        assert isinstance(llm, LLM)


def test_make_llm_rejects_bad_options(fake_openai):
    with pytest.raises(TypeError):
        make_llm("openai/gpt-4o-mini", no_such_option=1)
    with pytest.raises(ValueError):
        make_llm("openai/gpt-4o-mini", timeout=0)
