"""The exchange log (``exchanges.jsonl``) and an LLM that replays it.

One JSON object per line, one line per exchange:

    {"ts": "2025-11-20T10:00:00.000000+00:00",      # UTC, when it was written
     "model": "gemini/gemini-2.5-flash",
     "prompt": [{"role": "system", "content": "..."}, {"role": "user", "content": "..."}],
     "reply": "...",                                  # "" when the call failed before any text
     "usage": {"input_tokens": 812, "output_tokens": 301, "thinking_tokens": 0},
     "cost_usd": 0.00099,                             # null when the price is unknown
     "latency_s": 2.31,
     "stop_reason": "STOP",                           # the provider's own word, or null
     "error": null,                                   # or {"kind": "truncated", "message": "...",
                                                      #     "status": null}
     "attempts": 1}

Other keys (e.g. ``"iteration"``, ``"game"``) may be added by the writer; they are kept in
``ExchangeRecord.extra`` and written back.

``ReplayLLM`` answers each prompt with the reply recorded for the same prompt (``match="prompt"``,
the default, robust to calls arriving in another order from worker threads) or simply the next
record (``match="order"``). Its name is ``replay/<recorded model>``; replies keep the recorded
usage, cost, latency, stop reason and error, so a replayed run reports what the recorded run
spent (nothing is spent by the replay itself and nothing sleeps).
"""

from __future__ import annotations

import json
import os
import threading
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from autoharness.llm.base import (
    DEFAULT_MAX_TOKENS,
    LLM,
    LLMError,
    LLMFailure,
    LLMReply,
    Message,
    MessageLike,
    Usage,
    normalize_messages,
)

EXCHANGES_FILENAME = "exchanges.jsonl"
PREFIX = "replay/"

_KNOWN = (
    "ts",
    "model",
    "prompt",
    "reply",
    "usage",
    "cost_usd",
    "latency_s",
    "stop_reason",
    "error",
    "attempts",
)
_write_lock = threading.Lock()


class ReplayMismatch(LLMError):
    """A ReplayLLM was asked a prompt that the log has no (unused) reply for."""


class ReplayExhausted(LLMError):
    """A ReplayLLM ran out of recorded exchanges."""


@dataclass
class ExchangeRecord:
    prompt: list[Message]
    reply: str
    model: str
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = None
    latency_s: float = 0.0
    stop_reason: str | None = None
    error: LLMFailure | None = None
    attempts: int = 1
    ts: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_reply(
        cls, messages: Sequence[MessageLike], reply: LLMReply, **extra: Any
    ) -> ExchangeRecord:
        return cls(
            prompt=normalize_messages(messages),
            reply=reply.text,
            model=reply.model,
            usage=reply.usage,
            cost_usd=reply.cost_usd,
            latency_s=reply.latency_s,
            stop_reason=reply.stop_reason,
            error=reply.failure,
            attempts=reply.attempts,
            extra=dict(extra),
        )

    def to_reply(self, model: str | None = None) -> LLMReply:
        return LLMReply(
            text=self.reply,
            model=model or self.model,
            usage=self.usage,
            cost_usd=self.cost_usd,
            latency_s=self.latency_s,
            stop_reason=self.stop_reason,
            failure=self.error,
            attempts=self.attempts,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ts": self.ts or datetime.now(UTC).isoformat(),
            "model": self.model,
            "prompt": [m.to_dict() for m in self.prompt],
            "reply": self.reply,
            "usage": self.usage.to_dict(),
            "cost_usd": self.cost_usd,
            "latency_s": round(self.latency_s, 6),
            "stop_reason": self.stop_reason,
            "error": self.error.to_dict() if self.error else None,
            "attempts": self.attempts,
        }
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExchangeRecord:
        try:
            error = data.get("error")
            return cls(
                prompt=[Message.from_dict(m) for m in data["prompt"]],
                reply=data.get("reply") or "",
                model=data["model"],
                usage=Usage.from_dict(data.get("usage")),
                cost_usd=data.get("cost_usd"),
                latency_s=float(data.get("latency_s") or 0.0),
                stop_reason=data.get("stop_reason"),
                error=LLMFailure.from_dict(error) if error else None,
                attempts=int(data.get("attempts") or 1),
                ts=data.get("ts"),
                extra={k: v for k, v in data.items() if k not in _KNOWN},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not an exchange record: {exc!r}") from exc


def log_path(path: str | os.PathLike) -> Path:
    """The log file for ``path``: a directory (existing, or a path without a suffix that does not
    exist yet) means ``<dir>/exchanges.jsonl``; anything else is the file itself."""
    p = Path(path)
    if p.is_dir() or (not p.exists() and not p.suffix):
        return p / EXCHANGES_FILENAME
    return p


def append_exchange(path: str | os.PathLike, record: ExchangeRecord | Mapping[str, Any]) -> None:
    """Append one exchange as one line (thread-safe). ``path`` is the file or a run directory."""
    if not isinstance(record, ExchangeRecord):
        record = ExchangeRecord.from_dict(record)
    line = json.dumps(record.to_dict(), ensure_ascii=False) + "\n"
    target = log_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _write_lock:
        append_line(target, line)


def append_line(target: Path, line: str) -> None:
    """Append one line durably: flushed and fsynced before returning, and never glued onto a
    torn last line (one left by a process killed mid-write is repaired first)."""
    if target.exists() and target.stat().st_size:
        with open(target, "rb") as f:
            f.seek(-1, os.SEEK_END)
            torn = f.read(1) != b"\n"
        if torn:
            repair_log(target)
    with open(target, "a", encoding="utf-8") as f:
        f.write(line)
        f.flush()
        os.fsync(f.fileno())


def repair_log(path: str | os.PathLike) -> str | None:
    """Cut a torn last line (no newline: a write that never finished) off a JSONL log; the cut
    text goes to ``<log>.torn`` for the record. A last line that is whole JSON only gets its
    newline. Returns what was cut, or None when the log was sound."""
    target = Path(path)
    if not target.exists():
        return None
    data = target.read_bytes()
    if not data or data.endswith(b"\n"):
        return None
    start = data.rfind(b"\n") + 1
    tail = data[start:]
    try:
        json.loads(tail)
    except ValueError:
        pass
    else:
        with open(target, "ab") as f:
            f.write(b"\n")
            f.flush()
            os.fsync(f.fileno())
        return None
    with open(target.with_name(target.name + ".torn"), "ab") as f:
        f.write(tail + b"\n")
    with open(target, "r+b") as f:
        f.truncate(start)
        f.flush()
        os.fsync(f.fileno())
    return tail.decode("utf-8", "replace")


def _record(line: str) -> ExchangeRecord:
    """One line as a record. A line that glued a torn write onto a whole record (an old log
    appended to without repair) gives the whole record at its end."""
    try:
        return ExchangeRecord.from_dict(json.loads(line))
    except ValueError:
        at = line.rfind('{"ts"', 1)
        if at <= 0:
            raise
        return ExchangeRecord.from_dict(json.loads(line[at:]))


def read_exchanges(path: str | os.PathLike) -> list[ExchangeRecord]:
    """Every exchange in the log (``path`` is the file or a run directory), in file order.

    A torn last line (a run killed mid-write) is skipped; a bad line elsewhere is an error.
    """
    target = log_path(path)
    lines = target.read_text(encoding="utf-8", errors="replace").splitlines()
    records: list[ExchangeRecord] = []
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(_record(line))
        except ValueError as exc:
            if i == len(lines):
                break
            raise ValueError(f"{target}:{i}: {exc}") from exc
    return records


def _key(messages: Iterable[Message]) -> tuple[tuple[str, str], ...]:
    return tuple((m.role, m.content) for m in messages)


class ReplayLLM:
    def __init__(
        self,
        source: str | os.PathLike | Iterable[ExchangeRecord],
        *,
        match: Literal["prompt", "order"] = "prompt",
        name: str | None = None,
    ) -> None:
        if match not in ("prompt", "order"):
            raise ValueError("match must be 'prompt' or 'order'")
        if isinstance(source, (str, os.PathLike)):
            self.source = str(log_path(source))
            records = read_exchanges(source)
        else:
            self.source = "<records>"
            records = list(source)
        self.match = match
        recorded = records[0].model if records else "empty"
        self.name = name if name and name.startswith(PREFIX) else PREFIX + (name or recorded)
        self.calls: list[list[Message]] = []
        self._order: deque[int] = deque(range(len(records)))
        self._by_prompt: dict[tuple, deque[int]] = defaultdict(deque)
        for i, rec in enumerate(records):
            self._by_prompt[_key(rec.prompt)].append(i)
        self._records = records
        self._used: set[int] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ReplayLLM({self.name!r}, {self.remaining} of {len(self._records)} left)"

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self._records) - len(self._used)

    def complete(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> LLMReply:
        msgs = normalize_messages(messages)
        with self._lock:
            self.calls.append(msgs)
            index = self._take(msgs)
            self._used.add(index)
        return self._records[index].to_reply(model=self.name)

    def _take(self, msgs: list[Message]) -> int:
        if len(self._used) == len(self._records):
            raise ReplayExhausted(
                f"{self.name}: all {len(self._records)} recorded exchanges from "
                f"{self.source} were used"
            )
        if self.match == "order":
            while self._order[0] in self._used:
                self._order.popleft()
            return self._order.popleft()
        queue = self._by_prompt.get(_key(msgs))
        if not queue:
            last = msgs[-1].content.replace("\n", " ")[:80]
            raise ReplayMismatch(
                f"{self.name}: no recorded reply left for this prompt "
                f"({len(msgs)} messages, last {msgs[-1].role}: {last!r}) in {self.source}"
            )
        return queue.popleft()


class RecordingLLM:
    """Wraps an LLM; appends every exchange to ``path`` (see ``log_path``: a run directory means
    its ``exchanges.jsonl``). ``extra`` keys are written on every record."""

    def __init__(self, inner: LLM, path: str | os.PathLike, **extra: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = log_path(path)
        self.extra = extra

    def complete(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float | None = None,
    ) -> LLMReply:
        msgs = normalize_messages(messages)
        reply = self.inner.complete(msgs, max_tokens=max_tokens, temperature=temperature)
        append_exchange(self.path, ExchangeRecord.from_reply(msgs, reply, **self.extra))
        return reply
