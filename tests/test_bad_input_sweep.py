"""A new user's sweep of every command with bad input: one ``error:`` line, exit 2 (the input) or
3 (the environment or provider), never a traceback, never 0 or 1, and no work done.

Each case stops before any engine runs (the input checks come first), so each takes well under
2 s. Numeric flags' ranges are swept apart, flag by flag, in tests/test_cli_flags.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from autoharness.cli import app
from tests.fakes.llm_servers import FakeOpenAIServer

HARNESS = ('GAMES = ["TicTacToe-v0"]\n\n\ndef propose_action(obs):\n    return "[4]"\n\n\n'
           'def eval_action(obs, action):\n    return True\n')
FILES = {
    "syntax.py": HARNESS.replace("(obs):", "(obs)"),
    "missing.py": HARNESS.split("\n\n\ndef eval_action")[0] + "\n",
    "signature.py": HARNESS.replace("def propose_action(obs)", "def propose_action()"),
    "forbidden.py": "import socket\n" + HARNESS,
    "empty.py": "",
    "chess_only.py": HARNESS.replace("TicTacToe-v0", "Chess-v0"),
    "good.py": HARNESS,
}
BROKEN = {  # harness file -> words of the one-line error
    "syntax.py": "syntax error", "missing.py": "eval_action", "signature.py": "propose_action",
    "forbidden.py": "'socket' is not allowed", "empty.py": "no GAMES constant",
    "binary.py": "not a text file", "folder": "is a folder", "nope.py": "no harness file",
    "chess_only.py": "does not serve TicTacToe-v0",
}
LLM = "openai/gpt-4o-mini"
OUT = ["--out", "{F}/o.py"]

# (id, args, exit code, words in the error line, environment: None | "wrong-key" | "down")
CASES: list[tuple[str, list[str], int, str, str | None]] = [
    ("games unknown", ["games", "zzz"], 2, "no game matches", None),
    ("show missing", ["show", "{F}/nope"], 2, "no learn run", None),
    ("show folder", ["show", "{F}/folder"], 2, "no learn run", None),
    ("show empty log", ["show", "{F}/empty.jsonl"], 2, "not a match log", None),
    ("show binary", ["show", "{F}/binary.py"], 2, "cannot read", None),
    ("show python file", ["show", "{F}/good.py"], 2, "not JSON", None),
    ("learn garbage resume", ["learn", "--resume", "{F}/garbage_run"], 2, "run.json", None),
    ("learn resume a file", ["learn", "--resume", "{F}/good.py"], 2, "no such run", None),
]
for command, prefix in [("verify", ["verify"]), ("bench", ["bench", "--games"]),
                        ("play", ["play"]), ("learn", ["learn"])]:
    tail = {"play": ["--agent", "harness"], "learn": ["--model", LLM, *OUT]}.get(command, [])
    CASES += [
        (f"{command} unknown game", [*prefix, "NoSuchGame-v9", *tail], 2, "unknown game", None),
        (f"{command} misspelt game", [*prefix, "tictactoo", *tail], 2,
         "did you mean TicTacToe-v0", None),
    ]
for name, words in BROKEN.items():
    CASES += [
        (f"verify --harness {name}", ["verify", "tictactoe", "--harness", f"{{F}}/{name}"], 2,
         words, None),
        (f"verify --world-model --harness {name}",
         ["verify", "tictactoe", "--world-model", "--harness", f"{{F}}/{name}"], 2, words, None),
        (f"bench --harness {name}", ["bench", "--games", "tictactoe", "--harness",
                                     f"{{F}}/{name}", "--out", "{F}/b"], 2, words, None),
        (f"bench --metric reward --harness {name}",
         ["bench", "--metric", "reward", "--games", "tictactoe", "--harness", f"{{F}}/{name}",
          "--out", "{F}/b"], 2, words, None),
        (f"play --harness {name}", ["play", "tictactoe", "--agent", "harness", "--harness",
                                    f"{{F}}/{name}"], 2, words, None),
    ]
    if name != "chess_only.py":  # --from may start from another game's harness
        CASES.append((f"learn --from {name}", ["learn", "tictactoe", "--model", LLM, *OUT,
                                               "--from", f"{{F}}/{name}"], 2, words, None))
CASES += [
    ("verify --harness ''", ["verify", "tictactoe", "--harness", ""], 2, "--harness", None),
    ("play --harness ''", ["play", "tictactoe", "--agent", "harness", "--harness", ""], 2,
     "--harness", None),
    ("bench --harness ''", ["bench", "--games", "tictactoe", "--harness", ""], 2, "--harness",
     None),
    # agents and models
    ("bench agent nonsense", ["bench", "--games", "tictactoe", "--agent", "nonsense"], 2,
     "unknown agent", None),
    ("bench agent noisy typo", ["bench", "--games", "tictactoe", "--agent", "noisy0.3"], 2,
     "unknown agent", None),
    ("play agent noisy typo", ["play", "tictactoe", "--agent", "noisyy"], 2, "unknown agent",
     None),
    ("bench agent noisy:2", ["bench", "--games", "tictactoe", "--agent", "noisy:2"], 2,
     "0 <= P <= 1", None),
    ("bench malformed model", ["bench", "--games", "tictactoe", "--agent", "openai/"], 2,
     "no model name", None),
    ("bench unknown provider", ["bench", "--games", "tictactoe", "--agent", "foo/bar"], 2,
     "unknown LLM provider", None),
    ("play malformed model", ["play", "tictactoe", "--agent", "/gpt-4o"], 2,
     "unknown LLM provider", None),
    ("learn model without provider", ["learn", "tictactoe", "--model", "gpt-4o-mini", *OUT], 2,
     "provider/model", None),
    ("learn malformed model", ["learn", "tictactoe", "--model", "openai/", *OUT], 2,
     "no model name", None),
    ("bench missing key", ["bench", "--games", "tictactoe", "--agent", LLM], 3,
     "OPENAI_API_KEY", None),
    ("play missing key", ["play", "tictactoe", "--agent", LLM], 3, "OPENAI_API_KEY", None),
    ("play opponent missing key", ["play", "tictactoe", "--agent", "harness", "--opponent", LLM],
     3, "OPENAI_API_KEY", None),
    ("learn missing key", ["learn", "tictactoe", "--model", LLM, *OUT], 3, "OPENAI_API_KEY",
     None),
    ("bench wrong key", ["bench", "--games", "tictactoe", "--agent", LLM, "--out", "{F}/b"], 2,
     "authentication failed", "wrong-key"),
    ("play wrong key", ["play", "tictactoe", "--agent", LLM], 2, "authentication failed",
     "wrong-key"),
    ("learn wrong key", ["learn", "tictactoe", "--model", LLM, *OUT], 2,
     "authentication failed", "wrong-key"),
    ("bench server down", ["bench", "--games", "tictactoe", "--agent", LLM, "--out", "{F}/b"],
     3, "cannot connect", "down"),
    ("play server down", ["play", "tictactoe", "--agent", LLM], 3, "cannot connect", "down"),
    ("learn server down", ["learn", "tictactoe", "--model", LLM, *OUT], 3, "cannot connect",
     "down"),
    # counts and ranges the flag callbacks do not see
    ("verify seeds 0", ["verify", "tictactoe", "--seeds", "0"], 2, "--seeds", None),
    ("verify seeds -3", ["verify", "tictactoe", "--seeds", "-3"], 2, "--seeds", None),
    ("verify seeds empty range", ["verify", "tictactoe", "--seeds", "5-3"], 2, "--seeds", None),
    ("bench seeds list", ["bench", "--games", "tictactoe", "--seeds", "1,-2"], 2, "--seeds",
     None),
    ("bench no games", ["bench", "--games", ","], 2, "no games", None),
    ("learn price", ["learn", "tictactoe", "--model", LLM, *OUT, "--price", "-1,2"], 2,
     "--price", None),
    ("learn unpriced budget", ["learn", "tictactoe", "--model", "openai/x", *OUT, "--max-cost",
                               "1"], 2, "--price IN,OUT", None),
    ("play thinking on openai", ["play", "tictactoe", "--agent", LLM, "--thinking-budget",
                                 "100"], 2, "--thinking-budget", None),
    ("learn thinking over the cap", ["learn", "tictactoe", "--model", "gemini/gemini-2.5-flash",
                                     *OUT, "--thinking-budget", "20000"], 2,
     "--thinking-budget", None),
    # conflicting flags
    ("bench harness none", ["bench", "--games", "tictactoe", "--harness", "none"], 2,
     "--harness none", None),
    ("bench cards of another agent", ["bench", "--games", "tictactoe", "--agent", "noisy:0.1",
                                      "--update-cards"], 2, "--update-cards", None),
    ("bench reward with ray", ["bench", "--metric", "reward", "--ray"], 2, "--ray", None),
    ("bench human", ["bench", "--games", "tictactoe", "--agent", "human"], 2, "unattended",
     None),
    ("play output cap without llm", ["play", "tictactoe", "--agent", "harness",
                                     "--max-output-tokens", "100"], 2, "LLM agent", None),
    ("learn game and games", ["learn", "chess", "--games", "tictactoe", "--model", LLM], 2,
     "not both", None),
    ("learn --jobs on one game", ["learn", "tictactoe", "--model", LLM, *OUT, "--jobs", "2"], 2,
     "--jobs", None),
    ("learn --from with --games", ["learn", "--games", "tictactoe", "--model", LLM, "--out",
                                   "{F}/lib", "--from", "{F}/good.py"], 2, "--from-library",
     None),
    ("learn --from with --resume", ["learn", "--resume", "{F}/folder", "--from",
                                    "{F}/good.py"], 2, "not with --resume", None),
    ("learn --run-dir with --resume", ["learn", "--resume", "{F}/folder", "--run-dir",
                                       "{F}/r"], 2, "not with --resume", None),
    ("learn would overwrite the library", ["learn", "tictactoe", "--model", "openai/x"], 2,
     "--replace", None),
    # where results go
    ("bench out is a file", ["bench", "--games", "tictactoe", "--out", "{F}/good.py"], 2,
     "cannot write to", None),
    ("bench out under a file", ["bench", "--games", "tictactoe", "--out", "{F}/good.py/b"], 2,
     "cannot write to", None),
    ("bench out in /proc", ["bench", "--games", "tictactoe", "--out", "/proc/autoharness"], 2,
     "cannot write to", None),
    ("bench reward out is a file", ["bench", "--metric", "reward", "--games", "tictactoe",
                                    "--out", "{F}/good.py"], 2, "cannot write to", None),
    ("play log is a folder", ["play", "tictactoe", "--agent", "harness", "--log", "{F}/folder"],
     2, "cannot write the log", None),
    ("play log under a file", ["play", "tictactoe", "--agent", "harness", "--log",
                               "{F}/good.py/m.jsonl"], 2, "cannot write to", None),
    ("learn out is a folder", ["learn", "tictactoe", "--model", LLM, "--out", "{F}/folder"], 2,
     "it is a folder", None),
    ("learn out under a file", ["learn", "tictactoe", "--model", LLM, "--out",
                                "{F}/good.py/o.py"], 2, "cannot write to", None),
    ("learn run dir under a file", ["learn", "tictactoe", "--model", LLM, *OUT, "--run-dir",
                                    "{F}/good.py/run"], 2, "cannot write to", None),
    ("learn games out is a file", ["learn", "--games", "tictactoe", "--model", LLM, "--out",
                                   "{F}/good.py"], 2, "cannot write to", None),
]


def test_every_command_is_swept() -> None:
    commands = set(get_command(app).commands)
    swept = {args[0] for _, args, _, _, _ in CASES}
    assert commands == swept, commands ^ swept


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fx")
    for name, text in FILES.items():
        (folder / name).write_text(text)
    (folder / "binary.py").write_bytes(bytes(range(256)) * 4)
    (folder / "folder").mkdir()
    (folder / "empty.jsonl").write_text("")
    (folder / "garbage_run").mkdir()
    (folder / "garbage_run" / "run.json").write_text("{{{ not json")
    return folder


def _environment(kind: str | None, monkeypatch):
    if kind is None:
        return None
    server = FakeOpenAIServer(require_api_key="the-right-key").start()
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "a-wrong-key-12345" if kind == "wrong-key"
                       else "test-key-not-real")
    if kind == "down":
        server.stop()
    return server


@pytest.mark.parametrize(("args", "code", "words", "env"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_is_one_line_and_the_right_exit_code(args, code, words, env, fixtures,
                                                       llm_env, no_network, tmp_path,
                                                       monkeypatch) -> None:
    monkeypatch.setenv("AUTOHARNESS_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # a default --out (eval/results/...) would land here
    server = _environment(env, monkeypatch)
    try:
        started = time.perf_counter()
        result = CliRunner().invoke(app, [a.replace("{F}", str(fixtures)) for a in args])
        seconds = time.perf_counter() - started
        if server is not None:
            assert server.requests == [], "a completion was asked for despite the bad input"
    finally:
        if server is not None:
            server.stop()
    shown = f"exit {result.exit_code}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.output, shown
    assert result.exit_code == code, shown
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), shown
    assert words in lines[0], shown
    assert not (tmp_path / "data").exists() and not (tmp_path / "eval").exists(), \
        "bad input left files behind"
    assert not (fixtures / "b").exists() and not (fixtures / "o.py").exists()
    assert seconds < 5, f"{seconds:.1f} s: did it do work before failing?"
