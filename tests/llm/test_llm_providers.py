"""The three SDK adapters, driven through the real SDKs against the local fake servers."""

from __future__ import annotations

import time

import pytest

from autoharness.llm import LLMReply, MissingAPIKey, make_llm
from tests.fakes.llm_servers import (
    FakeLLMServer,
    FakeReply,
)
from tests.llm.conftest import SPECS

PROVIDERS = list(SPECS)
MESSAGES = [
    {"role": "system", "content": "You write Python harnesses."},
    {"role": "user", "content": "Write a move checker."},
    {"role": "assistant", "content": "def check(): ..."},
    {"role": "user", "content": "Feedback: move e2e5 was illegal."},
]


class SleepRecorder:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make(provider: str, server: FakeLLMServer, **options):
    options.setdefault("timeout", 5)
    options.setdefault("retry_base_delay", 0.01)
    return make_llm(SPECS[provider][0], api_key="test-key", base_url=server.base_url, **options)


def ask(llm, **kw) -> LLMReply:
    return llm.complete(MESSAGES, max_tokens=kw.pop("max_tokens", 256), **kw)


# ----- a normal reply -------------------------------------------------------------------------


def test_normal_reply_usage_and_cost(provider, server):
    server.push(
        FakeReply(text="def check(move): return True", input_tokens=1000, output_tokens=500)
    )
    reply = ask(make(provider, server))
    assert reply.ok, reply.failure
    assert reply.text == "def check(move): return True"
    assert reply.model == SPECS[provider][0]
    assert reply.usage.input_tokens == 1000
    assert reply.usage.output_tokens == 500
    assert reply.usage.thinking_tokens == 0
    # hand-computed from the published prices (input, output per million)
    expected = {"openai": 0.15e-3 + 0.30e-3, "anthropic": 1e-3 + 2.5e-3, "gemini": 0.3e-3 + 1.25e-3}
    assert reply.cost_usd == pytest.approx(expected[provider])
    assert (
        reply.stop_reason == {"openai": "stop", "anthropic": "end_turn", "gemini": "STOP"}[provider]
    )
    assert reply.attempts == 1
    assert reply.latency_s > 0
    assert len(server.requests) == 1


def test_thinking_tokens_are_split_out_and_billed_as_output(provider, server):
    server.push(FakeReply(text="ok", input_tokens=1000, output_tokens=100, thinking_tokens=400))
    reply = ask(make(provider, server))
    assert reply.ok
    if provider == "anthropic":  # Anthropic folds thinking into output_tokens
        assert (reply.usage.output_tokens, reply.usage.thinking_tokens) == (500, 0)
    else:
        assert (reply.usage.output_tokens, reply.usage.thinking_tokens) == (100, 400)
    expected = {"openai": 0.15e-3 + 0.30e-3, "anthropic": 1e-3 + 2.5e-3, "gemini": 0.3e-3 + 1.25e-3}
    assert reply.cost_usd == pytest.approx(expected[provider])


def test_request_reaches_the_server_in_its_wire_format(provider, server):
    server.push("fine")
    ask(make(provider, server), temperature=0.3, max_tokens=321)
    req = server.last_request
    assert req.api_key == "test-key"
    assert req.messages == [
        {"role": "system", "content": "You write Python harnesses."},
        {"role": "user", "content": "Write a move checker."},
        {"role": "assistant", "content": "def check(): ..."},
        {"role": "user", "content": "Feedback: move e2e5 was illegal."},
    ]
    assert "move e2e5 was illegal" in req.text
    assert req.max_tokens == 321
    body = req.body
    if provider == "openai":
        assert req.model == "gpt-4o-mini"
        assert body["max_tokens"] == 321  # a non-OpenAI base URL gets the classic parameter
        assert req.temperature == 0.3
    elif provider == "anthropic":
        assert req.model == "claude-haiku-4-5"
        assert body["system"] == "You write Python harnesses."
        assert "temperature" not in body  # the 2026-10-21 API version rejects it
    else:
        assert req.path.endswith("/models/gemini-2.5-flash:generateContent")
        assert body["contents"][1]["role"] == "model"
        assert req.temperature == 0.3


def test_unknown_model_costs_none_not_zero(provider, server):
    server.push(FakeReply(text="hi", input_tokens=10, output_tokens=5))
    spec = SPECS[provider][0].split("/")[0] + "/some-model-nobody-priced"
    llm = make_llm(spec, api_key="k", base_url=server.base_url, timeout=5)
    reply = llm.complete(MESSAGES, max_tokens=50)
    assert reply.ok
    assert reply.usage.input_tokens == 10
    assert reply.cost_usd is None


# ----- retries ----------------------------------------------------------------------------------


def test_429_is_retried_after_the_servers_retry_after(provider, server):
    server.push(FakeReply.rate_limited(retry_after=7), "after the wait")
    sleeps = SleepRecorder()
    reply = ask(make(provider, server, sleep=sleeps, max_retry_after=60))
    assert reply.ok, reply.failure
    assert reply.text == "after the wait"
    assert reply.attempts == 2
    assert sleeps.waits == [7.0]
    assert len(server.requests) == 2


def test_429_wait_is_real_and_capped(fake_anthropic):
    # the wait itself is provider-independent (retry.py): one provider is enough here
    fake_anthropic.push(FakeReply.rate_limited(retry_after=30), "ok")
    start = time.monotonic()
    reply = ask(make("anthropic", fake_anthropic, max_retry_after=0.2))
    elapsed = time.monotonic() - start
    assert reply.ok and reply.attempts == 2
    assert 0.2 <= elapsed < 5
    assert reply.latency_s >= 0.2


def test_429_without_retry_after_backs_off_exponentially(provider, server):
    server.push(*[FakeReply.rate_limited()] * 3, "ok")
    sleeps = SleepRecorder()
    reply = ask(
        make(
            provider, server, sleep=sleeps, retry_base_delay=1.0, retry_max_delay=30, max_attempts=5
        )
    )
    assert reply.ok and reply.attempts == 4
    assert len(sleeps.waits) == 3
    for n, wait in enumerate(sleeps.waits, 1):  # jitter scales each wait into [0.5, 1] x 2**(n-1)
        assert 0.5 * 2 ** (n - 1) <= wait <= 2 ** (n - 1)


def test_persistent_500_gives_up_with_a_typed_failure(provider, server):
    server.push(*[FakeReply.server_error(500)] * 3, "never reached")
    reply = ask(make(provider, server, max_attempts=3))
    assert not reply.ok
    assert reply.failure.kind == "server_error"
    assert reply.failure.status == 500
    assert reply.attempts == 3
    assert len(server.requests) == 3  # ours only: the SDK's own retries are off
    assert server.pending == 1
    assert reply.text == ""
    assert reply.cost_usd is None


def test_529_and_503_count_as_server_errors_then_recover(provider, server):
    server.push(FakeReply.server_error(529), FakeReply.server_error(503), "recovered")
    reply = ask(make(provider, server, max_attempts=3))
    assert reply.ok and reply.text == "recovered" and reply.attempts == 3


def test_client_errors_are_not_retried(provider, server):
    server.push(FakeReply.error(400, "bad request: no such model"), "never")
    reply = ask(make(provider, server, max_attempts=5))
    assert reply.failure.kind == "bad_request" and reply.failure.fatal
    assert reply.failure.status == 400
    assert "no such model" in reply.failure.message
    assert len(server.requests) == 1


def test_hung_request_times_out(provider, server):
    server.push(FakeReply.hang())
    start = time.monotonic()
    reply = ask(make(provider, server, timeout=0.3, max_attempts=1))
    elapsed = time.monotonic() - start
    assert reply.failure is not None and reply.failure.kind == "timeout"
    assert 0.25 <= elapsed < 3


def test_timeout_is_retried(provider, server):
    server.push(FakeReply.hang(), "second try")
    reply = ask(make(provider, server, timeout=0.3, max_attempts=2))
    assert reply.ok and reply.text == "second try" and reply.attempts == 2


def test_connection_refused_is_a_network_failure(provider):
    srv = SPECS[provider][1]().start()
    url = srv.base_url
    srv.stop()
    llm = make_llm(
        SPECS[provider][0],
        api_key="k",
        base_url=url,
        timeout=2,
        max_attempts=2,
        retry_base_delay=0.01,
    )
    reply = ask(llm)
    assert reply.failure is not None and reply.failure.kind == "network"
    assert reply.attempts == 2


def test_latency_covers_a_slow_reply(fake_openai):
    fake_openai.push(FakeReply(text="slow", delay=0.2))
    reply = ask(make("openai", fake_openai))
    assert reply.ok and reply.latency_s >= 0.2


# ----- bad replies come back as typed failures ------------------------------------------------


def test_truncated_reply_keeps_partial_text(provider, server):
    server.push(FakeReply.truncated_reply("def check(move):\n    return", output_tokens=256))
    reply = ask(make(provider, server))
    assert reply.failure.kind == "truncated"
    assert reply.text == "def check(move):\n    return"
    assert (
        reply.stop_reason
        == {"openai": "length", "anthropic": "max_tokens", "gemini": "MAX_TOKENS"}[provider]
    )
    assert reply.usage.output_tokens == 256
    assert reply.cost_usd is not None and reply.cost_usd > 0  # truncated tokens are billed
    assert len(server.requests) == 1  # not retried


def test_empty_reply(provider, server):
    server.push(FakeReply.empty(), "not used")
    reply = ask(make(provider, server))
    assert reply.failure.kind == "empty"
    assert reply.text == ""
    assert len(server.requests) == 1


def test_whitespace_only_reply_is_empty(provider, server):
    server.push(FakeReply(text="  \n "))
    assert ask(make(provider, server)).failure.kind == "empty"


def test_refused_reply(provider, server):
    server.push(FakeReply.refusal("I can't help with that."))
    reply = ask(make(provider, server))
    assert reply.failure.kind == "refused"
    assert not reply.ok


def test_malformed_json_body(provider, server):
    server.push(FakeReply.malformed(b'{"choices": [tru'))
    reply = ask(make(provider, server))
    assert reply.failure.kind == "malformed"
    assert reply.cost_usd is None
    assert len(server.requests) == 1


def test_json_without_the_expected_fields_is_malformed(provider, server):
    server.push(FakeReply(body={"unexpected": True}))
    reply = ask(make(provider, server))
    assert reply.failure.kind == "malformed"


def test_html_page_with_status_200_is_malformed(provider, server):
    server.push(
        FakeReply(body="<html>captive portal</html>", headers={"Content-Type": "text/html"})
    )
    reply = ask(make(provider, server))
    assert reply.failure.kind == "malformed"


def test_html_error_page_from_a_proxy(provider, server):
    server.push(FakeReply(status=502, body="<html>Bad Gateway</html>"), "ok")
    reply = ask(make(provider, server))
    assert reply.ok and reply.attempts == 2


# ----- configuration from the environment -----------------------------------------------------


def test_key_and_base_url_from_the_environment(provider, server, monkeypatch):
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    server.push("from env")
    reply = make_llm(SPECS[provider][0], timeout=5).complete(MESSAGES)
    assert reply.text == "from env"
    assert server.last_request.api_key == server.env[SPECS[provider][1].key_env]


def test_timeout_from_the_environment(fake_gemini, monkeypatch):
    monkeypatch.setenv("AUTOHARNESS_LLM_TIMEOUT", "0.3")
    monkeypatch.setenv("AUTOHARNESS_LLM_MAX_ATTEMPTS", "1")
    fake_gemini.push(FakeReply.hang())
    llm = make_llm("gemini/gemini-2.5-flash")  # Gemini takes its timeout in milliseconds
    assert llm.timeout == 0.3 and llm.retry_policy.max_attempts == 1
    assert ask(llm).failure.kind == "timeout"


@pytest.mark.parametrize(
    "spec, variable",
    [
        ("gemini/gemini-2.5-flash", "GEMINI_API_KEY"),
        ("anthropic/claude-haiku-4-5", "ANTHROPIC_API_KEY"),
        ("openai/gpt-4o-mini", "OPENAI_API_KEY"),
    ],
)
def test_missing_key_is_a_one_line_typed_error(spec, variable):
    with pytest.raises(MissingAPIKey) as err:
        make_llm(spec)
    message = str(err.value)
    assert variable in message
    assert "\n" not in message
    assert err.value.variable == variable


def test_gemini_accepts_google_api_key(fake_gemini, monkeypatch):
    monkeypatch.delenv("GEMINI_API_KEY")
    monkeypatch.setenv("GOOGLE_API_KEY", "google-key")
    fake_gemini.push("hi")
    make_llm("gemini/gemini-2.5-flash").complete(MESSAGES)
    assert fake_gemini.last_request.api_key == "google-key"


def test_gemini_missing_key_names_both_variables():
    with pytest.raises(MissingAPIKey, match="GEMINI_API_KEY or GOOGLE_API_KEY"):
        make_llm("gemini/gemini-2.5-flash")


# ----- provider specifics ---------------------------------------------------------------------


def test_openai_local_server_needs_no_key(fake_openai, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    fake_openai.push("local model says hi")
    reply = make_llm("openai/llama3.1:8b").complete(MESSAGES)
    assert reply.text == "local model says hi"
    assert fake_openai.last_request.api_key  # a placeholder is sent
    assert reply.cost_usd is None


def test_openai_own_base_url_still_needs_a_key(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.openai.com/v1")
    with pytest.raises(MissingAPIKey, match="OPENAI_API_KEY"):
        make_llm("openai/gpt-4o-mini")


def test_openai_max_completion_tokens_can_be_forced(fake_openai):
    fake_openai.push("x")
    llm = make_llm("openai/o4-mini", max_tokens_param="max_completion_tokens")
    llm.complete(MESSAGES, max_tokens=77)
    body = fake_openai.last_request.body
    assert body["max_completion_tokens"] == 77 and "max_tokens" not in body


def test_openai_content_filter_is_a_refusal(fake_openai):
    fake_openai.push(FakeReply(text="", stop_reason="content_filter"))
    assert make_llm("openai/gpt-4o-mini").complete(MESSAGES).failure.kind == "refused"


def test_gemini_retry_info_in_the_error_body(fake_gemini):
    body = {
        "error": {
            "code": 429,
            "status": "RESOURCE_EXHAUSTED",
            "message": "quota",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "12s"}],
        }
    }
    fake_gemini.push(FakeReply(status=429, body=body), "ok")
    sleeps = SleepRecorder()
    llm = make_llm("gemini/gemini-2.5-flash", sleep=sleeps, max_retry_after=60)
    assert llm.complete(MESSAGES).ok
    assert sleeps.waits == [12.0]


def test_gemini_blocked_prompt_is_a_refusal(fake_gemini):
    body = {
        "promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},
        "usageMetadata": {"promptTokenCount": 12, "totalTokenCount": 12},
    }
    fake_gemini.push(FakeReply(body=body))
    reply = make_llm("gemini/gemini-2.5-flash").complete(MESSAGES)
    assert reply.failure.kind == "refused"
    assert reply.usage.input_tokens == 12


def test_gemini_thought_parts_are_not_reply_text(fake_gemini):
    body = {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [{"text": "let me think", "thought": True}, {"text": "answer"}],
                },
                "finishReason": "STOP",
            }
        ],
        "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 1},
    }
    fake_gemini.push(FakeReply(body=body))
    assert make_llm("gemini/gemini-2.5-flash").complete(MESSAGES).text == "answer"


def test_gemini_thinking_budget_is_sent(fake_gemini):
    fake_gemini.push("x")
    make_llm("gemini/gemini-2.5-flash", thinking_budget=0).complete(MESSAGES)
    thinking = fake_gemini.last_request.body["generationConfig"]["thinkingConfig"]
    # google-genai 3.4 sends this one field in snake_case; the API takes either spelling
    assert thinking.get("thinkingBudget", thinking.get("thinking_budget")) == 0


def test_anthropic_refusal_keeps_its_stop_reason(fake_anthropic):
    fake_anthropic.push(FakeReply.refusal())
    reply = make_llm("anthropic/claude-haiku-4-5").complete(MESSAGES)
    assert reply.stop_reason == "refusal" and reply.failure.kind == "refused"


def test_concurrent_calls_from_threads(fake_openai):
    from concurrent.futures import ThreadPoolExecutor

    fake_openai.default = FakeReply(text="same")
    llm = make_llm("openai/gpt-4o-mini")
    with ThreadPoolExecutor(4) as pool:
        replies = list(
            pool.map(lambda i: llm.complete([{"role": "user", "content": str(i)}]), range(8))
        )
    assert all(r.ok and r.text == "same" for r in replies)
    assert sorted(r.text for r in fake_openai.requests) == [str(i) for i in range(8)]
