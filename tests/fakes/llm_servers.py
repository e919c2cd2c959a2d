"""Fake LLM services on 127.0.0.1 that speak each provider's wire format.

Each server serves a queue of scripted replies, one per request, and records every request it
received. Point the real SDK (or the whole product) at it through its base URL:

    with FakeOpenAIServer(replies=["```python\\nprint(1)\\n```", FakeReply.rate_limited()]) as srv:
        os.environ.update(srv.env)  # OPENAI_BASE_URL and a dummy OPENAI_API_KEY
        ...
        assert "illegal move" in srv.requests[-1].text

A queue entry is a ``str`` (a normal text reply), a ``FakeReply`` (status codes, truncation,
refusal, hangs, malformed bodies, explicit usage...), or a callable taking the
``RecordedRequest`` and returning either of those (for replies that depend on the prompt).
When the queue is empty the server answers ``default`` if one was given, else HTTP 400 with an
error naming the problem (400 is not retried, so an under-scripted test fails fast).

Model lookups (the preflight: ``GET /v1/models/{id}`` for OpenAI and Anthropic, the list
``GET /v1/models`` for OpenAI-compatible servers,
``GET /v1beta/models/{model}`` for Gemini) are answered apart from the queue: 200 with a model
object, or the next of ``lookup_replies`` (an error status), and recorded in ``lookups``, not in
``requests``. ``require_api_key`` refuses a wrong key on every route as the provider does (401;
Gemini: 400 ``API_KEY_INVALID``); ``known_models`` answers 404 for any other model.

Every error class has a constructor, in each wire format: ``FakeReply.bad_key()``,
``.forbidden()``, ``.unknown_model()``, ``.bad_request()``, ``.quota()`` (fatal);
``.rate_limited()``, ``.overloaded()``, ``.server_error()``, ``.hang()`` (transient); a stopped
server for connection refused.

| class               | serves                                           | env it sets            |
| ------------------- | ------------------------------------------------ | ---------------------- |
| FakeOpenAIServer    | POST /v1/chat/completions (GET /v1/models[/id])  | OPENAI_BASE_URL (…/v1) |
| FakeAnthropicServer | POST /v1/messages                                | ANTHROPIC_BASE_URL     |
| FakeGeminiServer    | POST /v1beta/models/{model}:generateContent      | GEMINI_BASE_URL        |
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

__all__ = [
    "FakeAnthropicServer",
    "FakeGeminiServer",
    "FakeLLMServer",
    "FakeOpenAIServer",
    "FakeReply",
    "RecordedRequest",
    "fake_server_for",
]

TEST_API_KEY = "test-key-not-real"
HANG_FOREVER = float("inf")


@dataclass
class FakeReply:
    """One scripted answer. The defaults are a normal, complete text reply with HTTP 200."""

    text: str = ""
    status: int = 200
    truncated: bool = False  # stopped at max tokens (finish reason length/max_tokens/MAX_TOKENS)
    refused: bool = False  # the model declined (refusal field / stop_reason / SAFETY)
    stop_reason: str | None = None  # a provider-native stop reason, overriding the above
    input_tokens: int | None = None  # None: about len(prompt text) / 4
    output_tokens: int | None = None  # None: about len(text) / 4
    thinking_tokens: int = 0
    delay: float = 0.0  # seconds before answering; HANG_FOREVER: until the server stops
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | str | dict | list | None = None  # sent verbatim instead of the built body
    error_message: str | None = None  # message of an error body (status >= 400)
    error_code: str | None = None  # the provider's error code / reason in the error body

    @classmethod
    def rate_limited(cls, retry_after: float | None = None, **kw: Any) -> FakeReply:
        headers = {"Retry-After": _fmt(retry_after)} if retry_after is not None else {}
        return cls(status=429, headers=headers, error_message="rate limited (fake)", **kw)

    @classmethod
    def server_error(cls, status: int = 500, **kw: Any) -> FakeReply:
        return cls(status=status, error_message="internal error (fake)", **kw)

    @classmethod
    def error(cls, status: int, message: str = "error (fake)", **kw: Any) -> FakeReply:
        return cls(status=status, error_message=message, **kw)

    @classmethod
    def bad_key(cls, **kw: Any) -> FakeReply:
        """A wrong API key, as the provider says it (Gemini answers 400 API_KEY_INVALID)."""
        return cls(status=401, error_code="bad_key",
                   error_message="Incorrect API key provided: test-****-real (fake)", **kw)

    @classmethod
    def forbidden(cls, message: str = "this key may not use this model (fake)",
                  **kw: Any) -> FakeReply:
        return cls(status=403, error_message=message, **kw)

    @classmethod
    def unknown_model(cls, message: str = "model not found (fake)", **kw: Any) -> FakeReply:
        return cls(status=404, error_message=message, **kw)

    @classmethod
    def bad_request(cls, message: str = "max_tokens: too large for this model (fake)",
                    **kw: Any) -> FakeReply:
        return cls(status=400, error_message=message, **kw)

    @classmethod
    def quota(cls, **kw: Any) -> FakeReply:
        """OpenAI's 429 ``insufficient_quota``: not a rate limit, no wait helps."""
        return cls(status=429, error_code="insufficient_quota",
                   error_message="You exceeded your current quota (fake)", **kw)

    @classmethod
    def overloaded(cls, **kw: Any) -> FakeReply:
        """Anthropic's 529; Gemini's and OpenAI's 503."""
        return cls(status=529, error_message="Overloaded (fake)", **kw)

    @classmethod
    def hang(cls, seconds: float = HANG_FOREVER, text: str = "too late") -> FakeReply:
        return cls(text=text, delay=seconds)

    @classmethod
    def malformed(cls, body: bytes | str = b'{"this is": not json', **kw: Any) -> FakeReply:
        return cls(body=body, **kw)

    @classmethod
    def truncated_reply(cls, text: str = "partial answer, cut", **kw: Any) -> FakeReply:
        return cls(text=text, truncated=True, **kw)

    @classmethod
    def empty(cls, **kw: Any) -> FakeReply:
        return cls(text="", **kw)

    @classmethod
    def refusal(cls, text: str = "I can't help with that.", **kw: Any) -> FakeReply:
        return cls(text=text, refused=True, **kw)


def _fmt(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)


@dataclass
class RecordedRequest:
    """A request as the fake server received it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    raw: bytes
    body: Any  # parsed JSON, or None
    provider: str
    messages: list[dict[str, str]] = field(default_factory=list)  # normalized role/content
    model: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None

    @property
    def text(self) -> str:
        """Every message's text (system included), joined by newlines: for ``in`` checks."""
        return "\n".join(m["content"] for m in self.messages)

    @property
    def system(self) -> str | None:
        parts = [m["content"] for m in self.messages if m["role"] == "system"]
        return "\n\n".join(parts) if parts else None

    @property
    def api_key(self) -> str | None:
        h = self.headers
        if "x-api-key" in h:
            return h["x-api-key"]
        if "x-goog-api-key" in h:
            return h["x-goog-api-key"]
        auth = h.get("authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else None


Entry = str | FakeReply | Callable[[RecordedRequest], "str | FakeReply"]


class FakeLLMServer:
    """Base class: a threaded HTTP server on an ephemeral 127.0.0.1 port, started on ``start()``
    or ``__enter__``. Subclasses say how requests are parsed and replies rendered."""

    provider: ClassVar[str] = ""
    base_url_env: ClassVar[str] = ""
    key_env: ClassVar[str] = ""
    default_model: ClassVar[str] = "fake-model"

    def __init__(
        self,
        replies: Iterable[Entry] = (),
        *,
        default: Entry | None = None,
        require_api_key: str | None = None,
        known_models: Iterable[str] | None = None,
        lookup_replies: Iterable[FakeReply] = (),
    ) -> None:
        self._queue: deque[Entry] = deque(replies)
        self.default = default
        self.require_api_key = require_api_key
        self.known_models = set(known_models) if known_models is not None else None
        self.lookup_replies: deque[FakeReply] = deque(lookup_replies)
        self.requests: list[RecordedRequest] = []
        self.lookups: list[RecordedRequest] = []  # model lookups (GET), apart from requests
        self.unscripted = 0  # requests answered with the "queue empty" error
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeLLMServer:
        if self._httpd is not None:
            return self
        owner = self

        class Handler(_Handler):
            server_owner = owner

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self._httpd = httpd
        self._stop.clear()
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # wakes hung handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----- addresses -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("fake server is not running: use it as a context manager")
        return self._httpd.server_address[1]

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What the provider's SDK takes as its base URL."""
        return self.root_url

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point autoharness (and the SDK) at this server."""
        return {self.base_url_env: self.base_url, self.key_env: TEST_API_KEY}

    # ----- script ----------------------------------------------------------------------------

    def push(self, *replies: Entry) -> None:
        with self._lock:
            self._queue.extend(replies)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    @property
    def last_request(self) -> RecordedRequest:
        if not self.requests:
            raise AssertionError(f"fake {self.provider} server received no request")
        return self.requests[-1]

    def _next(self, request: RecordedRequest) -> FakeReply | None:
        with self._lock:
            self.requests.append(request)
            entry = self._queue.popleft() if self._queue else self.default
            if entry is None:
                self.unscripted += 1
                return None
        if callable(entry) and not isinstance(entry, FakeReply):
            entry = entry(request)
        return FakeReply(text=entry) if isinstance(entry, str) else entry

    # ----- protocol, per provider ------------------------------------------------------------

    def route(self, method: str, path: str) -> str | None:
        """The model named by the path (or "" when the path has none), or None for a 404."""
        raise NotImplementedError

    def parse(self, request: RecordedRequest) -> None:
        """Fill ``messages``, ``model``, ``max_tokens``, ``temperature`` from ``body``."""
        raise NotImplementedError

    def render(self, reply: FakeReply, request: RecordedRequest) -> dict:
        raise NotImplementedError

    def render_error(self, status: int, message: str, code: str | None = None) -> dict:
        raise NotImplementedError

    def extra_get(self, path: str) -> dict | None:
        return None

    def lookup_model(self, path: str) -> str | None:
        """The model a model-lookup GET names, or None when ``path`` is no lookup."""
        return None

    def model_object(self, model: str) -> dict:
        return {"id": model}

    def error_reply(self, reply: FakeReply) -> tuple[int, dict]:
        """Status and body of an error reply, in the wire format (a bad key as this provider
        reports it)."""
        code = reply.error_code
        message = reply.error_message or f"error {reply.status} (fake)"
        return reply.status, self.render_error(reply.status, message, code)

    # ----- helpers for subclasses ------------------------------------------------------------

    @staticmethod
    def usage_of(reply: FakeReply, request: RecordedRequest) -> tuple[int, int, int]:
        inp = reply.input_tokens
        if inp is None:
            inp = max(1, len(request.text) // 4)
        out = reply.output_tokens
        if out is None:
            out = (len(reply.text) + 3) // 4
        return inp, out, reply.thinking_tokens

    def _respond(self, handler: _Handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        path = handler.path.split("?", 1)[0]
        if handler.command == "GET":
            self._respond_get(handler, path, headers)
            return
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = RecordedRequest(
            method=handler.command,
            path=path,
            headers=headers,
            raw=raw,
            body=body,
            provider=self.provider,
        )
        model = self.route(handler.command, path)
        if model is None:
            handler.send_json(404, self.render_error(404, f"no route {handler.command} {path}"))
            return
        request.model = model or None
        if isinstance(body, dict):
            self.parse(request)
        refusal = self._refusal(request.api_key, request.model)
        if refusal is not None:
            with self._lock:
                self.requests.append(request)
            handler.send_json(*self.error_reply(refusal))
            return
        reply = self._next(request)
        if reply is None:
            msg = f"fake {self.provider} server: no scripted reply left for request #"
            handler.send_json(400, self.render_error(400, msg + str(len(self.requests))))
            return
        if reply.delay:
            self._stop.wait(None if reply.delay == HANG_FOREVER else reply.delay)
            if self._stop.is_set():
                handler.close_connection = True
                return
        if reply.body is not None:
            payload = reply.body
            if isinstance(payload, (dict, list)):
                payload = json.dumps(payload)
            if isinstance(payload, str):
                payload = payload.encode()
            handler.send_bytes(reply.status, payload, reply.headers)
        elif reply.status >= 400:
            handler.send_json(*self.error_reply(reply), reply.headers)
        else:
            handler.send_json(reply.status, self.render(reply, request), reply.headers)


    def _refusal(self, api_key: str | None, model: str | None) -> FakeReply | None:
        if self.require_api_key is not None and api_key != self.require_api_key:
            return FakeReply.bad_key()
        if self.known_models is not None and model and model not in self.known_models:
            return FakeReply.unknown_model(f"model {model!r} not found (fake)")
        return None

    def _respond_get(self, handler: _Handler, path: str, headers: dict[str, str]) -> None:
        model = self.lookup_model(path)
        if model is None:
            extra = self.extra_get(path)
            if extra is None:
                handler.send_json(404, self.render_error(404, f"no route GET {path}"))
            else:
                handler.send_json(200, extra)
            return
        request = RecordedRequest("GET", path, headers, b"", None, self.provider, model=model)
        with self._lock:
            self.lookups.append(request)
            scripted = self.lookup_replies.popleft() if self.lookup_replies else None
        reply = self._refusal(request.api_key, model) or scripted
        if reply is not None and reply.status >= 400:
            handler.send_json(*self.error_reply(reply), reply.headers)
        else:
            handler.send_json(200, self.model_object(model))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server_owner: ClassVar[FakeLLMServer]

    def setup(self) -> None:
        super().setup()
        if hasattr(socket, "TCP_QUICKACK"):  # no 40 ms delayed-ACK stall on a new connection
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self._safely()

    def do_GET(self) -> None:  # noqa: N802
        self._safely()

    def _safely(self) -> None:
        try:
            self.server_owner._respond(self)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.close_connection = True

    def send_json(self, status: int, obj: Any, headers: Mapping[str, str] | None = None) -> None:
        self.send_bytes(status, json.dumps(obj).encode(), headers)

    def send_bytes(
        self, status: int, data: bytes, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        if not any(k.lower() == "content-type" for k in headers or {}):
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (quiet)
        pass


def _content_text(content: Any) -> str:
    """Text of an OpenAI/Anthropic message content: a string or a list of parts/blocks."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


# ===================================== OpenAI ==============================================


class FakeOpenAIServer(FakeLLMServer):
    provider = "openai"
    base_url_env = "OPENAI_BASE_URL"
    key_env = "OPENAI_API_KEY"
    default_model = "gpt-4o-mini"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    def route(self, method: str, path: str) -> str | None:
        return "" if (method, path) == ("POST", "/v1/chat/completions") else None

    def parse(self, request: RecordedRequest) -> None:
        body = request.body
        request.model = body.get("model")
        request.max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
        request.temperature = body.get("temperature")
        request.messages = [
            {"role": m.get("role", ""), "content": _content_text(m.get("content"))}
            for m in body.get("messages", [])
        ]

    def render(self, reply: FakeReply, request: RecordedRequest) -> dict:
        inp, out, think = self.usage_of(reply, request)
        finish = reply.stop_reason or ("length" if reply.truncated else "stop")
        message: dict[str, Any] = {"role": "assistant", "content": reply.text, "refusal": None}
        if reply.refused:
            message = {"role": "assistant", "content": None, "refusal": reply.text}
        return {
            "id": f"chatcmpl-fake{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.model or self.default_model,
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
            ],
            "usage": {
                "prompt_tokens": inp,
                "completion_tokens": out + think,
                "total_tokens": inp + out + think,
                "completion_tokens_details": {"reasoning_tokens": think},
            },
        }

    def lookup_model(self, path: str) -> str | None:
        if path == "/v1/models":
            return ""  # the list, which local servers (vLLM, Ollama, llama.cpp) all serve
        prefix = "/v1/models/"
        return path[len(prefix):] if path.startswith(prefix) and len(path) > len(prefix) else None

    def model_object(self, model: str) -> dict:
        if not model:
            names = sorted(self.known_models or {self.default_model})
            return {"object": "list", "data": [self.model_object(n) for n in names]}
        return {"id": model, "object": "model", "created": 0, "owned_by": "fake"}

    def render_error(self, status: int, message: str, code: str | None = None) -> dict:
        if code == "bad_key":
            code = "invalid_api_key"
        kind = code or {429: "rate_limit_exceeded", 401: "invalid_api_key", 403: "permission",
                        404: "model_not_found", 400: "invalid_request_error"}.get(status,
                                                                                  "server_error")
        return {"error": {"message": message, "type": kind, "param": None, "code": kind}}


# ==================================== Anthropic ============================================


class FakeAnthropicServer(FakeLLMServer):
    provider = "anthropic"
    base_url_env = "ANTHROPIC_BASE_URL"
    key_env = "ANTHROPIC_API_KEY"
    default_model = "claude-haiku-4-5"

    def route(self, method: str, path: str) -> str | None:
        return "" if (method, path) == ("POST", "/v1/messages") else None

    def parse(self, request: RecordedRequest) -> None:
        body = request.body
        request.model = body.get("model")
        request.max_tokens = body.get("max_tokens")
        request.temperature = body.get("temperature")
        msgs = []
        if body.get("system"):
            msgs.append({"role": "system", "content": _content_text(body["system"])})
        msgs += [
            {"role": m.get("role", ""), "content": _content_text(m.get("content"))}
            for m in body.get("messages", [])
        ]
        request.messages = msgs

    def render(self, reply: FakeReply, request: RecordedRequest) -> dict:
        inp, out, think = self.usage_of(reply, request)
        if reply.stop_reason:
            stop = reply.stop_reason
        elif reply.refused:
            stop = "refusal"
        else:
            stop = "max_tokens" if reply.truncated else "end_turn"
        content = [{"type": "text", "text": reply.text}] if reply.text else []
        return {
            "id": f"msg_fake{len(self.requests)}",
            "type": "message",
            "role": "assistant",
            "model": request.model or self.default_model,
            "content": content,
            "stop_reason": stop,
            "stop_sequence": None,
            # Anthropic counts thinking inside output_tokens
            "usage": {"input_tokens": inp, "output_tokens": out + think},
        }

    def lookup_model(self, path: str) -> str | None:
        prefix = "/v1/models/"
        return path[len(prefix):] if path.startswith(prefix) and len(path) > len(prefix) else None

    def model_object(self, model: str) -> dict:
        return {"type": "model", "id": model, "display_name": model,
                "created_at": "2025-10-01T00:00:00Z"}

    def render_error(self, status: int, message: str, code: str | None = None) -> dict:
        kind = {
            429: "rate_limit_error",
            401: "authentication_error",
            403: "permission_error",
            404: "not_found_error",
            400: "invalid_request_error",
            413: "request_too_large",
            529: "overloaded_error",
        }.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}


# ===================================== Gemini ==============================================

_GEMINI_PATH = re.compile(r"^/(v1beta|v1|v1alpha)/models/([^/:]+):generateContent$")
_GEMINI_MODEL = re.compile(r"^/(v1beta|v1|v1alpha)/models/([^/:]+)$")


class FakeGeminiServer(FakeLLMServer):
    provider = "gemini"
    base_url_env = "GEMINI_BASE_URL"
    key_env = "GEMINI_API_KEY"
    default_model = "gemini-2.5-flash"

    def route(self, method: str, path: str) -> str | None:
        m = _GEMINI_PATH.match(path)
        return m.group(2) if (method == "POST" and m) else None

    def parse(self, request: RecordedRequest) -> None:
        body = request.body
        config = body.get("generationConfig") or {}
        request.max_tokens = config.get("maxOutputTokens")
        request.temperature = config.get("temperature")
        msgs = []
        system = body.get("systemInstruction")
        if system:
            msgs.append({"role": "system", "content": _gemini_text(system)})
        for c in body.get("contents", []):
            role = {"model": "assistant"}.get(c.get("role", "user"), c.get("role", "user"))
            msgs.append({"role": role, "content": _gemini_text(c)})
        request.messages = msgs

    def render(self, reply: FakeReply, request: RecordedRequest) -> dict:
        inp, out, think = self.usage_of(reply, request)
        usage = {
            "promptTokenCount": inp,
            "candidatesTokenCount": out,
            "totalTokenCount": inp + out + think,
        }
        if think:
            usage["thoughtsTokenCount"] = think
        if reply.stop_reason:
            finish = reply.stop_reason
        elif reply.refused:
            finish = "SAFETY"
        else:
            finish = "MAX_TOKENS" if reply.truncated else "STOP"
        candidate: dict[str, Any] = {"finishReason": finish, "index": 0}
        if reply.refused:
            candidate["safetyRatings"] = [
                {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH"}
            ]
        else:
            parts = [{"text": reply.text}] if reply.text else []
            candidate["content"] = {"role": "model", "parts": parts}
        return {
            "candidates": [candidate],
            "usageMetadata": usage,
            "modelVersion": request.model or self.default_model,
            "responseId": f"fake{len(self.requests)}",
        }

    def lookup_model(self, path: str) -> str | None:
        m = _GEMINI_MODEL.match(path)
        return m.group(2) if m else None

    def model_object(self, model: str) -> dict:
        return {"name": f"models/{model}", "displayName": model, "inputTokenLimit": 1048576,
                "outputTokenLimit": 65536, "supportedGenerationMethods": ["generateContent"]}

    def error_reply(self, reply: FakeReply) -> tuple[int, dict]:
        if reply.error_code == "bad_key":  # Google says 400, not 401, for a key that is wrong
            body = self.render_error(400, "API key not valid. Please pass a valid API key.",
                                     "API_KEY_INVALID")
            return 400, body
        status = 503 if reply.status == 529 else reply.status
        return status, self.render_error(status, reply.error_message or f"error {status} (fake)",
                                         reply.error_code)

    def render_error(self, status: int, message: str, code: str | None = None) -> dict:
        state = {
            429: "RESOURCE_EXHAUSTED",
            400: "INVALID_ARGUMENT",
            401: "UNAUTHENTICATED",
            403: "PERMISSION_DENIED",
            404: "NOT_FOUND",
            503: "UNAVAILABLE",
        }.get(status, "INTERNAL")
        error: dict[str, Any] = {"code": status, "message": message, "status": state}
        if code:
            error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                 "reason": code, "domain": "googleapis.com"}]
        return {"error": error}


def _gemini_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return "".join(p.get("text", "") for p in content.get("parts", []) if isinstance(p, dict))
    return ""


_SERVERS: dict[str, type[FakeLLMServer]] = {
    "openai": FakeOpenAIServer,
    "anthropic": FakeAnthropicServer,
    "gemini": FakeGeminiServer,
}


def fake_server_for(provider: str, replies: Iterable[Entry] = (), **kw: Any) -> FakeLLMServer:
    """A (not yet started) fake server for ``provider`` ("openai", "anthropic", "gemini")."""
    try:
        cls = _SERVERS[provider]
    except KeyError:
        raise ValueError(f"no fake server for {provider!r}; have {sorted(_SERVERS)}") from None
    return cls(replies, **kw)
