"""A scripted LLM for tests: a queue of replies, and a record of the prompts it received.

Its name always starts with ``scripted/``, and so does every reply's ``model``: nothing it says
can pass for a real model's output. Its costs are ``None`` unless a queued ``LLMReply`` says
otherwise.

Queue entries:
- ``str``: a successful reply with that text;
- ``LLMReply``: returned as is (its ``model`` is replaced by this LLM's name);
- ``LLMFailure``: a failed reply with that failure;
- a callable ``(messages: list[Message]) -> str | LLMReply | LLMFailure``: computed per call.

When the queue is empty: ``on_exhausted="raise"`` (default) raises ``ScriptExhausted``;
``"repeat"`` repeats the last entry; ``"fail"`` returns an ``empty`` failure.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from autoharness.llm.base import (
    DEFAULT_MAX_TOKENS,
    LLMError,
    LLMFailure,
    LLMReply,
    Message,
    MessageLike,
    Usage,
    normalize_messages,
)

ScriptEntry = str | LLMReply | LLMFailure | Callable[[list[Message]], "str | LLMReply | LLMFailure"]
PREFIX = "scripted/"


class ScriptExhausted(LLMError):
    """A ScriptedLLM was called more often than it had replies for."""


@dataclass(frozen=True)
class ScriptedCall:
    messages: list[Message]
    max_tokens: int
    temperature: float | None

    @property
    def text(self) -> str:
        """Every message's text, joined by newlines: for ``in`` checks."""
        return "\n".join(m.content for m in self.messages)


class ScriptedLLM:
    def __init__(
        self,
        replies: Iterable[ScriptEntry] = (),
        *,
        name: str = "scripted/test",
        on_exhausted: Literal["raise", "repeat", "fail"] = "raise",
    ) -> None:
        if on_exhausted not in ("raise", "repeat", "fail"):
            raise ValueError("on_exhausted must be 'raise', 'repeat' or 'fail'")
        if not name.startswith(PREFIX):
            name = PREFIX + name
        self.name = name
        self.on_exhausted = on_exhausted
        self.calls: list[ScriptedCall] = []
        self._queue: deque[ScriptEntry] = deque(replies)
        self._last: ScriptEntry | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ScriptedLLM({self.name!r}, pending={self.pending})"

    @property
    def prompts(self) -> list[list[Message]]:
        """The messages of every call, in order."""
        return [c.messages for c in self.calls]

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def push(self, *replies: ScriptEntry) -> None:
        with self._lock:
            self._queue.extend(replies)

    def complete(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> LLMReply:
        msgs = normalize_messages(messages)
        with self._lock:
            self.calls.append(ScriptedCall(msgs, max_tokens, temperature))
            if self._queue:
                entry = self._queue.popleft()
                self._last = entry
            elif self.on_exhausted == "repeat" and self._last is not None:
                entry = self._last
            elif self.on_exhausted == "fail":
                entry = LLMFailure("empty", f"{self.name}: script exhausted")
            else:
                raise ScriptExhausted(f"{self.name} has no reply left for call #{len(self.calls)}")
        if callable(entry) and not isinstance(entry, (LLMReply, LLMFailure)):
            entry = entry(list(msgs))
        if isinstance(entry, str):
            return LLMReply(text=entry, model=self.name, usage=Usage(), stop_reason="scripted")
        if isinstance(entry, LLMFailure):
            return LLMReply(text="", model=self.name, failure=entry, stop_reason="scripted")
        if isinstance(entry, LLMReply):
            return replace(entry, model=self.name)
        raise TypeError(f"bad script entry {entry!r}: want str, LLMReply, LLMFailure or callable")
