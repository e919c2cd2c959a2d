"""Our own retries, the same for every provider (the SDKs' own retries are switched off).

A failed attempt whose kind is retryable (``rate_limited``, ``server_error``, ``timeout``,
``network``) is tried again, up to ``max_attempts`` attempts in all. The wait before retry n
(n = 1, 2, ...) is ``min(max_delay, base_delay * 2**(n-1))`` scaled by a random factor in
``[1 - jitter, 1]``; when the server said how long to wait (``Retry-After``, ``retry-after-ms``,
or Gemini's ``RetryInfo.retryDelay``) that wait is used instead, capped at ``max_retry_after``.

Defaults can be changed per process with environment variables, which is how tests that drive
the whole product through a fake server make waits short:

    AUTOHARNESS_LLM_MAX_ATTEMPTS      (default 5)
    AUTOHARNESS_LLM_RETRY_BASE_DELAY  seconds (default 1.0)
    AUTOHARNESS_LLM_RETRY_MAX_DELAY   seconds (default 30)
    AUTOHARNESS_LLM_MAX_RETRY_AFTER   seconds (default 60)
    AUTOHARNESS_LLM_TIMEOUT           request timeout, seconds (default 120)
"""

from __future__ import annotations

import email.utils
import os
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from autoharness.llm.base import LLMReply

ENV_MAX_ATTEMPTS = "AUTOHARNESS_LLM_MAX_ATTEMPTS"
ENV_BASE_DELAY = "AUTOHARNESS_LLM_RETRY_BASE_DELAY"
ENV_MAX_DELAY = "AUTOHARNESS_LLM_RETRY_MAX_DELAY"
ENV_MAX_RETRY_AFTER = "AUTOHARNESS_LLM_MAX_RETRY_AFTER"
ENV_TIMEOUT = "AUTOHARNESS_LLM_TIMEOUT"

DEFAULT_TIMEOUT_S = 120.0


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {raw!r}")
    return value


def default_timeout() -> float:
    """The request timeout in seconds: ``$AUTOHARNESS_LLM_TIMEOUT`` or 120."""
    return _env_float(ENV_TIMEOUT, DEFAULT_TIMEOUT_S)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 60.0
    jitter: float = 0.5  # the wait is scaled by a random factor in [1 - jitter, 1]

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if min(self.base_delay, self.max_delay, self.max_retry_after) < 0:
            raise ValueError("retry delays must not be negative")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    @classmethod
    def from_env(cls, **overrides: Any) -> RetryPolicy:
        """Defaults, then the ``AUTOHARNESS_LLM_*`` variables, then non-None ``overrides``."""
        policy = cls(
            max_attempts=int(_env_float(ENV_MAX_ATTEMPTS, cls.max_attempts)),
            base_delay=_env_float(ENV_BASE_DELAY, cls.base_delay),
            max_delay=_env_float(ENV_MAX_DELAY, cls.max_delay),
            max_retry_after=_env_float(ENV_MAX_RETRY_AFTER, cls.max_retry_after),
        )
        return replace(policy, **{k: v for k, v in overrides.items() if v is not None})

    def delay(
        self, retry: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        if retry_after is not None and retry_after >= 0:
            return min(retry_after, self.max_retry_after)
        backoff = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        factor = 1 - self.jitter * (rng or random).random()
        return backoff * factor


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date), or None."""
    if not headers:
        return None
    lower = {str(k).lower(): str(v) for k, v in headers.items()}
    ms = lower.get("retry-after-ms")
    if ms is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = lower.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def parse_google_retry_delay(details: Any) -> float | None:
    """Seconds from a Google error body's ``RetryInfo`` (``"retryDelay": "37s"``), or None."""
    if isinstance(details, Mapping):
        details = details.get("error", details)
        details = details.get("details") if isinstance(details, Mapping) else None
    if not isinstance(details, list):
        return None
    for item in details:
        if isinstance(item, Mapping) and "retryDelay" in item:
            m = _DURATION.match(str(item["retryDelay"]))
            if m:
                return float(m.group(1))
    return None


def run_with_retries(
    attempt: Callable[[], LLMReply],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> LLMReply:
    """Call ``attempt`` until it succeeds, fails for good, or attempts run out.

    Returns the last reply with ``attempts`` set and ``latency_s`` covering every attempt and
    wait.
    """
    start = time.monotonic()
    n = 0
    unknown = 0  # attempts that may have been billed without reported usage
    while True:
        n += 1
        reply = attempt()
        unknown += reply.unknown_usage_attempts
        failure = reply.failure
        if failure is None or not failure.retryable or n >= policy.max_attempts:
            return replace(reply, attempts=n, latency_s=time.monotonic() - start,
                           unknown_usage_attempts=unknown)
        sleep(policy.delay(n, failure.retry_after, rng))
