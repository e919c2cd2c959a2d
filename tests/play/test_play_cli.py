"""``autoharness play`` through typer's CliRunner, on the command function ``cli.py`` registers."""

import json
import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from autoharness.commands.play_cmd import play_command
from autoharness.play import read_log
from autoharness.play.agents import OBSERVATION_END, OBSERVATION_START

app = typer.Typer()


@app.callback()
def _root() -> None:
    """Keeps ``play`` a subcommand, as on the real app."""


app.command("play")(play_command)


def invoke(*args: str):
    return CliRunner().invoke(app, ["play", *args])


def test_noisy_wrapped_and_unwrapped_json(tmp_path: Path):
    log = tmp_path / "wrapped.jsonl"
    wrapped = invoke("tictactoe", "--agent", "noisy:0.5", "--games", "4", "--seed", "3",
                     "--json", "--log", str(log))
    assert wrapped.exit_code == 0, wrapped.output
    summary = json.loads(wrapped.stdout)
    agent = summary["agent"]
    for key in ("illegal_to_engine", "retries", "fallbacks", "tokens", "cost_usd", "results"):
        assert key in agent and key in summary["opponent"]
    assert summary["game"] == "TicTacToe-v0" and summary["mode"] == "verify"
    assert agent["wrapped"] and not summary["opponent"]["wrapped"]  # `harness` is not wrapped
    assert agent["illegal_to_engine"] == 0 and agent["retries"] > 0
    assert sum(agent["results"][k] for k in ("wins", "draws", "losses")) == 4
    assert [g["seed"] for g in summary["per_game"]] == [3, 4, 5, 6]
    assert [g["agent_seat"] for g in summary["per_game"]] == [0, 1, 0, 1]
    lines = read_log(log)
    assert lines[0]["type"] == "match" and lines[0]["agent"] == "noisy:0.5"
    moves = [line for line in lines if line["type"] == "move"]
    assert len(moves) == agent["moves"] + summary["opponent"]["moves"]
    assert sum(line["type"] == "game" for line in lines) == 4
    agent_moves = [m for m in moves if m["side"] == "agent"]
    assert sum(m["retries"] for m in agent_moves) == agent["retries"]
    assert all({"attempts", "action", "engine_legal", "fallback", "tokens", "cost_usd",
                "latency_s"} <= m.keys() for m in moves)

    bare = invoke("tictactoe", "--agent", "noisy:0.5", "--games", "4", "--seed", "3",
                  "--json", "--harness", "none", "--log", str(tmp_path / "bare.jsonl"))
    assert bare.exit_code == 1, bare.output  # illegal moves reached the engine: not clean
    baseline = json.loads(bare.stdout)
    assert baseline["harness"] is None and not baseline["agent"]["wrapped"]
    assert baseline["agent"]["illegal_to_engine"] > 0
    assert baseline["agent"]["retries"] == baseline["agent"]["fallbacks"] == 0


def test_table_and_default_log(tmp_path: Path):
    result = invoke("2048-v0-ultra-easy", "--agent", "noisy:0.3", "--games", "2")
    assert result.exit_code == 0, result.output
    assert "illegal to engine" in result.stdout and "mean reward" in result.stdout
    assert "game 2/2" in result.stderr
    logs = list((tmp_path / "data" / "matches").glob("2048-v0-ultra-easy-*.jsonl"))
    assert len(logs) == 1 and str(logs[0]) in result.stdout.replace("\n", "")


def test_one_line_errors():
    for args, message, code in [
        (("chess", "--agent", "openai/gpt-4o-mini"), "missing API key: set OPENAI_API_KEY", 3),
        (("chess", "--agent", "textarena:OpenRouterAgent:x"), "OPENROUTER_API_KEY", 3),
        (("chess", "--agent", "replay/no/such/run"), "replay/no/such/run", 3),
        (("chess", "--agent", "wat"), "unknown agent", 2),
        (("chess", "--agent", "harness", "--mode", "vibes"), "--mode", 2),
        (("chess", "--agent", "harness", "--harness", "/no/such.py"), "no harness file", 2),
        (("chess", "--agent", "harness", "--timeout", "0"), "--timeout must be above 0", 2),
        (("nosuchgame", "--agent", "harness"), "", 2),
    ]:
        result = invoke(*args)
        assert result.exit_code == code, result.output
        assert result.stderr.startswith("error: ") and message in result.stderr
        assert result.stderr.count("\n") == 1


def _ttt_observation(request) -> str:
    first = next(m["content"] for m in request.messages if m["role"] == "user")
    return first.split(OBSERVATION_START + "\n", 1)[1].rsplit("\n" + OBSERVATION_END, 1)[0]


def _free_cells(obs: str) -> list[str]:
    board = obs.rsplit("Current Board:", 1)[-1]
    rows = re.findall(r"^ ?(\S) \| (\S) \| (\S) ?$", board, re.MULTILINE)[:3]
    return [c for row in rows for c in row if c.isdigit()]


def test_llm_agent_through_the_cli(fake_openai, tmp_path: Path):
    def model(request) -> str:
        if "was rejected" in request.messages[-1]["content"]:
            return f"OK. <move>[{_free_cells(_ttt_observation(request))[0]}]</move>"
        return "The centre is great, or cell 9. <move>[9]</move>"

    fake_openai.default = model
    result = invoke("tictactoe", "--agent", "openai/gpt-4o-mini", "--games", "2", "--json",
                    "--log", str(tmp_path / "llm.jsonl"))
    assert result.exit_code == 0, result.output
    agent = json.loads(result.stdout)["agent"]
    assert agent["illegal_to_engine"] == 0
    assert agent["retries"] == agent["moves"] > 0
    assert agent["tokens"] > 0 and agent["cost_usd"] > 0 and agent["cost_complete"]
    moves = [m for m in read_log(tmp_path / "llm.jsonl") if m.get("side") == "agent"]
    assert moves[0]["attempts"][0]["action"] == "[9]"
    assert moves[0]["attempts"][0]["verdict"] is False
    assert "was rejected" in moves[0]["attempts"][0]["feedback"]
    assert moves[0]["attempts"][0]["raw"].startswith("The centre")


def test_filter_mode_through_the_cli(fake_openai, tmp_path: Path):
    def model(request) -> str:
        listed = re.findall(r"^- (\[\d\])$", request.messages[1]["content"], re.MULTILINE)
        assert listed, "filter mode lists the harness's legal moves"
        return f"<move>{listed[-1]}</move>"

    fake_openai.default = model
    result = invoke("tictactoe", "--agent", "openai/gpt-4o-mini", "--mode", "filter",
                    "--games", "2", "--json", "--log", str(tmp_path / "f.jsonl"))
    assert result.exit_code == 0, result.output
    agent = json.loads(result.stdout)["agent"]
    assert agent["illegal_to_engine"] == agent["retries"] == agent["fallbacks"] == 0
    moves = [m for m in read_log(tmp_path / "f.jsonl") if m.get("side") == "agent"]
    assert all(m["action"] in m["candidates"] for m in moves)


def test_a_textarena_agent_class_wrapped_unchanged(fake_openai, tmp_path: Path):
    """TextArena's own OpenAIAgent: it cannot take feedback, so the feedback comes appended to
    the observation; its whole reply goes to the harness and the engine, as TextArena sends it."""

    def model(request) -> str:
        obs = request.messages[-1]["content"]
        if "[HARNESS]" in obs:
            assert 'Your move "I pick [9]." was rejected' in obs
            cells = _free_cells(obs.split("[HARNESS]", 1)[0])
            return f"Then [{cells[0]}]."
        return "I pick [9]."

    fake_openai.default = model
    result = invoke("tictactoe", "--agent", "textarena:OpenAIAgent:gpt-4o-mini", "--games", "1",
                    "--json", "--log", str(tmp_path / "ta.jsonl"))
    assert result.exit_code == 0, result.output
    agent = json.loads(result.stdout)["agent"]
    assert agent["spec"] == "textarena:OpenAIAgent:gpt-4o-mini"
    assert agent["illegal_to_engine"] == 0 and agent["retries"] == agent["moves"] > 0
