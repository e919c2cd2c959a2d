"""What the three SDK adapters share: the call loop, failure classification, cost.

A subclass implements ``_send`` (one SDK call, SDK retries off), ``_parse`` (SDK response to
``Parsed``) and ``_classify`` (SDK exception to ``LLMFailure``, or None for "not ours: raise").
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import httpx2
import pydantic

from autoharness.llm import keys
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
    """The first of ``names`` set to a non-blank value in the environment (or kept by
    ``keys.scrub`` after it left the environment)."""
    return keys.env_first(*names)


PREFLIGHT_ATTEMPTS = 3  # a service down at the start is reported within seconds

_AUTH_WORDS = ("api key", "api_key", "apikey", "authenticat", "credential", "unauthori")
_QUOTA_WORDS = ("insufficient_quota", "exceeded your current quota", "credit balance",
                "billing")


def failure_for_status(status: int, message: str, retry_after: float | None = None,
                       code: str | None = None) -> LLMFailure:
    """The failure an HTTP error status means; ``code`` is the provider's own error code or
    status word (``insufficient_quota``, ``API_KEY_INVALID``, ``PERMISSION_DENIED``, ...)."""
    words = f"{code or ''} {message}".lower()
    if status == 429:
        if any(w in words for w in _QUOTA_WORDS):  # no amount of waiting refills a quota
            return LLMFailure("quota", message, status)
        return LLMFailure("rate_limited", message, status, retry_after)
    if status == 408:
        return LLMFailure("timeout", message, status, retry_after)
    if status >= 500:
        return LLMFailure("server_error", message, status, retry_after)
    if status == 401 or (status == 400 and any(w in words for w in _AUTH_WORDS)):
        return LLMFailure("authentication", message, status)
    if status == 402 or (400 <= status < 500 and any(w in words for w in _QUOTA_WORDS)):
        return LLMFailure("quota", message, status)
    if status == 403:
        return LLMFailure("permission", message, status)
    if status == 404:
        return LLMFailure("unknown_model", message, status)
    if status in (400, 413, 422):
        return LLMFailure("bad_request", message, status)
    if 400 <= status < 500:
        return LLMFailure("client_error", message, status)
    return LLMFailure("malformed", f"unexpected HTTP status: {message}", status)


def never_sent(exc: BaseException) -> bool:
    """The request never reached the server (connection refused, DNS, connect timeout): nothing
    can have been billed."""
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            return False
        if isinstance(seen, (httpx2.ConnectError, httpx2.ConnectTimeout)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def may_be_billed(failure: LLMFailure, exc: BaseException | None) -> bool:
    """Could this failed attempt have been billed without the usage being reported?"""
    if failure.kind in ("timeout", "server_error", "malformed"):
        return exc is None or not never_sent(exc)
    if failure.kind == "network":
        return exc is not None and not never_sent(exc)
    return False


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

    def preflight(self) -> LLMFailure | None:
        """One cheap check before any real work: a model lookup where the API has one, else a
        minimal request. None when the service answered; else its fatal failure, or the
        transient one that outlived the retries."""

        def attempt() -> LLMReply:
            try:
                self._lookup()
            except Exception as exc:  # noqa: BLE001 -- sorted as in _attempt
                failure = self._classify(exc) or classify_common(exc)
                if failure is None:
                    raise
                return LLMReply(text="", model=self.name, failure=failure)
            return LLMReply(text="ok", model=self.name)

        policy = replace(self.retry_policy, max_attempts=min(PREFLIGHT_ATTEMPTS,
                                                             self.retry_policy.max_attempts))
        reply = run_with_retries(attempt, policy, sleep=self._sleep, rng=self._rng)
        failure = reply.failure
        return failure if failure is not None and failure.category != "reply" else None

    def _lookup(self) -> None:
        """The preflight request; raises what the SDK raises."""
        raise NotImplementedError

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
            return LLMReply(text="", model=self.name, failure=failure,
                            unknown_usage_attempts=int(may_be_billed(failure, exc)))
        try:
            parsed = self._parse(response)
        except (AttributeError, KeyError, IndexError, TypeError, ValueError) as exc:
            failure = LLMFailure("malformed", f"cannot read {self.provider} response: {exc!r}")
            return LLMReply(text="", model=self.name, failure=failure, unknown_usage_attempts=1)
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


def classify_sdk_error(exc: BaseException) -> LLMFailure | None:
    """An exception of any installed SDK (openai, anthropic, google-genai) or of the transport,
    as a failure; None for anything else. For clients that are not ours (TextArena's agents)."""
    import anthropic
    import openai

    if isinstance(exc, Exception):
        for sdk in (openai, anthropic):
            failure = classify_stainless(exc, sdk)
            if failure is not None:
                return failure
        try:
            from google.genai import errors as genai_errors
        except ImportError:  # pragma: no cover - the SDK is a dependency
            genai_errors = None
        if genai_errors is not None and isinstance(exc, genai_errors.APIError):
            message = short(f"{exc.status or ''} {exc.message or exc.details}".strip())
            return failure_for_status(int(exc.code or 0), message, None, exc.status)
    return classify_common(exc)


def classify_stainless(exc: Exception, sdk: Any) -> LLMFailure | None:
    """Errors of the ``anthropic`` and ``openai`` SDKs, which share one generated layout."""
    if isinstance(exc, sdk.APIStatusError):
        retry_after = parse_retry_after(header_map(exc.response))
        body = exc.body
        detail = body.get("error", body) if isinstance(body, dict) else body
        code = None
        if isinstance(detail, dict):
            code = detail.get("code") or detail.get("type")
            detail = detail.get("message", detail)
        return failure_for_status(exc.status_code, short(detail or exc.message), retry_after,
                                  str(code) if code else None)
    if isinstance(exc, sdk.APITimeoutError):
        return LLMFailure("timeout", "request timed out")
    if isinstance(exc, sdk.APIConnectionError):
        cause = exc.__cause__
        return LLMFailure("network", short(f"{exc.message} {cause or ''}".strip()))
    if isinstance(exc, sdk.APIResponseValidationError):
        return LLMFailure("malformed", short(exc.message), exc.status_code)
    return None
