"""One error taxonomy for the three providers: each wire format's error classes, through the real
SDKs, land in the same fatal / transient / reply kinds; the preflight sees them before any work;
failed attempts that may have been billed are counted for the budgets."""

from __future__ import annotations

import os

import pytest

from autoharness.llm import make_llm, preflight
from tests.fakes.llm_servers import FakeReply
from tests.llm.conftest import SPECS
from tests.llm.test_llm_providers import ask, make

FATAL = [
    (FakeReply.bad_key, "authentication"),
    (FakeReply.forbidden, "permission"),
    (FakeReply.unknown_model, "unknown_model"),
    (FakeReply.bad_request, "bad_request"),
]
TRANSIENT = [
    (lambda: FakeReply.rate_limited(retry_after=0), "rate_limited"),
    (FakeReply.overloaded, "server_error"),
    (lambda: FakeReply.server_error(500), "server_error"),
    (lambda: FakeReply.server_error(503), "server_error"),
]


@pytest.mark.parametrize("reply, kind", FATAL, ids=[k for _, k in FATAL])
def test_fatal_errors_are_typed_quoted_and_never_retried(provider, server, reply, kind):
    server.push(reply(), "never asked")
    answer = ask(make(provider, server, max_attempts=5))
    failure = answer.failure
    assert failure is not None and failure.kind == kind and failure.category == "fatal"
    assert len(server.requests) == 1  # no second call
    line = failure.describe()
    assert "\n" not in line  # one line, quoting the provider's own words:
    assert "(fake)" in line or "API key not valid" in line
    assert answer.unknown_usage_attempts == 0  # refused before any generation: nothing billed


def test_openai_insufficient_quota_is_fatal_not_a_rate_limit(fake_openai):
    fake_openai.push(FakeReply.quota(), "never")
    answer = ask(make("openai", fake_openai, max_attempts=5))
    assert answer.failure.kind == "quota" and answer.failure.fatal
    assert len(fake_openai.requests) == 1


def test_gemini_bad_key_is_authentication_although_google_says_400(fake_gemini):
    fake_gemini.push(FakeReply.bad_key())
    failure = ask(make("gemini", fake_gemini)).failure
    assert failure.status == 400 and failure.kind == "authentication"
    assert "API key not valid" in failure.describe()


@pytest.mark.parametrize("reply, kind", TRANSIENT, ids=["429", "overloaded", "500", "503"])
def test_transient_errors_are_retried_then_recover(provider, server, reply, kind):
    server.push(reply(), "recovered")
    answer = ask(make(provider, server, max_attempts=3))
    assert answer.ok and answer.text == "recovered" and answer.attempts == 2


def test_transient_errors_that_persist_are_transient_failures(provider, server):
    server.default = lambda request: FakeReply.overloaded()
    answer = ask(make(provider, server, max_attempts=2))
    assert answer.failure.kind == "server_error" and answer.failure.category == "transient"
    assert answer.attempts == 2


def test_failed_attempts_that_may_have_been_billed_are_counted(provider, server):
    server.push(FakeReply.server_error(500), FakeReply.hang(), FakeReply.rate_limited(0), "ok")
    answer = ask(make(provider, server, max_attempts=4, timeout=0.3))
    assert answer.ok and answer.attempts == 4
    assert answer.unknown_usage_attempts == 2  # the 500 and the timeout; a 429 is never billed


def test_connection_refused_is_never_billed(provider):
    srv = SPECS[provider][1]().start()
    url = srv.base_url
    srv.stop()
    llm = make_llm(SPECS[provider][0], api_key="k", base_url=url, max_attempts=2,
                   retry_base_delay=0.01)
    answer = ask(llm)
    assert answer.failure.kind == "network" and answer.failure.category == "transient"
    assert answer.unknown_usage_attempts == 0
    assert preflight(llm).kind == "network"


# ----- the preflight ----------------------------------------------------------------------------


def test_preflight_looks_the_model_up_without_a_completion(provider, server):
    llm = make(provider, server)
    assert preflight(llm) is None
    model = SPECS[provider][0].split("/", 1)[1]
    # a local OpenAI-compatible server: its model list (some serve any name)
    assert [r.model for r in server.lookups] == ["" if provider == "openai" else model]
    assert server.requests == []


@pytest.mark.parametrize("kind", ["authentication", "unknown_model"])
def test_preflight_reports_a_wrong_key_or_model(provider, kind):
    if provider == "openai" and kind == "unknown_model":
        pytest.skip("a compatible server's list may not name what it serves")
    model = SPECS[provider][0].split("/", 1)[1]
    options = {"require_api_key": "right"} if kind == "authentication" else \
        {"known_models": {"another-model"}}
    with SPECS[provider][1](**options) as srv:
        llm = make(provider, srv)
        failure = preflight(llm)
    assert failure is not None and failure.kind == kind and failure.fatal
    assert model in failure.message or kind == "authentication"


def test_preflight_retries_a_transient_lookup_failure(fake_anthropic):
    fake_anthropic.lookup_replies.extend([FakeReply.overloaded(), FakeReply.server_error(500)])
    llm = make("anthropic", fake_anthropic, max_attempts=3)
    assert preflight(llm) is None and len(fake_anthropic.lookups) == 3


def test_openai_own_host_preflight_is_a_model_lookup(fake_openai):
    from autoharness.llm.openai_llm import OpenAILLM

    llm = make("openai", fake_openai)
    llm.base_url = "https://api.openai.com/v1"  # as if it were OpenAI: the lookup route
    llm._client = llm._client.with_options(base_url=fake_openai.base_url)
    assert isinstance(llm, OpenAILLM) and preflight(llm) is None
    assert fake_openai.lookups and not fake_openai.requests


# ----- thinking and keys ------------------------------------------------------------------------


def test_anthropic_extended_thinking_is_sent_and_checked(fake_anthropic):
    llm = make("anthropic", fake_anthropic, thinking_budget=2048)
    fake_anthropic.push("ok")
    assert ask(llm, max_tokens=4096).ok
    assert fake_anthropic.last_request.body["thinking"] == {"type": "enabled",
                                                            "budget_tokens": 2048}
    with pytest.raises(ValueError, match="at least 1024"):
        make("anthropic", fake_anthropic, thinking_budget=100)
    with pytest.raises(ValueError, match="above the thinking budget"):
        ask(llm, max_tokens=1024)


def test_openai_refuses_a_thinking_budget(fake_openai):
    with pytest.raises(ValueError, match="no thinking budget"):
        make("openai", fake_openai, thinking_budget=1000)


def test_thinking_defaults_and_problems():
    from autoharness.llm import default_output_tokens, default_thinking_budget, thinking_problem

    assert default_output_tokens("gemini/gemini-2.5-flash") == 12288
    assert default_thinking_budget("gemini/gemini-2.5-flash", 12288) == 4096
    assert default_thinking_budget("gemini/gemini-2.5-flash-lite", 12288) is None
    assert default_thinking_budget("anthropic/claude-haiku-4-5", 8192) is None
    assert thinking_problem("openai/gpt-4o-mini", 100, 8192)
    assert thinking_problem("anthropic/claude-haiku-4-5", 500, 8192)
    assert thinking_problem("gemini/gemini-2.5-flash", 9000, 8192)
    assert thinking_problem("gemini/gemini-2.5-flash", 0, 8192) is None


def test_make_llm_scrubs_keys_from_the_environment_and_keeps_them_for_the_next_client(
        fake_openai, monkeypatch):
    from autoharness import secrets

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-value-123")
    first = make_llm("openai/gpt-4o-mini")
    assert "OPENAI_API_KEY" not in os.environ
    assert secrets.redact("key sk-test-secret-value-123") == "key [redacted]"
    second = make_llm("openai/gpt-4o")  # an opponent built after the scrub still finds it
    fake_openai.push("a", "b")
    assert ask(first).ok and ask(second).ok
    assert {r.api_key for r in fake_openai.requests} == {"sk-test-secret-value-123"}
