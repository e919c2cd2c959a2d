"""Matches a person can watch: moves printed as they happen, a log replayed with its boards, and a
human player driven through stdin."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.play import read_log
from tests.fakes.llm_servers import FakeReply


def play(*args: str, input: str | None = None):
    return CliRunner().invoke(app, ["play", *args], input=input)


def test_play_prints_each_move_as_it_happens_and_quiet_silences_it(tmp_path: Path) -> None:
    log = tmp_path / "m.jsonl"
    loud = play("tictactoe", "--agent", "noisy:0.6", "--seed", "1", "--log", str(log))
    assert loud.exit_code == 0, loud.output
    moves = [m for m in read_log(log) if m["type"] == "move"]
    lines = [line for line in loud.stderr.splitlines() if " · turn " in line]
    assert len(lines) == len(moves) > 3
    first = lines[0]
    assert first.startswith("game 1 · turn 1 · seat 0 · agent noisy:0.6:")
    assert "→" in first and "engine: legal" in first
    agent_lines = [line for line in lines if "· agent " in line]
    assert any("rejected" in line and "accepted" in line for line in agent_lines)
    assert any("retr" in line for line in agent_lines)  # "1 retry" / "2 retries"
    quiet = play("tictactoe", "--agent", "noisy:0.6", "--seed", "1", "--quiet", "--log",
                 str(tmp_path / "q.jsonl"))
    assert quiet.exit_code == 0 and " · turn " not in quiet.stderr


def test_show_replays_a_match_log_with_its_boards(tmp_path: Path) -> None:
    log = tmp_path / "m.jsonl"
    assert play("tictactoe", "--agent", "noisy:0.5", "--quiet", "--log", str(log)).exit_code == 0
    moves = [m for m in read_log(log) if m["type"] == "move"]
    shown = CliRunner().invoke(app, ["show", str(log)])
    assert shown.exit_code == 0, shown.output
    text = shown.stdout
    assert text.startswith("TicTacToe-v0: noisy:0.5 vs harness")
    assert text.count(" · turn ") == len(moves)
    assert text.count("---+---+---") == 2 * sum(1 for m in moves if m["board"])
    last_board = next(m["board"] for m in reversed(moves) if m["board"])
    assert "\n".join("    " + line for line in last_board.splitlines()) in text
    assert "game 1/1 seed 0" in text
    bare = CliRunner().invoke(app, ["show", str(log), "--no-boards"])
    assert "---+---+---" not in bare.stdout
    as_json = CliRunner().invoke(app, ["show", str(log), "--json"])
    assert json.loads(as_json.stdout)[0]["type"] == "match"

    not_a_log = tmp_path / "x.jsonl"
    not_a_log.write_text("hello\n")
    for target in (not_a_log, tmp_path / "missing.jsonl"):
        bad = CliRunner().invoke(app, ["show", str(target)])
        assert bad.exit_code == 2 and bad.stderr.startswith("error: ")
        assert bad.stderr.count("\n") == 1


def test_a_human_plays_from_stdin_and_sees_the_harness_verdicts(tmp_path: Path) -> None:
    log = tmp_path / "h.jsonl"
    typed = "9\n4\n" + "".join(f"{cell}\n" for cell in range(9))
    result = play("tictactoe", "--agent", "human", "--log", str(log), "--quiet", input=typed)
    assert result.exit_code == 0, result.output
    said = result.stderr
    assert "harness: '9' rejected" in said and "harness: '4' accepted" in said
    turns = said.split("──── your turn")[1:]
    assert len(turns) >= 3
    assert "Your goal is to win" in turns[0]  # the first turn shows the rules
    for later in turns[1:]:
        assert "Your goal is to win" not in later  # then only what is new
        assert later.count("---+---+---") == 2  # the latest board only (2 rules per board)
    human = [m for m in read_log(log) if m.get("side") == "agent"]
    assert human[0]["attempts"][0]["action"] == "9" and human[0]["attempts"][0]["verdict"] is False
    assert human[0]["action"] == "4" and human[0]["engine_legal"] is True
    assert all(m["fallback"] is None for m in human)


def test_a_human_who_leaves_stops_the_match(tmp_path: Path) -> None:
    log = tmp_path / "h.jsonl"
    result = play("tictactoe", "--agent", "human", "--log", str(log), input="4\nquit\n")
    assert result.exit_code == 1
    assert "stopped the match" in result.stderr and str(log) in result.stderr
    assert sum(m.get("side") == "agent" for m in read_log(log)) == 1  # the move before is kept
    eof = play("tictactoe", "--agent", "human", "--log", str(log), input="")
    assert eof.exit_code == 1 and "end of input" in eof.stderr


def test_a_model_that_fails_every_call_is_a_provider_failure(fake_openai, tmp_path) -> None:
    fake_openai.default = lambda request: FakeReply.error(401, "invalid api key (fake)")
    result = play("tictactoe", "--agent", "openai/gpt-4o-mini", "--quiet", "--log",
                  str(tmp_path / "m.jsonl"))
    assert result.exit_code == 2, result.output  # a wrong key is the user's to fix (issue 15)
    assert "every call of the agent (openai/gpt-4o-mini) failed" in result.stderr
