"""Shared fixtures. The fake LLM servers' fixtures live in ``tests/fakes/fixtures.py``."""

from tests.fakes.fixtures import (  # noqa: F401 (re-exported as fixtures)
    fake_anthropic,
    fake_gemini,
    fake_llm_server,
    fake_openai,
    llm_env,
    no_network,
)
