"""The command line as users type it: names, one-line errors, machine-readable output."""

import json

from typer.testing import CliRunner

from autoharness.cli import app
from tests.play.test_hostile import CRASHES as RAISES
from tests.play.test_hostile import HANGS

runner = CliRunner()


def json_of(output: str):
    return json.loads(output[output.index(next(c for c in output if c in "[{")):])


def test_games_lists_the_145_with_their_harnesses() -> None:
    result = runner.invoke(app, ["games", "--json"])
    assert result.exit_code == 0, result.output
    games = json_of(result.output)
    assert len(games) == 145
    assert all(game["harness"] for game in games), [g["id"] for g in games if not g["harness"]]
    chess = runner.invoke(app, ["games", "chess", "--json"])
    assert {g["id"] for g in json_of(chess.output)} == {"Chess-v0", "Chess-v0-blind",
                                                        "Chess-v0-long"}


def test_verify_reports_figures_by_their_names() -> None:
    result = runner.invoke(app, ["verify", "tictactoe", "--seeds", "0,1", "--steps", "100",
                                 "--json"])
    assert result.exit_code == 0, result.output
    report = json_of(result.output)
    for key in ("legal_rate", "actions", "false_accepts", "false_rejects", "harness_failures"):
        assert key in report
    assert report["seeds"] == [0, 1] and report["actions"] == 200 and report["legal_rate"] == 1.0


def test_bad_input_is_one_line_and_exit_2(tmp_path) -> None:
    unknown = runner.invoke(app, ["verify", "tictactoo"])
    assert unknown.exit_code == 2
    assert "unknown game 'tictactoo'" in unknown.output and "TicTacToe-v0" in unknown.output
    broken = tmp_path / "broken.py"
    broken.write_text('GAMES = ["TicTacToe-v0"]\ndef propose_action(obs):\n    return "[0]"\n')
    result = runner.invoke(app, ["verify", "TicTacToe-v0", "--harness", str(broken)])
    assert result.exit_code == 2 and "eval_action" in result.output
    assert len(result.output.strip().splitlines()) == 1
    seeds = runner.invoke(app, ["verify", "TicTacToe-v0", "--seeds", "many"])
    assert seeds.exit_code == 2 and "--seeds" in seeds.output


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_verify_exit_codes(tmp_path) -> None:
    raises, hangs = tmp_path / "raises.py", tmp_path / "hangs.py"
    raises.write_text(RAISES)
    hangs.write_text(HANGS)
    crashed = runner.invoke(app, ["verify", "tictactoe", "--harness", str(raises), "--seeds", "1",
                                  "--steps", "20", "--stress-positions", "5"])
    assert crashed.exit_code == 1, crashed.output
    assert "NOT clean" in crashed.stdout and "harness failures" in crashed.stdout
    hung = runner.invoke(app, ["verify", "tictactoe", "--harness", str(hangs), "--seeds", "1",
                               "--steps", "3", "--stress-positions", "0", "--timeout", "0.2",
                               "--json"])
    assert hung.exit_code == 1, hung.output
    report = json.loads(hung.stdout)
    assert report["clean"] is False and report["harness_failures"] > 0
    for args, flag in [(["--steps", "0"], "--steps"), (["--seeds", "5-3"], "--seeds"),
                       (["--seeds", "0"], "--seeds"), (["--seeds", "-3"], "--seeds"),
                       (["--seeds", "1,-2"], "--seeds"), (["--timeout", "0"], "--timeout")]:
        result = runner.invoke(app, ["verify", "tictactoe", *args])
        assert result.exit_code == 2, (args, result.output)
        assert flag in one_error_line(result)


def test_unreadable_harness_files_are_one_line_errors(tmp_path) -> None:
    binary = tmp_path / "binary.py"
    binary.write_bytes(bytes(range(256)) * 4)
    for target, words in [(binary, "not a text file"), (tmp_path, "is a folder"),
                          (tmp_path / "none.py", "no harness file")]:
        result = runner.invoke(app, ["verify", "tictactoe", "--harness", str(target)])
        assert result.exit_code == 2 and words in one_error_line(result), result.output
        learn = runner.invoke(app, ["learn", "tictactoe", "--model", "openai/x", "--out",
                                    str(tmp_path / "out.py"), "--from", str(target)])
        assert learn.exit_code == 2 and words in one_error_line(learn), learn.output


def test_resume_with_a_garbage_run_names_the_file(tmp_path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "run.json").write_text("{{{ not json")
    result = runner.invoke(app, ["learn", "--resume", str(run)])
    assert result.exit_code == 2 and str(run / "run.json") in one_error_line(result)
    shown = runner.invoke(app, ["show", str(run)])
    assert shown.exit_code == 2 and str(run) in one_error_line(shown)
    missing = runner.invoke(app, ["learn", "--resume", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such run directory" in one_error_line(missing)


def test_games_says_when_nothing_matches_and_keeps_ids_whole_when_piped() -> None:
    none = runner.invoke(app, ["games", "zzz"])
    assert none.exit_code == 2 and "no game matches 'zzz'" in one_error_line(none)
    piped = runner.invoke(app, ["games", "2048"])  # CliRunner's stdout is not a terminal
    assert piped.exit_code == 0
    for game_id in ("2048-v0-extreme", "2048-v0-super-easy", "2048-v0-ultra-easy"):
        assert game_id in piped.stdout


def test_version_and_a_light_help() -> None:
    import subprocess
    import sys

    import autoharness

    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0
    assert version.stdout.strip() == f"autoharness {autoharness.__version__}"
    code = ("import sys, autoharness.cli, autoharness; autoharness.__all__; "
            "print(sorted(m for m in ('textarena', 'pandas', 'matplotlib', 'autoharness.arena.env')"
            " if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert loaded.stdout.strip() == "[]", "autoharness --help imports heavy modules"


def test_usage_errors_are_one_line() -> None:
    for args, words in [(["vrfy"], "No such command"), (["verify"], "Missing argument"),
                        (["verify", "chess", "--bogus"], "No such option"),
                        (["verify", "chess", "--steps", "many"], "--steps")]:
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and words in one_error_line(result), result.output


def test_the_public_library_api() -> None:
    import autoharness
    from autoharness import HarnessedAgent, find_harness, load_harness, play_games

    assert {"HarnessedAgent", "load_harness", "find_harness", "play_games"} <= set(
        autoharness.__all__)
    chess = find_harness("chess")
    assert chess is not None and chess == find_harness("Chess-v0") and chess.name == "chess.py"
    assert find_harness("no-such-game") is None
    env = autoharness.GameEnv("Chess-v0", seed=0)
    with load_harness(chess) as harness:
        action = harness.propose(env.observation())
        assert env.is_legal(action).legal and harness.evaluate(env.observation(), action) is True
        assert harness.evaluate(env.observation(), "[e2e5]") is False
    agent = HarnessedAgent(lambda observation: "[4]", find_harness("tictactoe"))
    with agent:
        results = play_games("tictactoe", agent, opponent="harness", games=2)
    assert results.agent.moves > 0 and results.agent.illegal_to_engine == 0
    assert sum(results.results()[k] for k in ("wins", "draws", "losses")) == 2
    noisy = play_games("TicTacToe-v0", "noisy:0.5", opponent="harness", games=1)
    assert noisy.agent.moves > 0


def _readme() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_the_readme_library_example_runs_as_written() -> None:
    import re

    blocks = re.findall(r"```python\n(.*?)```", _readme(), re.DOTALL)
    example = next(b for b in blocks if "play_games" in b)
    assert len(example.strip().splitlines()) <= 6, example
    exec(compile(example, "README.md", "exec"), {})


def test_the_readme_learn_example_passes_every_check_before_the_model(llm_env, tmp_path,
                                                                      monkeypatch) -> None:
    import re
    import shlex

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AUTOHARNESS_DATA", str(tmp_path / "data"))
    line = next(line for line in _readme().splitlines()
                if line.startswith("autoharness learn othello"))
    args = shlex.split(line.split("#")[0])[1:]
    result = runner.invoke(app, args)
    # no key here: the first thing that fails is the model, not the command line or the output
    assert result.exit_code == 3, result.output
    assert re.search(r"GEMINI_API_KEY|API key", one_error_line(result))
