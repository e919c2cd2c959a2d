"""`learn --games`: killed at any point and resumed, it ends as an uninterrupted run ends, with
no finished LLM call asked again; `--total-cost` is one hard budget over the games.

Scripted (tests/learn/library_script.py through the fake OpenAI server): these check the
machinery, not what an LLM would write."""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.learn.config import LearnConfig
from autoharness.learn.loop import learn
from autoharness.learn.total_budget import TotalBudget
from autoharness.llm import LLMReply, ScriptedLLM, Usage, read_exchanges
from tests.fakes.llm_servers import FakeReply
from tests.learn import library_script

REPO = Path(__file__).resolve().parents[2]
GAMES = library_script.GAMES  # six games
TIMING = {"minutes", "harness"}  # machine speed; the run's own folder


def _args(run: Path) -> list[str]:
    return ["learn", "--games", ",".join(GAMES), "--model", "openai/test-model", "--run-dir",
            str(run), "--out", str(run / "out"), "--max-llm-calls", "4", "--jobs", "2",
            "--llm-concurrency", "3", *library_script.SETTINGS]


def _table(run: Path) -> list[dict]:
    with open(run / "table.csv", newline="") as handle:
        return [{k: v for k, v in r.items() if k not in TIMING} for r in csv.DictReader(handle)]


def _exchanges(run: Path) -> dict[str, list]:
    found = {}
    for game in GAMES:
        folder = run / "games" / game
        found[game] = read_exchanges(folder) if (folder / "exchanges.jsonl").exists() else []
    return found


def _settled(requests: list) -> int:
    """The number of requests the server got, once no request of the killed run is still on its
    way (unchanged for half a second)."""
    count, since = len(requests), time.monotonic()
    while time.monotonic() - since < 0.5:
        time.sleep(0.05)
        if len(requests) != count:
            count, since = len(requests), time.monotonic()
    return count


def slow_model(request) -> FakeReply:
    """The script's replies, the second of each game late: calls are in flight at the kill."""
    text = library_script.reply_for(request.text)
    late = library_script.DRAFT_MARKER in request.text
    return FakeReply(text=text, delay=1.5 if late else 0.0)


def test_killed_library_run_resumes_to_the_uninterrupted_result(fake_openai, tmp_path: Path):
    fake_openai.default = slow_model
    run = tmp_path / "killed"
    process = subprocess.Popen([sys.executable, "-m", "autoharness.cli", *_args(run)],
                               env={**os.environ, **fake_openai.env}, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)  # its pool and sandbox workers with it
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if (run / "games").exists() and sum(map(len, _exchanges(run).values())) >= 4:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be killed"
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # SIGKILL: nothing gets to clean up
        process.wait()
    before = _exchanges(run)
    answered_before = _settled(fake_openai.requests)
    assert 4 <= sum(map(len, before.values())) < 2 * len(GAMES), "not killed mid-way"

    fake_openai.default = library_script.model
    resumed = CliRunner().invoke(app, ["learn", "--resume", str(run)])
    assert resumed.exit_code == 0, resumed.output
    after = _exchanges(run)
    asked_on_resume = len(fake_openai.requests) - answered_before
    for game in GAMES:  # what was on disk is kept as it was, and continued
        assert [(e.prompt, e.reply) for e in after[game][:len(before[game])]] == \
            [(e.prompt, e.reply) for e in before[game]]
        assert [e.extra["call"] for e in after[game]] == list(range(len(after[game])))
    new_calls = sum(map(len, after.values())) - sum(map(len, before.values()))
    assert asked_on_resume == new_calls  # no finished call was asked again

    reference = tmp_path / "uninterrupted"
    whole = CliRunner().invoke(app, _args(reference))
    assert whole.exit_code == 0, whole.output
    assert _table(run) == _table(reference)
    assert all(row["status"] == "clean" for row in _table(run))
    for game, exchanges in _exchanges(reference).items():
        assert [(e.prompt, e.reply) for e in after[game]] == \
            [(e.prompt, e.reply) for e in exchanges]


def test_total_cost_is_one_hard_budget_over_the_games(tmp_path: Path) -> None:
    """A call costs $0.30 and may cost $0.60 (the output cap at $600 per million tokens): with
    $1 for everything, two calls fit; a third could cross the budget, so no game makes it."""
    budget = TotalBudget(1.0)
    runs = []
    for game in ("TicTacToe-v0", "Nim-v0"):
        config = LearnConfig(game=game, model="scripted/junk", envs=1, steps=20,
                             probe_positions=10, max_output_tokens=1000, price=(0.0, 600.0),
                             max_llm_calls=10)
        llm = ScriptedLLM([LLMReply(text="no code here", model="x",
                                    usage=Usage(input_tokens=2000, output_tokens=500))],
                          on_exhausted="repeat")
        runs.append((learn(config, llm, tmp_path / game, total_budget=budget), llm))
    (first, first_llm), (second, second_llm) = runs
    assert len(first_llm.calls) == 2 and first.llm_calls == 2
    assert len(second_llm.calls) == 0 and second.llm_calls == 0
    for result in (first, second):
        assert result.stop_kind == "budget" and "total cost budget" in result.stop_reason
    assert budget.spent == 0.6 and budget.reserved == 0
