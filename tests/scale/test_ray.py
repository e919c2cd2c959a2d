"""`bench --ray` and `learn --games --ray` on a local Ray cluster (2 CPUs, started once for the
module: Ray's start-up takes seconds) compute exactly what local processes compute.

The learn runs are scripted (tests/learn/library_script.py through the fake OpenAI server):
they check the machinery, not what an LLM would write."""

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.llm import read_exchanges
from tests.learn import library_script

BENCH_GAMES = "TicTacToe-v0,Nim-v0,ConnectFour-v0"
LEARN_GAMES = ("TicTacToe-v0", "Nim-v0")
# what depends on the machine's speed, or names the run's own folders
VARYING = {"elapsed_s", "minutes", "harness", "harness_path", "reused", "check_seconds"}


@pytest.fixture(scope="module")
def ray_cluster():
    import ray

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _rows(path: Path) -> list[dict]:
    with open(path, newline="") as handle:
        return [{k: v for k, v in row.items() if k not in VARYING}
                for row in csv.DictReader(handle)]


def test_bench_on_ray_equals_local(ray_cluster, tmp_path: Path) -> None:
    common = ["bench", "--games", BENCH_GAMES, "--seeds", "2", "--steps", "60",
              "--stress-positions", "30", "--jobs", "2"]
    local = CliRunner().invoke(app, [*common, "--out", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    remote = CliRunner().invoke(app, [*common, "--out", str(tmp_path / "ray"), "--ray"])
    assert remote.exit_code == 0, remote.output
    assert "on Ray (2 CPUs)" in remote.output
    rows = _rows(tmp_path / "ray" / "results.csv")
    assert len(rows) == 3 and all(row["status"] == "ok" for row in rows)
    assert rows == _rows(tmp_path / "local" / "results.csv")


def _learn(tmp_path: Path, name: str, calls: int, *extra: str):
    return CliRunner().invoke(app, [
        "learn", "--games", ",".join(LEARN_GAMES), "--model", "openai/test-model",
        "--run-dir", str(tmp_path / name), "--out", str(tmp_path / name / "out"),
        "--max-llm-calls", str(calls), "--jobs", "2", *library_script.SETTINGS, *extra])


def test_scripted_learn_on_ray_equals_local(ray_cluster, fake_openai, tmp_path: Path) -> None:
    """On Ray, first with a budget of one call per game (not enough: exit 1), then resumed with
    four: it ends where a local run with four calls from the start ends."""
    fake_openai.default = library_script.model
    local = _learn(tmp_path, "local", 4)
    assert local.exit_code == 0, local.output
    short = _learn(tmp_path, "ray", 1, "--ray")
    assert short.exit_code == 1, short.output
    assert "on Ray (2 CPUs)" in short.output
    remote = CliRunner().invoke(app, ["learn", "--resume", str(tmp_path / "ray"),
                                      "--max-llm-calls", "4", "--ray"])
    assert remote.exit_code == 0, remote.output
    table = _rows(tmp_path / "ray" / "table.csv")
    assert [row["status"] for row in table] == ["clean", "clean"]
    assert table == _rows(tmp_path / "local" / "table.csv")
    for game in LEARN_GAMES:
        here, there = (read_exchanges(tmp_path / side / "games" / game)
                       for side in ("local", "ray"))
        assert [(e.prompt, e.reply) for e in here] == [(e.prompt, e.reply) for e in there]
        checks = [json.loads((tmp_path / side / "checks" / f"{game}.json").read_text())
                  for side in ("local", "ray")]
        assert [{k: v for k, v in c.items() if k not in VARYING} for c in checks] == [
            {k: v for k, v in checks[0].items() if k not in VARYING}] * 2
        saved = [(tmp_path / side / "out" / f"{game.lower()}.py").read_text()
                 for side in ("local", "ray")]
        assert saved[0] == saved[1]
