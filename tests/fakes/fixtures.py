"""Pytest fixtures around the fake LLM servers (re-exported by ``tests/conftest.py``).

- ``llm_env``: removes every real LLM key and base URL from the environment (so nothing can
  reach a real service by accident) and makes retries fast (10 ms base delay, Retry-After capped
  at 0.2 s); forgets keys an earlier client kept (``autoharness.llm.keys``) and puts back the
  variables ``make_llm`` scrubbed. Yields the monkeypatch.
- ``fake_openai`` / ``fake_anthropic`` / ``fake_gemini``: a running fake server with an empty
  queue (``server.push(...)`` replies), its base URL and a dummy key exported. Implies
  ``llm_env``.
- ``fake_llm_server``: a factory, ``fake_llm_server("openai", replies=[...])``, for tests that
  want the replies up front or more than one server.
- ``no_network``: refuses any connection or DNS lookup outside 127.0.0.0/8 and ::1.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.fakes.llm_servers import (
    FakeAnthropicServer,
    FakeGeminiServer,
    FakeLLMServer,
    FakeOpenAIServer,
    fake_server_for,
)

# Every variable through which an LLM SDK or autoharness could find a real service.
LLM_ENV_VARS = (
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GEMINI_BASE_URL",
    "GOOGLE_GEMINI_BASE_URL",
    "GOOGLE_VERTEX_BASE_URL",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_GENAI_USE_ENTERPRISE",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_LOCATION",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_PROFILE",
    "ANTHROPIC_CONFIG_DIR",
    "ANTHROPIC_IDENTITY_TOKEN",
    "ANTHROPIC_IDENTITY_TOKEN_FILE",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "AUTOHARNESS_PRICES",
    "AUTOHARNESS_LLM_MAX_ATTEMPTS",
    "AUTOHARNESS_LLM_RETRY_BASE_DELAY",
    "AUTOHARNESS_LLM_RETRY_MAX_DELAY",
    "AUTOHARNESS_LLM_MAX_RETRY_AFTER",
    "AUTOHARNESS_LLM_TIMEOUT",
)

FAST_RETRY_ENV = {
    "AUTOHARNESS_LLM_RETRY_BASE_DELAY": "0.01",
    "AUTOHARNESS_LLM_RETRY_MAX_DELAY": "0.05",
    "AUTOHARNESS_LLM_MAX_RETRY_AFTER": "0.2",
    "AUTOHARNESS_LLM_TIMEOUT": "10",
}


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    from autoharness.llm import keys

    before = dict(os.environ)  # make_llm scrubs secret variables: put them back afterwards
    keys.forget()  # no key kept from an earlier test's client
    for name in LLM_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in FAST_RETRY_ENV.items():
        monkeypatch.setenv(name, value)
    yield monkeypatch
    keys.forget()
    for name, value in before.items():
        if name not in LLM_ENV_VARS:
            os.environ.setdefault(name, value)


def _is_loopback(host: Any) -> bool:
    if host is None:
        return True
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            raise OSError(f"test tried to resolve {host!r}: network access is blocked in tests")
        return real_getaddrinfo(host, *args, **kwargs)

    def check(address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise OSError(f"test tried to connect to {address!r}: network access is blocked")

    def connect(self: socket.socket, address: Any) -> Any:
        check(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        check(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


def _serve(server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLLMServer]:
    with server:
        for name, value in server.env.items():
            monkeypatch.setenv(name, value)
        yield server


@pytest.fixture
def fake_openai(llm_env: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    yield from _serve(FakeOpenAIServer(), llm_env)  # type: ignore[misc]


@pytest.fixture
def fake_anthropic(llm_env: pytest.MonkeyPatch) -> Iterator[FakeAnthropicServer]:
    yield from _serve(FakeAnthropicServer(), llm_env)  # type: ignore[misc]


@pytest.fixture
def fake_gemini(llm_env: pytest.MonkeyPatch) -> Iterator[FakeGeminiServer]:
    yield from _serve(FakeGeminiServer(), llm_env)  # type: ignore[misc]


@pytest.fixture
def fake_llm_server(
    llm_env: pytest.MonkeyPatch,
) -> Iterator[Callable[..., FakeLLMServer]]:
    """``fake_llm_server(provider, replies=(), export_env=True, **kw)``: a started server."""
    started: list[FakeLLMServer] = []

    def make(provider: str, replies: Any = (), *, export_env: bool = True, **kw: Any):
        server = fake_server_for(provider, replies, **kw).start()
        started.append(server)
        if export_env:
            for name, value in server.env.items():
                llm_env.setenv(name, value)
        return server

    try:
        yield make
    finally:
        for server in started:
            server.stop()
