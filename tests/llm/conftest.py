"""Every test here runs with real LLM keys/base URLs removed and the network outside loopback
blocked, so nothing can reach a real service."""

import pytest


@pytest.fixture(autouse=True)
def _isolated(llm_env, no_network):
    yield
