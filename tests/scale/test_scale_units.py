"""The parts of `learn --games` and `--ray` that need no engine: flag parsing, the shared hard
budget, where harnesses are saved, and the one-line errors given before any work."""

import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.harness.card import read_card
from autoharness.learn.library_dir import LibraryDir
from autoharness.learn.library_save import TargetError, file_name, plan_targets, take_over
from autoharness.learn.total_budget import TotalBudget
from autoharness.scale.options import with_ray_values

REPO = Path(__file__).resolve().parents[2]


def test_ray_flag_takes_an_optional_address() -> None:
    assert with_ray_values(["bench", "--ray"]) == ["bench", "--ray", ""]
    assert with_ray_values(["bench", "--ray", "--jobs", "2"]) == ["bench", "--ray", "", "--jobs",
                                                                 "2"]
    assert with_ray_values(["learn", "--ray", "tictactoe"]) == ["learn", "--ray", "",
                                                                "tictactoe"]
    for address in ("auto", "local", "10.0.0.5:6379", "ray://head:10001"):
        assert with_ray_values(["bench", "--ray", address]) == ["bench", "--ray", address]
    assert with_ray_values(["bench", "--", "--ray"]) == ["bench", "--", "--ray"]


def test_total_budget_waits_for_calls_in_flight_and_never_overshoots() -> None:
    budget = TotalBudget(1.0)
    first, second = budget.reserve(0.4), budget.reserve(0.4)
    assert first.refusal is None and second.refusal is None
    granted: list = []
    waiter = threading.Thread(target=lambda: granted.append(budget.reserve(0.4)))
    waiter.start()
    time.sleep(0.2)
    assert not granted, "a third worst case of 0.4 fits only once a call in flight settles"
    budget.settle(first, 0.1)  # spent 0.1 + in flight 0.4 + 0.4 <= 1.0
    waiter.join(5)
    assert granted and granted[0].refusal is None
    budget.settle(second, 0.3)
    budget.settle(granted[0], None)  # unknown: counted at its worst case
    assert budget.spent == pytest.approx(0.8) and budget.reserved == 0
    refused = budget.reserve(0.4)
    assert refused.refusal and "total cost budget" in refused.refusal
    assert budget.reserve(None).refusal  # an unknown worst case is never granted


def _harness(path: Path, games: list[str]) -> None:
    path.write_text(f'"""x"""\nGAMES = {games!r}\nPROVENANCE = {{"method": "hand-written"}}\n'
                    "VERIFIED = {}\n\n\ndef propose_action(obs):\n    return '[0]'\n\n\n"
                    "def eval_action(obs, action):\n    return True\n")


def test_files_serving_a_game_are_kept_unless_replace(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    _harness(out / "family.py", ["Nim-v0", "Nim-v0-large"])
    _harness(out / "only.py", ["TicTacToe-v0"])
    library = LibraryDir(tmp_path / "run")
    games = ("Nim-v0", "TicTacToe-v0", "ConnectFour-v0")
    with pytest.raises(TargetError, match="already serves"):
        plan_targets(games, out, False, library)
    targets, takeovers = plan_targets(games, out, True, library)
    assert targets == {"Nim-v0": str(out / "nim-v0.py"), "TicTacToe-v0": str(out / "only.py"),
                       "ConnectFour-v0": str(out / file_name("ConnectFour-v0"))}
    assert takeovers == {"Nim-v0": str(out / "family.py")}
    take_over("Nim-v0", out / "family.py")
    assert read_card((out / "family.py").read_text()).games == ["Nim-v0-large"]


def _invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_learn_games_refuses_to_write_over_the_library(tmp_path: Path) -> None:
    result = _invoke("learn", "--games", "TicTacToe-v0,Nim-v0", "--model", "openai/x",
                     "--out", str(REPO / "harnesses"), "--run-dir", str(tmp_path / "run"))
    assert result.exit_code == 2, result.output
    assert "already serves" in result.output and "--replace" in result.output
    assert not (tmp_path / "run").exists()  # refused before anything was written


def test_one_line_errors_before_any_work(tmp_path: Path, llm_env) -> None:
    run = ["--run-dir", str(tmp_path / "run")]
    single = _invoke("learn", "tictactoe", "--model", "openai/x", "--ray")
    assert single.exit_code == 2 and "only with `learn --games" in single.output
    unpriced = _invoke("learn", "--games", "TicTacToe-v0", "--model", "openai/x",
                       "--total-cost", "1", *run)
    assert unpriced.exit_code == 2 and "--price" in unpriced.output
    seedless = _invoke("learn", "--games", "Hangman-v0", "--model", "openai/x",
                       "--from-library", *run)
    assert seedless.exit_code == 2 and "no library harness serves Hangman-v0" in seedless.output
    both = _invoke("learn", "tictactoe", "--games", "Nim-v0", "--model", "openai/x", *run)
    assert both.exit_code == 2 and "not both" in both.output
    assert not (tmp_path / "run").exists()


def test_ray_missing_is_one_line_naming_the_install(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    result = _invoke("bench", "--games", "TicTacToe-v0", "--seeds", "1", "--steps", "5",
                     "--out", str(tmp_path / "b"), "--ray")
    assert result.exit_code == 3, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert lines == ["error: --ray needs Ray, which is not installed: pip install "
                     "'autoharness[ray]'"]


def test_an_unreachable_cluster_is_one_line_not_a_hang(tmp_path: Path) -> None:
    result = _invoke("bench", "--games", "TicTacToe-v0", "--seeds", "1", "--steps", "5",
                     "--out", str(tmp_path / "b"), "--ray", "127.0.0.1:1")
    assert result.exit_code == 3, result.output
    assert "cannot reach the Ray cluster at 127.0.0.1:1" in result.output


def test_a_port_that_is_no_ray_cluster_is_refused_quickly() -> None:
    """Something listening that is not Ray (a proxy, another service) passes the TCP knock;
    the GCS probe refuses it in one line rather than ray.init's 20 to 40 s of retries."""
    import socket

    from autoharness.scale.executor import ExecutorError, check_reachable

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts (the kernel does) and never answers
    address = f"127.0.0.1:{listener.getsockname()[1]}"
    began = time.monotonic()
    try:
        with pytest.raises(ExecutorError, match=f"no Ray cluster answers at {address}") as error:
            check_reachable(address, timeout=1.0)
    finally:
        listener.close()
    assert "\n" not in str(error.value) and time.monotonic() - began < 10
