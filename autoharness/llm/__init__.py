"""LLM access for autoharness: one synchronous protocol over Gemini, Anthropic and
OpenAI(-compatible) servers, plus scripted and replay LLMs for tests.

    from autoharness.llm import make_llm
    llm = make_llm("gemini/gemini-2.5-flash")          # MissingAPIKey if GEMINI_API_KEY is unset
    reply = llm.complete([{"role": "system", "content": "..."},
                          {"role": "user", "content": "..."}], max_tokens=2048, temperature=0.7)
    if reply.ok: use(reply.text)
    else: log(reply.failure.kind, reply.failure.message)   # never raised: rate limits, 5xx,
                                                           # timeouts, empty/truncated/refused
    reply.usage.input_tokens, reply.cost_usd, reply.latency_s, reply.stop_reason

Failures fall in three categories (``LLMFailure.category``): fatal (authentication, permission,
unknown model, bad request, quota: no further call helps), transient (rate limit, 5xx/overloaded,
timeout, network: retried with backoff honouring retry-after), and reply (empty, truncated,
refused, malformed: the service answered). ``preflight(llm)`` checks key and model before work.

The SDK adapters (``GeminiLLM``, ``AnthropicLLM``, ``OpenAILLM``) import their SDK on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autoharness.llm.base import (
    DEFAULT_MAX_TOKENS,
    FAILURE_KINDS,
    FATAL_KINDS,
    LLM,
    REPLY_KINDS,
    RETRYABLE_KINDS,
    LLMError,
    LLMFailure,
    LLMReply,
    Message,
    MessageLike,
    MissingAPIKey,
    Usage,
    normalize_messages,
)
from autoharness.llm.factory import (
    PROVIDERS,
    default_output_tokens,
    default_thinking_budget,
    make_llm,
    parse_spec,
    preflight,
    thinking_problem,
)
from autoharness.llm.pricing import Price, cost_usd, load_prices, price_for, price_table
from autoharness.llm.replay import (
    EXCHANGES_FILENAME,
    ExchangeRecord,
    RecordingLLM,
    ReplayExhausted,
    ReplayLLM,
    ReplayMismatch,
    append_exchange,
    log_path,
    read_exchanges,
)
from autoharness.llm.retry import RetryPolicy
from autoharness.llm.scripted import ScriptedLLM, ScriptExhausted

if TYPE_CHECKING:
    from autoharness.llm.anthropic_llm import AnthropicLLM
    from autoharness.llm.gemini import GeminiLLM
    from autoharness.llm.openai_llm import OpenAILLM

_LAZY = {
    "GeminiLLM": "autoharness.llm.gemini",
    "AnthropicLLM": "autoharness.llm.anthropic_llm",
    "OpenAILLM": "autoharness.llm.openai_llm",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_MAX_TOKENS",
    "EXCHANGES_FILENAME",
    "FAILURE_KINDS",
    "FATAL_KINDS",
    "LLM",
    "PROVIDERS",
    "REPLY_KINDS",
    "RETRYABLE_KINDS",
    "AnthropicLLM",
    "ExchangeRecord",
    "GeminiLLM",
    "LLMError",
    "LLMFailure",
    "LLMReply",
    "Message",
    "MessageLike",
    "MissingAPIKey",
    "OpenAILLM",
    "Price",
    "RecordingLLM",
    "ReplayExhausted",
    "ReplayLLM",
    "ReplayMismatch",
    "RetryPolicy",
    "ScriptExhausted",
    "ScriptedLLM",
    "Usage",
    "append_exchange",
    "cost_usd",
    "default_output_tokens",
    "default_thinking_budget",
    "load_prices",
    "log_path",
    "make_llm",
    "normalize_messages",
    "parse_spec",
    "preflight",
    "price_for",
    "price_table",
    "read_exchanges",
    "thinking_problem",
]
