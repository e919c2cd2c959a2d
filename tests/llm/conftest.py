"""Every test here runs with real LLM keys/base URLs removed and the network outside loopback
blocked, so nothing can reach a real service."""

import pytest

from tests.fakes.llm_servers import FakeAnthropicServer, FakeGeminiServer, FakeOpenAIServer

#: provider -> (a model spec, its fake server), for the tests run once per wire format
SPECS = {
    "openai": ("openai/gpt-4o-mini", FakeOpenAIServer),
    "anthropic": ("anthropic/claude-haiku-4-5", FakeAnthropicServer),
    "gemini": ("gemini/gemini-2.5-flash", FakeGeminiServer),
}


@pytest.fixture(autouse=True)
def _isolated(llm_env, no_network):
    yield


@pytest.fixture(params=list(SPECS))
def provider(request) -> str:
    return request.param


@pytest.fixture
def server(provider):
    """A running fake server speaking ``provider``'s wire format."""
    with SPECS[provider][1]() as srv:
        yield srv
