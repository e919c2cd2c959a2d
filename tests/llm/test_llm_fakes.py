"""The fake servers themselves (other test suites rely on them), spoken to with plain urllib."""

from __future__ import annotations

import contextlib
import json
import socket
import time
import urllib.error
import urllib.request

import pytest

from tests.fakes.llm_servers import (
    FakeAnthropicServer,
    FakeGeminiServer,
    FakeOpenAIServer,
    FakeReply,
    fake_server_for,
)


def post(url: str, body: dict, headers: dict | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def chat(server: FakeOpenAIServer, text: str = "hi", **headers) -> tuple[int, dict]:
    body = {"model": "m", "messages": [{"role": "user", "content": text}]}
    return post(f"{server.base_url}/chat/completions", body, headers)


def test_queue_then_unscripted_error():
    with FakeOpenAIServer(["one"]) as server:
        status, body = chat(server)
        assert status == 200 and body["choices"][0]["message"]["content"] == "one"
        status, body = chat(server)
        assert status == 400 and "no scripted reply left" in body["error"]["message"]
        assert server.unscripted == 1 and len(server.requests) == 2


def test_default_reply_and_push():
    with FakeOpenAIServer(default="fallback") as server:
        server.push("queued")
        texts = [chat(server)[1]["choices"][0]["message"]["content"] for _ in range(3)]
        assert texts == ["queued", "fallback", "fallback"]


def test_callable_replies_see_the_request():
    with FakeOpenAIServer([lambda req: "you said " + req.messages[-1]["content"]]) as server:
        assert chat(server, "e2e4")[1]["choices"][0]["message"]["content"] == "you said e2e4"


def test_unknown_route_is_404():
    with FakeAnthropicServer(["x"]) as server:
        status, _ = post(f"{server.base_url}/v1/complete", {})
        assert status == 404
        assert server.pending == 1  # a 404 does not use up a reply


def test_required_api_key():
    with FakeOpenAIServer(["x"], require_api_key="right") as server:
        assert chat(server, Authorization="Bearer wrong")[0] == 401
        assert chat(server, Authorization="Bearer right")[0] == 200


def test_gemini_route_names_the_model():
    with FakeGeminiServer(["x"]) as server:
        body = {"contents": [{"role": "user", "parts": [{"text": "hello"}]}]}
        status, reply = post(
            f"{server.base_url}/v1beta/models/gemini-2.5-pro:generateContent", body
        )
        assert status == 200
        assert reply["candidates"][0]["content"]["parts"][0]["text"] == "x"
        assert server.last_request.model == "gemini-2.5-pro"
        assert server.last_request.text == "hello"


def test_error_bodies_and_headers():
    with FakeAnthropicServer([FakeReply.rate_limited(retry_after=3)]) as server:
        req = urllib.request.Request(
            f"{server.base_url}/v1/messages",
            data=b'{"model": "m", "messages": []}',
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=5)
        assert err.value.code == 429
        assert err.value.headers["Retry-After"] == "3"
        assert json.loads(err.value.read())["error"]["type"] == "rate_limit_error"


def test_env_and_base_urls():
    for provider, var in [
        ("openai", "OPENAI_BASE_URL"),
        ("anthropic", "ANTHROPIC_BASE_URL"),
        ("gemini", "GEMINI_BASE_URL"),
    ]:
        with fake_server_for(provider) as server:
            assert server.env[var] == server.base_url
            assert server.base_url.startswith("http://127.0.0.1:")
    with pytest.raises(ValueError, match="openai"):
        fake_server_for("mistral")


def test_stop_frees_the_port_and_wakes_hung_requests():
    server = FakeOpenAIServer([FakeReply.hang()]).start()
    port = server.port
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    body = b'{"model": "m", "messages": []}'
    sock.sendall(
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    deadline = time.monotonic() + 5
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(server.requests) == 1
    start = time.monotonic()
    server.stop()  # must not wait for the hung request
    assert time.monotonic() - start < 2
    sock.settimeout(5)
    with contextlib.suppress(ConnectionResetError):  # closed without an answer
        assert sock.recv(100) == b""
    sock.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def test_network_outside_loopback_is_blocked():
    with pytest.raises(OSError, match="blocked"):
        socket.getaddrinfo("api.openai.com", 443)
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("8.8.8.8", 53), timeout=1)
