"""Play tests: real LLM keys and base URLs removed, the network outside loopback blocked; the
LLM is the local fake OpenAI-compatible server, reached through the real ``openai`` SDK."""

from pathlib import Path

import pytest

from autoharness.harness.library import find_harness
from autoharness.harness.runtime import InProcessHarness, SandboxedHarness


@pytest.fixture(autouse=True)
def _isolated(llm_env, no_network, tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOHARNESS_DATA", str(tmp_path / "data"))
    yield


def harness_source(game_id: str) -> str:
    path = find_harness(game_id)
    assert path is not None, f"no harness for {game_id}"
    return Path(path).read_text()


def sandboxed(game_id: str, **kw) -> SandboxedHarness:
    return SandboxedHarness(harness_source(game_id), name=f"{game_id}.py", **kw)


def in_process(game_id: str) -> InProcessHarness:
    return InProcessHarness(harness_source(game_id), name=f"{game_id}.py")
