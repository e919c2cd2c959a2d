"""Retry policy and price table, without any server."""

from __future__ import annotations

import email.utils
import json
import random
import time

import pytest

from autoharness.llm import LLMFailure, LLMReply, Usage, cost_usd, price_for, price_table
from autoharness.llm.pricing import Price, load_prices
from autoharness.llm.retry import (
    RetryPolicy,
    parse_google_retry_delay,
    parse_retry_after,
    run_with_retries,
)

# ----- retry ----------------------------------------------------------------------------------


def test_backoff_doubles_with_jitter_and_is_capped():
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, jitter=0.5)
    rng = random.Random(0)
    for retry, full in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (10, 5.0)]:
        for _ in range(20):
            d = policy.delay(retry, rng=rng)
            assert full * 0.5 <= d <= full


def test_no_jitter_is_exact():
    policy = RetryPolicy(base_delay=0.25, jitter=0.0)
    assert [policy.delay(n) for n in (1, 2, 3)] == [0.25, 0.5, 1.0]


def test_retry_after_wins_and_is_capped():
    policy = RetryPolicy(base_delay=1.0, max_retry_after=10.0)
    assert policy.delay(1, retry_after=3.5) == 3.5
    assert policy.delay(1, retry_after=100.0) == 10.0
    assert policy.delay(3, retry_after=0.0) == 0.0


def test_policy_validation():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base_delay=-1)
    with pytest.raises(ValueError):
        RetryPolicy(jitter=2)


def test_policy_from_env(monkeypatch):
    monkeypatch.setenv("AUTOHARNESS_LLM_MAX_ATTEMPTS", "7")
    monkeypatch.setenv("AUTOHARNESS_LLM_RETRY_BASE_DELAY", "0.125")
    policy = RetryPolicy.from_env()
    assert policy.max_attempts == 7 and policy.base_delay == 0.125
    assert RetryPolicy.from_env(base_delay=2.0, max_attempts=None).base_delay == 2.0
    monkeypatch.setenv("AUTOHARNESS_LLM_RETRY_BASE_DELAY", "soon")
    with pytest.raises(ValueError, match="AUTOHARNESS_LLM_RETRY_BASE_DELAY"):
        RetryPolicy.from_env()


def test_parse_retry_after_forms():
    assert parse_retry_after({"Retry-After": "12"}) == 12.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "garbage"}) is None
    assert parse_retry_after({}) is None
    assert parse_retry_after(None) is None
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= parse_retry_after({"Retry-After": future}) <= 31
    past = email.utils.formatdate(time.time() - 30, usegmt=True)
    assert parse_retry_after({"Retry-After": past}) == 0.0


def test_parse_google_retry_delay():
    body = {"error": {"details": [{"@type": "x.Help"}, {"retryDelay": "37s"}]}}
    assert parse_google_retry_delay(body) == 37.0
    assert parse_google_retry_delay([{"retryDelay": "0.5s"}]) == 0.5
    assert parse_google_retry_delay({"error": {"message": "no details"}}) is None
    assert parse_google_retry_delay("nonsense") is None


def _replies(*kinds):
    out = []
    for kind in kinds:
        if kind is None:
            out.append(LLMReply(text="ok", model="m"))
        else:
            out.append(LLMReply(text="", model="m", failure=LLMFailure(kind, kind)))
    return iter(out)


def test_run_with_retries_stops_on_success():
    replies = _replies("rate_limited", "server_error", "timeout", "network", None)
    waits = []
    reply = run_with_retries(lambda: next(replies), RetryPolicy(max_attempts=9), sleep=waits.append)
    assert reply.ok and reply.attempts == 5 and len(waits) == 4


@pytest.mark.parametrize("kind", ["empty", "truncated", "refused", "malformed", "client_error"])
def test_run_with_retries_does_not_retry_final_failures(kind):
    replies = _replies(kind, None)
    waits = []
    reply = run_with_retries(lambda: next(replies), RetryPolicy(), sleep=waits.append)
    assert reply.failure.kind == kind and reply.attempts == 1 and waits == []


def test_run_with_retries_gives_up_after_max_attempts():
    calls = []

    def attempt():
        calls.append(1)
        return LLMReply(text="", model="m", failure=LLMFailure("server_error", "boom", 500))

    reply = run_with_retries(attempt, RetryPolicy(max_attempts=3), sleep=lambda s: None)
    assert len(calls) == 3 and reply.attempts == 3 and reply.failure.status == 500


def test_failure_kind_is_checked():
    with pytest.raises(ValueError):
        LLMFailure("exploded", "?")
    assert LLMFailure("timeout", "t").retryable
    assert not LLMFailure("truncated", "t").retryable


# ----- pricing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, price",
    [
        ("gemini/gemini-2.5-flash", (0.30, 2.50)),
        ("gemini/gemini-2.5-pro", (1.25, 10.00)),
        ("gemini/gemini-2.5-flash-lite", (0.10, 0.40)),
        ("anthropic/claude-haiku-4-5", (1.00, 5.00)),
        ("anthropic/claude-sonnet-4-5", (3.00, 15.00)),
        ("anthropic/claude-opus-4-1", (15.00, 75.00)),
        ("openai/gpt-4o-mini", (0.15, 0.60)),
        ("openai/gpt-4.1-mini", (0.40, 1.60)),
    ],
)
def test_builtin_prices(spec, price):
    assert price_for(spec) == Price(*price)


def test_snapshot_names_fall_back_to_the_base_model():
    assert price_for("anthropic/claude-haiku-4-5-20251001") == Price(1.0, 5.0)
    assert price_for("openai/gpt-4o-mini-2024-07-18") == Price(0.15, 0.60)


def test_unknown_model_is_none():
    assert price_for("openai/llama3.1:8b") is None
    assert cost_usd("openai/llama3.1:8b", Usage(100, 100)) is None
    assert price_for("gemini/gpt-4o-mini") is None  # the provider is part of the key


def test_cost_bills_thinking_as_output():
    usage = Usage(input_tokens=2_000_000, output_tokens=1_000_000, thinking_tokens=1_000_000)
    assert cost_usd("gemini/gemini-2.5-flash", usage) == pytest.approx(0.6 + 5.0)


def test_override_with_a_mapping():
    prices = {"openai/my-model": {"input": 1.0, "output": 2.0}, "gemini/gemini-2.5-flash": (9, 9)}
    assert cost_usd("openai/my-model", Usage(1_000_000, 500_000), prices) == pytest.approx(2.0)
    assert price_for("gemini/gemini-2.5-flash", prices) == Price(9, 9)
    assert price_for("gemini/gemini-2.5-pro", prices) == Price(1.25, 10.0)  # rest kept


def test_override_file_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"openai/local": {"input": 0, "output": 0}, "shared-name": [1, 1]}))
    monkeypatch.setenv("AUTOHARNESS_PRICES", str(path))
    assert price_for("openai/local") == Price(0, 0)
    assert cost_usd("openai/local", Usage(10, 10)) == 0.0  # known and free: 0, not None
    assert price_for("anthropic/shared-name") == Price(1, 1)  # no provider: any provider
    assert "gemini/gemini-2.5-flash" in price_table()


def test_toml_file_as_argument(tmp_path):
    path = tmp_path / "prices.toml"
    path.write_text('["openai/gpt-4o-mini"]\ninput = 0.2\noutput = 0.8\n')
    assert price_for("openai/gpt-4o-mini", str(path)) == Price(0.2, 0.8)
    assert load_prices(path) == {"openai/gpt-4o-mini": Price(0.2, 0.8)}


def test_bad_price_files_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(ValueError, match="cannot parse price file"):
        load_prices(bad)
    missing_field = tmp_path / "m.json"
    missing_field.write_text('{"openai/x": {"input": 1}}')
    with pytest.raises(ValueError, match="'openai/x'"):
        load_prices(missing_field)
    with pytest.raises(ValueError, match="cannot read price file"):
        load_prices(tmp_path / "absent.json")
