"""The benchmark never reports what it did not measure: rows are reused only when everything that
decides them is the same, bad input fails before any work, exit codes say what happened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from autoharness.cli import app
from tests.play.test_hostile import CRASHES as RAISES

BASE = ["bench", "--games", "TicTacToe-v0", "--seeds", "2", "--steps", "30", "--jobs", "1",
        "--stress-positions", "10"]


def bench(*extra: str):
    return CliRunner().invoke(app, [*BASE, *extra])


def row(out: Path) -> dict:
    return pd.read_csv(out / "results.csv").set_index("game").loc["TicTacToe-v0"].to_dict()


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


def test_rows_are_reused_only_when_nothing_that_decides_them_changed(tmp_path: Path) -> None:
    out = tmp_path / "b1"
    first = bench("--out", str(out))
    assert first.exit_code == 0, first.output
    assert row(out)["legal_rate"] == 1.0 and summary(out)["reused"] == 0
    again = bench("--out", str(out))
    assert again.exit_code == 0 and summary(out)["reused"] == 1
    assert "1 reused from an earlier run" in again.stdout

    # The case: rerun into the same folder with a harness that raises on every call.
    raises = tmp_path / "raises.py"
    raises.write_text(RAISES)
    broken = bench("--out", str(out), "--harness", str(raises))
    assert broken.exit_code == 1, broken.output
    assert summary(out)["reused"] == 0 and row(out)["legal_rate"] == 0.0
    assert row(out)["harness_failures"] > 0

    # Each setting that decides a row re-measures it when it changes.
    for changed in (["--steps", "31"], ["--seeds", "0,2"], ["--stress-positions", "11"],
                    ["--timeout", "2"], ["--agent", "noisy:0.2"]):
        bench("--out", str(out))  # back to the library harness and the base settings
        bench("--out", str(out))
        assert summary(out)["reused"] == 1
        result = bench("--out", str(out), *changed)
        assert result.exit_code in (0, 1), (changed, result.output)
        assert summary(out)["reused"] == 0, changed

    # Editing the harness file (same path) changes its hash: re-measured.
    library = Path(__file__).resolve().parents[2] / "harnesses" / "tictactoe.py"
    copy = tmp_path / "ttt.py"
    copy.write_text(library.read_text())
    bench("--out", str(out), "--harness", str(copy))
    bench("--out", str(out), "--harness", str(copy))
    assert summary(out)["reused"] == 1
    copy.write_text(library.read_text() + "\n# edited\n")
    bench("--out", str(out), "--harness", str(copy))
    assert summary(out)["reused"] == 0


def test_an_engine_profile_is_part_of_the_key(tmp_path: Path) -> None:
    from autoharness.bench.runner import BenchConfig, cache_key

    config = BenchConfig(games=("TicTacToe-v0",), seeds=(0,), steps=10, out=tmp_path)
    stock = cache_key(config, "TicTacToe-v0")
    fixed = cache_key(BenchConfig(**{**config.__dict__, "engine": "fixed"}), "TicTacToe-v0")
    assert stock != fixed and stock["textarena"] == "0.7.4" and stock["harness_sha256"]


def test_error_rows_are_never_cached(tmp_path: Path, monkeypatch) -> None:
    import autoharness.bench.runner as runner

    out = tmp_path / "b"
    real = runner.run_game
    monkeypatch.setattr(runner, "run_game", lambda task: {
        "game": task.game, "agent": task.agent, "status": "error", "error": "the disk was full"})
    failed = bench("--out", str(out))
    assert failed.exit_code == 3, failed.output
    assert "could not be measured: TicTacToe-v0" in failed.stderr
    assert not (out / "rows" / "TicTacToe-v0.json").exists()
    monkeypatch.setattr(runner, "run_game", real)
    fixed = bench("--out", str(out))
    assert fixed.exit_code == 0 and summary(out)["reused"] == 0 and row(out)["status"] == "ok"


@pytest.mark.parametrize("content", [b"{ not json", b"\xff\xfe\x00binary", b"[1, 2]", b""])
def test_a_corrupt_row_is_re_measured_with_a_warning(tmp_path: Path, content: bytes) -> None:
    out = tmp_path / "b"
    assert bench("--out", str(out)).exit_code == 0
    (out / "rows" / "TicTacToe-v0.json").write_bytes(content)
    again = bench("--out", str(out))
    assert again.exit_code == 0, again.output
    assert again.exception is None or isinstance(again.exception, SystemExit)
    assert "warning:" in again.stderr and "re-measuring" in again.stderr
    assert summary(out)["reused"] == 0 and row(out)["legal_rate"] == 1.0


def test_bad_agents_fail_up_front(tmp_path: Path, llm_env) -> None:
    for agent, code, words in [("nonsense", 2, "unknown agent"), ("noisy:2", 2, "0 <= P <= 1"),
                               ("openai/gpt-4o-mini", 3, "OPENAI_API_KEY"),
                               ("human", 2, "unattended")]:
        out = tmp_path / agent.replace("/", "_").replace(":", "-")
        result = bench("--agent", agent, "--out", str(out))
        assert result.exit_code == code, (agent, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], agent
        assert not (out / "results.csv").exists()
    nothing = bench("--harness", "none", "--out", str(tmp_path / "n"))
    assert nothing.exit_code == 2 and "--harness none" in nothing.stderr


def test_a_results_folder_that_takes_no_files_fails_before_the_work(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for out in (blocker / "results", Path("/proc")):
        result = bench("--out", str(out))
        assert result.exit_code == 2, result.output
        assert "cannot write to" in result.stderr and result.stderr.count("\n") == 1
    if os.geteuid() != 0:  # root writes into read-only folders anyway
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        result = bench("--out", str(locked))
        assert result.exit_code == 2 and "cannot write to" in result.stderr


def test_harness_none_measures_the_agent_unwrapped(tmp_path: Path) -> None:
    out = tmp_path / "bare"
    result = bench("--agent", "noisy:0.5", "--harness", "none", "--out", str(out))
    assert result.exit_code == 1, result.output  # illegal actions reached the engine
    measured = row(out)
    assert measured["harness"] == "none" and measured["retries"] == 0
    assert measured["legal_rate"] == measured["unwrapped_legal_rate"] < 0.9
    wrapped = bench("--agent", "noisy:0.5", "--out", str(tmp_path / "wrapped"))
    assert wrapped.exit_code == 0, wrapped.output
    assert row(tmp_path / "wrapped")["legal_rate"] == 1.0


def test_a_long_games_list_is_not_taken_for_a_file_name(tmp_path: Path) -> None:
    names = ",".join(["tictactoe", "TicTacToe-v0"] * 80)
    result = CliRunner().invoke(app, ["bench", "--games", names, "--seeds", "1", "--steps", "5",
                                      "--stress-positions", "0", "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert summary(tmp_path / "b")["games"] == 1


def test_json_output_is_only_json_even_when_the_engine_prints(tmp_path: Path) -> None:
    """NewRecruit prints "Parsed letter sequence…" as it judges each offer, in worker processes
    too: the engine's prints are dropped (``arena/env.py``), so stdout holds the JSON alone and
    stderr only our own lines."""
    command = [sys.executable, "-m", "autoharness.cli", "bench", "--games",
               "NewRecruit-v0,TicTacToe-v0", "--seeds", "1", "--steps", "20", "--jobs", "2",
               "--stress-positions", "5", "--json", "--out", str(tmp_path / "b")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    assert "Parsed letter sequence" not in done.stdout + done.stderr
    assert json.loads(done.stdout)["summary"]["games"] == 2
    verify = CliRunner().invoke(app, ["verify", "NewRecruit-v0", "--seeds", "1", "--steps", "10",
                                      "--stress-positions", "3", "--json"])
    assert verify.exit_code in (0, 1), verify.output
    assert json.loads(verify.stdout)["game"] == "NewRecruit-v0"
