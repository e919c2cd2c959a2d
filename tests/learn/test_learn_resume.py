"""Resuming: the call that was interrupted is asked again from the node recorded before it was
made, and the random stream goes on as if nothing happened (scripted LLM: the loop's machinery,
not an LLM result)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autoharness.learn.config import LearnConfig
from autoharness.learn.loop import learn
from autoharness.llm import ScriptedLLM, read_exchanges
from tests.learn.test_replies import PROGRAM, fence

# Three different programs that all stay below h = 1, so the tree keeps branching.
VARIANTS = [fence(PROGRAM.replace("list(range(9))", f"list(range({n}))")) for n in (9, 8, 7)]


def config(**changes) -> LearnConfig:
    base = LearnConfig(game="TicTacToe-v0", model="scripted/test", envs=1, steps=20,
                       probe_positions=5, max_llm_calls=6, exploration=2.0, seed=3)
    return LearnConfig(**{**base.to_dict(), **changes})


def cycling(messages) -> str:
    """A reply that depends only on how many calls came before (the same in both runs)."""
    cycling.count += 1
    return VARIANTS[cycling.count % len(VARIANTS)]


class Interrupted(Exception):
    pass


def parents(run: Path) -> list[int]:
    return [e.extra["parent"] for e in read_exchanges(run)]


def test_an_interrupted_call_is_asked_again_from_the_same_node(tmp_path):
    cycling.count = 0
    learn(config(), ScriptedLLM([cycling] * 6), tmp_path / "straight")
    straight = parents(tmp_path / "straight")

    cycling.count = 0

    def killed(messages):
        raise Interrupted  # the process dies while the fourth call is out

    llm = ScriptedLLM([cycling, cycling, cycling, killed])
    with pytest.raises(Interrupted):
        learn(config(), llm, tmp_path / "killed")
    run = tmp_path / "killed"
    pending = json.loads((run / "run.json").read_text())["pending"]
    assert pending["call"] == 3 and len(read_exchanges(run)) == 3
    cycling.count = 3
    learn(None, ScriptedLLM([cycling] * 3), run, resume=True)
    assert parents(run)[3] == pending["parent"]  # re-asked from the recorded node
    assert parents(run) == straight  # and the stream went on as in the run never killed


def test_a_resumed_run_reads_a_torn_log_and_old_configs(tmp_path):
    run = tmp_path / "run"
    learn(config(max_llm_calls=1), ScriptedLLM([VARIANTS[0]]), run)
    meta = json.loads((run / "run.json").read_text())
    meta["config"]["reply_tokens"] = meta["config"].pop("max_output_tokens")  # an older run
    (run / "run.json").write_text(json.dumps(meta))
    with open(run / "exchanges.jsonl", "a") as handle:
        handle.write('{"ts": "x", "prompt": [{"role": "us')
    with open(run / "events.jsonl", "a") as handle:
        handle.write('{"t": 1, "ev')
    result = learn(None, ScriptedLLM([]), run, resume=True)  # budget spent: no call
    assert result.llm_calls == 1
    assert (run / "exchanges.jsonl").read_text().endswith("\n")
    assert (run / "events.jsonl").read_text().endswith("\n")
