"""The one protocol every LLM speaks: chat messages in, an ``LLMReply`` out.

A call never raises for what a model or its service does (rate limits, server errors, timeouts,
empty, truncated, refused or malformed replies): those come back as ``LLMReply.failure``, an
``LLMFailure`` with a ``kind``. Exceptions are kept for mistakes of the caller or the setup:
``MissingAPIKey`` at construction, ``ValueError`` for bad messages or model specs.

Token usage is split three ways. ``output_tokens`` is the visible reply; ``thinking_tokens`` is
what the model spent reasoning, when the provider reports it separately (Gemini
``thoughtsTokenCount``, OpenAI ``reasoning_tokens``). Anthropic folds thinking into its
``output_tokens`` and so reports ``thinking_tokens == 0``. Both are billed at the output price.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

Role = Literal["system", "user", "assistant"]
ROLES: frozenset[str] = frozenset({"system", "user", "assistant"})

FailureKind = Literal[
    # fatal: the request itself is wrong; retrying, or asking again, cannot help
    "authentication",  # 401, or Gemini's 400 API_KEY_INVALID: the key is wrong
    "permission",  # 403: the key may not use this model or API
    "unknown_model",  # 404: no such model (or a base URL that serves no such route)
    "bad_request",  # 400/413/422: the provider refused the request as written
    "quota",  # out of credit or quota (OpenAI's 429 insufficient_quota)
    "client_error",  # any other 4xx
    "incompatible",  # the client cannot call its SDK (a TextArena agent class vs. the SDK)
    # transient: the service is busy or unreachable; retried with backoff
    "rate_limited",  # 429 (or the provider's quota error)
    "server_error",  # 5xx, Anthropic's 529 "overloaded"
    "timeout",  # no answer within the request timeout (or HTTP 408)
    "network",  # connection refused/reset, DNS failure
    "agent_error",  # an agent (not ours) raised something we cannot place
    # the reply: the service answered, the answer is unusable
    "empty",  # a 200 answer with no text
    "truncated",  # stopped at max_tokens; ``LLMReply.text`` keeps the partial text
    "refused",  # the model or a safety filter declined
    "malformed",  # the answer could not be parsed
]
FATAL_KINDS: frozenset[str] = frozenset(
    {"authentication", "permission", "unknown_model", "bad_request", "quota", "client_error",
     "incompatible"}
)
RETRYABLE_KINDS: frozenset[str] = frozenset({"rate_limited", "server_error", "timeout", "network"})
TRANSIENT_KINDS: frozenset[str] = RETRYABLE_KINDS | {"agent_error"}
REPLY_KINDS: frozenset[str] = frozenset({"empty", "truncated", "refused", "malformed"})
FAILURE_KINDS: frozenset[str] = FATAL_KINDS | TRANSIENT_KINDS | REPLY_KINDS

#: How each kind reads in a one-line error.
KIND_TEXT = {
    "authentication": "authentication failed",
    "permission": "permission denied",
    "unknown_model": "not found (unknown model, or a base URL without this API)",
    "bad_request": "request refused",
    "quota": "out of quota or credit",
    "client_error": "request refused",
    "incompatible": "the agent cannot run",
    "rate_limited": "rate limited",
    "server_error": "server error",
    "timeout": "timed out",
    "network": "cannot connect",
    "agent_error": "the agent raised",
    "empty": "empty reply",
    "truncated": "cut off at the output cap",
    "refused": "the model refused",
    "malformed": "unreadable reply",
}

DEFAULT_MAX_TOKENS = 4096


class LLMError(Exception):
    """Base class of the errors this package raises (setup problems, not model behaviour)."""


class MissingAPIKey(LLMError):
    """No API key for a provider. ``str(err)`` is one line naming the variable to set."""

    def __init__(self, variable: str, spec: str = "", alternatives: Sequence[str] = ()) -> None:
        self.variable = variable
        self.spec = spec
        self.alternatives = tuple(alternatives)
        names = " or ".join((variable, *self.alternatives))
        target = f" to use {spec}" if spec else ""
        super().__init__(f"missing API key: set {names}{target}")


@dataclass(frozen=True)
class Message:
    role: Role
    content: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"message role must be one of {sorted(ROLES)}, got {self.role!r}")
        if not isinstance(self.content, str):
            raise ValueError(f"message content must be a string, got {type(self.content).__name__}")

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        return cls(role=data["role"], content=data["content"])


MessageLike = Message | Mapping[str, Any]


def normalize_messages(messages: Sequence[MessageLike]) -> list[Message]:
    """``Message`` objects from messages or ``{"role", "content"}`` dicts; at least one turn."""
    if isinstance(messages, (str, bytes)):
        raise ValueError("messages must be a sequence of messages, not a string")
    out = [m if isinstance(m, Message) else Message.from_dict(m) for m in messages]
    if not any(m.role != "system" for m in out):
        raise ValueError("messages need at least one user or assistant turn")
    return out


def split_system(messages: Sequence[Message]) -> tuple[str | None, list[Message]]:
    """The system text (system messages joined by blank lines, or None) and the other turns."""
    system = [m.content for m in messages if m.role == "system"]
    turns = [m for m in messages if m.role != "system"]
    return ("\n\n".join(system) if system else None), turns


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    thinking_tokens: int = 0

    @property
    def billed_output_tokens(self) -> int:
        return self.output_tokens + self.thinking_tokens

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens + self.thinking_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.thinking_tokens + other.thinking_tokens,
        )

    def to_dict(self) -> dict[str, int]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "thinking_tokens": self.thinking_tokens,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Usage:
        data = data or {}
        return cls(
            input_tokens=int(data.get("input_tokens") or 0),
            output_tokens=int(data.get("output_tokens") or 0),
            thinking_tokens=int(data.get("thinking_tokens") or 0),
        )


@dataclass(frozen=True)
class LLMFailure:
    kind: FailureKind
    message: str
    status: int | None = None  # HTTP status, when there was one
    retry_after: float | None = field(default=None, compare=False)  # server's hint, seconds

    def __post_init__(self) -> None:
        if self.kind not in FAILURE_KINDS:
            raise ValueError(f"unknown failure kind {self.kind!r}")

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE_KINDS

    @property
    def fatal(self) -> bool:
        """The request is wrong (key, permission, model, parameters): no further call helps."""
        return self.kind in FATAL_KINDS

    @property
    def category(self) -> Literal["fatal", "transient", "reply"]:
        """fatal (stop now), transient (the service is down or busy), reply (it answered)."""
        if self.kind in FATAL_KINDS:
            return "fatal"
        return "transient" if self.kind in TRANSIENT_KINDS else "reply"

    def describe(self) -> str:
        """One line for a person: ``authentication failed (HTTP 401): <provider's message>``."""
        from autoharness.secrets import redact

        status = f" (HTTP {self.status})" if self.status else ""
        message = " ".join(redact(self.message).split())
        return f"{KIND_TEXT.get(self.kind, self.kind)}{status}" + (f": {message}" if message
                                                                     else "")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "status": self.status}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LLMFailure:
        return cls(kind=data["kind"], message=data.get("message", ""), status=data.get("status"))

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{self.kind}{status}: {self.message}"


@dataclass(frozen=True)
class LLMReply:
    text: str
    model: str
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = None  # None when the model's price is unknown
    latency_s: float = 0.0  # wall clock of the whole call, retries and waits included
    stop_reason: str | None = None  # the provider's own word: "end_turn", "STOP", "length", ...
    failure: LLMFailure | None = None
    attempts: int = 1
    # attempts that failed after the request may have reached the model (a timeout, a 5xx, an
    # unreadable body) and so may have been billed, with no usage reported: budgets count each
    # at its worst case
    unknown_usage_attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.failure is None


@runtime_checkable
class LLM(Protocol):
    """What the harness learner and the players call. Implementations must be thread-safe."""

    name: str  # "provider/model", e.g. "gemini/gemini-2.5-flash" or "scripted/test"

    def complete(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> LLMReply: ...
