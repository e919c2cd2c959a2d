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

The SDK adapters (``GeminiLLM``, ``AnthropicLLM``, ``OpenAILLM``) import their SDK on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autoharness.llm.base import (
    DEFAULT_MAX_TOKENS,
    FAILURE_KINDS,
    LLM,
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
from autoharness.llm.factory import PROVIDERS, make_llm, parse_spec
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
    "LLM",
    "PROVIDERS",
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
    "load_prices",
    "log_path",
    "make_llm",
    "normalize_messages",
    "parse_spec",
    "price_for",
    "price_table",
    "read_exchanges",
]
