"""Reusable fakes for tests: local HTTP servers that speak the LLM providers' wire formats
(``llm_servers``) and pytest fixtures around them (``fixtures``, re-exported by
``tests/conftest.py``)."""

from tests.fakes.llm_servers import (
    FakeAnthropicServer,
    FakeGeminiServer,
    FakeLLMServer,
    FakeOpenAIServer,
    FakeReply,
    RecordedRequest,
    fake_server_for,
)

__all__ = [
    "FakeAnthropicServer",
    "FakeGeminiServer",
    "FakeLLMServer",
    "FakeOpenAIServer",
    "FakeReply",
    "RecordedRequest",
    "fake_server_for",
]
