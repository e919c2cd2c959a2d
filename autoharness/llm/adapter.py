"""What the three SDK adapters share: the call loop, failure classification, cost.

A subclass implements ``_send`` (one SDK call, SDK retries off), ``_parse`` (SDK response to
``Parsed``) and ``_classify`` (SDK exception to ``LLMFailure``, or None for "not ours: raise").
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import httpx2
import pydantic

from autoharness.llm.base import (
    DEFAULT_MAX_TOKENS,
    LLMFailure,
    LLMReply,
    Message,
    MessageLike,
    Usage,
    normalize_messages,
)
from autoharness.llm.pricing import Price, PriceSource, price_for
from autoharness.llm.retry import (
    RetryPolicy,
    default_timeout,
    parse_retry_after,
    run_with_retries,
)


@dataclass(frozen=True)
class Parsed:
    """One provider response, read: what ``_parse`` returns."""

    text: str
    usage: Usage
    stop_reason: str | None
    failure: LLMFailure | None = None  # truncated/refused/...; empty is detected generically


def env_first(*names: str) -> str | None:
    """The first of ``names`` set to a non-blank value in the environment."""
    for name in names:
        value = os.environ.get(name)
        if value and value.strip():
            return value.strip()
    return None


def failure_for_status(status: int, message: str, retry_after: float | None = None) -> LLMFailure:
    if status == 429:
        return LLMFailure("rate_limited", message, status, retry_after)
    if status == 408:
        return LLMFailure("timeout", message, status, retry_after)
    if status >= 500:
        return LLMFailure("server_error", message, status, retry_after)
    if 400 <= status < 500:
        return LLMFailure("client_error", message, status)
    return LLMFailure("malformed", f"unexpected HTTP status: {message}", status)


def classify_common(exc: BaseException) -> LLMFailure | None:
    """Failures any SDK can surface: transport errors, unparseable bodies."""
    if isinstance(exc, httpx2.TimeoutException):
        return LLMFailure("timeout", f"request timed out: {exc}")
    if isinstance(exc, httpx2.TransportError):
        return LLMFailure("network", f"{type(exc).__name__}: {exc}")
    if isinstance(exc, (json.JSONDecodeError, pydantic.ValidationError, UnicodeDecodeError)):
        return LLMFailure("malformed", f"unreadable response: {exc}")
    return None


def short(text: Any, limit: int = 300) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 3] + "..."


class SDKAdapterLLM:
    """Base of the Gemini, Anthropic and OpenAI adapters. Thread-safe: the SDK clients are."""

    provider: ClassVar[str] = ""

    def __init__(
        self,
        model: str,
        *,
        timeout: float | None = None,
        max_attempts: int | None = None,
        retry_base_delay: float | None = None,
        retry_max_delay: float | None = None,
        max_retry_after: float | None = None,
        retry_policy: RetryPolicy | None = None,
        prices: PriceSource | None = None,
        sleep: Callable[[float], None] = time.sleep,
        seed: int | None = None,
    ) -> None:
        if not model or not model.strip():
            raise ValueError(f"{self.provider}: empty model name")
        self.model = model
        self.name = f"{self.provider}/{model}"
        self.timeout = default_timeout() if timeout is None else float(timeout)
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        overrides = {
            "max_attempts": max_attempts,
            "base_delay": retry_base_delay,
            "max_delay": retry_max_delay,
            "max_retry_after": max_retry_after,
        }
        self.retry_policy = replace(
            retry_policy or RetryPolicy.from_env(),
            **{k: v for k, v in overrides.items() if v is not None},
        )
        self.price: Price | None = price_for(self.name, prices)
        self._sleep = sleep
        self._rng = random.Random(seed)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    # ----- the protocol ------------------------------------------------------------------------

    def complete(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> LLMReply:
        msgs = normalize_messages(messages)
        if max_tokens < 1:
            raise ValueError("max_tokens must be at least 1")
        return run_with_retries(
            lambda: self._attempt(msgs, max_tokens, temperature),
            self.retry_policy,
            sleep=self._sleep,
            rng=self._rng,
        )

    def cost(self, usage: Usage) -> float | None:
        if self.price is None:
            return None
        billed = usage.input_tokens * self.price.input
        billed += usage.billed_output_tokens * self.price.output
        return billed / 1_000_000

    # ----- one attempt -------------------------------------------------------------------------

    def _attempt(self, msgs: list[Message], max_tokens: int, temperature: float | None) -> LLMReply:
        try:
            response = self._send(msgs, max_tokens, temperature)
        except Exception as exc:  # noqa: BLE001 -- sorted below; what is not ours is re-raised
            failure = self._classify(exc) or classify_common(exc)
            if failure is None:
                raise
            return LLMReply(text="", model=self.name, failure=failure)
        try:
            parsed = self._parse(response)
        except (AttributeError, KeyError, IndexError, TypeError, ValueError) as exc:
            failure = LLMFailure("malformed", f"cannot read {self.provider} response: {exc!r}")
            return LLMReply(text="", model=self.name, failure=failure)
        failure = parsed.failure
        if failure is None and not parsed.text.strip():
            failure = LLMFailure("empty", f"no text in reply (stop reason {parsed.stop_reason})")
        return LLMReply(
            text=parsed.text,
            model=self.name,
            usage=parsed.usage,
            cost_usd=None if failure and failure.kind == "malformed" else self.cost(parsed.usage),
            stop_reason=parsed.stop_reason,
            failure=failure,
        )

    # ----- per provider ------------------------------------------------------------------------

    def _send(self, msgs: list[Message], max_tokens: int, temperature: float | None) -> Any:
        raise NotImplementedError

    def _parse(self, response: Any) -> Parsed:
        raise NotImplementedError

    def _classify(self, exc: Exception) -> LLMFailure | None:
        raise NotImplementedError


def header_map(response: Any) -> Mapping[str, str] | None:
    headers = getattr(response, "headers", None)
    return dict(headers.items()) if headers is not None else None


def classify_stainless(exc: Exception, sdk: Any) -> LLMFailure | None:
    """Errors of the ``anthropic`` and ``openai`` SDKs, which share one generated layout."""
    if isinstance(exc, sdk.APIStatusError):
        retry_after = parse_retry_after(header_map(exc.response))
        body = exc.body
        detail = body.get("error", body) if isinstance(body, dict) else body
        if isinstance(detail, dict):
            detail = detail.get("message", detail)
        return failure_for_status(exc.status_code, short(detail or exc.message), retry_after)
    if isinstance(exc, sdk.APITimeoutError):
        return LLMFailure("timeout", "request timed out")
    if isinstance(exc, sdk.APIConnectionError):
        cause = exc.__cause__
        return LLMFailure("network", short(f"{exc.message} {cause or ''}".strip()))
    if isinstance(exc, sdk.APIResponseValidationError):
        return LLMFailure("malformed", short(exc.message), exc.status_code)
    return None
