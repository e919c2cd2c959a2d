"""bench with an LLM agent: the key and model are checked before any engine time (and before the
results folder exists), and a cached row is reused only for the same LLM settings and the same
autoharness code.

The agent is the real openai SDK against the local fake server (tests/fakes/llm_servers.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autoharness.cli import app
from tests.fakes.llm_servers import FakeOpenAIServer
from tests.play.test_agent_failures import _free_cell_model

AGENT = "openai/gpt-4o-mini"
BASE = ["bench", "--games", "TicTacToe-v0", "--seeds", "1", "--steps", "6", "--jobs", "1",
        "--stress-positions", "0", "--agent", AGENT]


@pytest.fixture(autouse=True)
def _isolated(llm_env, no_network):
    yield


def bench(out: Path, *extra: str):
    return CliRunner().invoke(app, [*BASE, "--out", str(out), *extra])


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def reused(out: Path) -> int:
    return json.loads((out / "summary.json").read_text())["reused"]


def test_a_wrong_key_is_exit_2_before_the_results_folder_exists(llm_env, tmp_path):
    out = tmp_path / "deep" / "b"
    with FakeOpenAIServer(require_api_key="the-right-key", default=_free_cell_model) as srv:
        llm_env.setenv("OPENAI_BASE_URL", srv.base_url)
        llm_env.setenv("OPENAI_API_KEY", "a-wrong-key-12345")
        result = bench(out)
        assert result.exit_code == 2, result.output
        line = one_error_line(result)
        assert "authentication failed (HTTP 401)" in line and "preflight" in line
        assert "Incorrect API key" in line  # the provider's own words
        assert len(srv.lookups) == 1 and srv.requests == []  # one lookup, no completion
    assert not (tmp_path / "deep").exists()  # no --out folder, not even its parent


def test_an_unreachable_server_is_exit_3_before_the_results_folder_exists(llm_env, tmp_path):
    server = FakeOpenAIServer().start()
    url = server.base_url
    server.stop()  # connection refused
    llm_env.setenv("OPENAI_BASE_URL", url)
    llm_env.setenv("OPENAI_API_KEY", "test-key-not-real")
    out = tmp_path / "b"
    result = bench(out)
    assert result.exit_code == 3, result.output
    line = one_error_line(result)
    assert "cannot connect" in line and "preflight" in line
    assert not out.exists()


def test_no_preflight_skips_the_lookup_and_a_good_key_passes_it(fake_openai, tmp_path):
    fake_openai.default = _free_cell_model
    checked = bench(tmp_path / "checked")
    assert checked.exit_code == 0, checked.output
    assert len(fake_openai.lookups) == 1 and fake_openai.requests  # looked up, then played
    fake_openai.lookups.clear()
    fake_openai.requests.clear()
    skipped = bench(tmp_path / "skipped", "--no-preflight")
    assert skipped.exit_code == 0, skipped.output
    assert fake_openai.lookups == [] and fake_openai.requests  # no lookup, the games ran


def test_no_preflight_lets_a_wrong_key_reach_the_games(llm_env, tmp_path):
    """The check really is skipped: the same wrong key that the preflight refuses is only
    found out by the games' own calls."""
    with FakeOpenAIServer(require_api_key="the-right-key") as srv:
        llm_env.setenv("OPENAI_BASE_URL", srv.base_url)
        llm_env.setenv("OPENAI_API_KEY", "a-wrong-key-12345")
        result = bench(tmp_path / "b", "--no-preflight")
        assert result.exit_code != 0, result.output
        assert srv.lookups == [] and srv.requests  # completions were tried
    assert (tmp_path / "b").is_dir()


def test_llm_settings_are_part_of_the_cache_key(fake_openai, tmp_path, monkeypatch):
    import autoharness.llm.factory as factory

    fake_openai.default = _free_cell_model
    out = tmp_path / "b"
    assert bench(out).exit_code == 0
    assert {r.max_tokens for r in fake_openai.requests} == {8192}  # openai's default cap
    again = bench(out)
    assert again.exit_code == 0 and reused(out) == 1, again.output

    # Another output cap (the provider default changed): the row is measured again, with it.
    fake_openai.requests.clear()
    monkeypatch.setitem(factory.DEFAULT_OUTPUT_TOKENS, "openai", 2048)
    changed = bench(out)
    assert changed.exit_code == 0 and reused(out) == 0, changed.output
    assert fake_openai.requests and {r.max_tokens for r in fake_openai.requests} == {2048}
    row = json.loads((out / "rows" / "TicTacToe-v0.json").read_text())
    assert row["cache_key"]["llm"]["max_output_tokens"] == 2048
    assert bench(out).exit_code == 0 and reused(out) == 1

    # The same model name served by another server: measured again.
    with FakeOpenAIServer(default=_free_cell_model) as other:
        monkeypatch.setenv("OPENAI_BASE_URL", other.base_url)
        moved = bench(out)
        assert moved.exit_code == 0 and reused(out) == 0, moved.output
        assert other.requests


# ----- autoharness's own code is part of the key ------------------------------------------------


def test_the_source_hash_changes_with_any_file_of_the_tree(tmp_path):
    from autoharness.bench.source_hash import tree_hash

    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "sub" / "b.py").write_text("y = 2\n")
    (root / "data.tsv").write_text("id\tn\n")
    first = tree_hash(root)
    assert tree_hash(root) == first
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "a.cpython-312.pyc").write_bytes(b"\x00byte code")
    (root / "sub" / "b.pyc").write_bytes(b"\x00")
    assert tree_hash(root) == first  # byte code is not the source
    for change in (lambda: (root / "sub" / "b.py").write_text("y = 3\n"),
                   lambda: (root / "data.tsv").write_text("id\tm\n"),
                   lambda: (root / "c.py").write_text(""),
                   lambda: (root / "a.py").rename(root / "sub" / "a.py")):
        before = tree_hash(root)
        change()
        assert tree_hash(root) != before


def test_the_cache_key_holds_the_package_source_hash(tmp_path):
    import autoharness
    from autoharness.bench.runner import BenchConfig, cache_key
    from autoharness.bench.source_hash import package_source_hash, tree_hash

    key = cache_key(BenchConfig(games=("TicTacToe-v0",), seeds=(0,), steps=5, out=tmp_path),
                    "TicTacToe-v0")
    assert key["autoharness_source"] == package_source_hash()
    assert package_source_hash() == tree_hash(Path(autoharness.__file__).resolve().parent)


def test_a_row_measured_by_other_autoharness_code_is_re_measured(tmp_path, monkeypatch):
    """A change in the sandbox or oracle code (here: a different source hash) re-measures the
    row, even though the version string did not change."""
    import autoharness.bench.runner as runner

    args = ["bench", "--games", "TicTacToe-v0", "--seeds", "1", "--steps", "5", "--jobs", "1",
            "--stress-positions", "0", "--out", str(tmp_path / "b")]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert CliRunner().invoke(app, args).exit_code == 0 and reused(tmp_path / "b") == 1
    edited = {**runner._versions(), "autoharness_source": "0" * 64}
    monkeypatch.setattr(runner, "_versions", lambda: edited)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0 and reused(tmp_path / "b") == 0, result.output
