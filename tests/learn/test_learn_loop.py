"""The learning loop end to end through the real HTTP path (a local OpenAI-compatible fake).

These runs are scripted: the fake server returns code written for the test. They check the loop's
machinery (contradictions reach the prompt, the tree search, stopping, saving, resuming), not what
any LLM would write.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.harness.card import read_card
from autoharness.llm import read_exchanges

REPO = Path(__file__).resolve().parents[2]

TICTACTOE_IGNORES_OCCUPIED = '''
import random, re

def propose_action(obs: str) -> str:
    return f"[{random.randint(0, 8)}]"          # forgets that cells fill up

def eval_action(obs: str, action: str) -> bool:
    return re.fullmatch(r"\\[[0-8]\\]", action.strip()) is not None
'''

TICTACTOE_CORRECT = '''
import random, re

ROW = re.compile(r"^ ?(\\S) \\| (\\S) \\| (\\S) ?$", re.MULTILINE)

def _free(obs):
    board = obs.rsplit("Current Board:", 1)[-1]
    cells = [c for row in ROW.findall(board)[:3] for c in row]
    return [i for i, c in enumerate(cells) if c.isdigit()]

def propose_action(obs: str) -> str:
    return f"[{random.choice(_free(obs))}]"

def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    m = re.search(r"\\[\\s*(\\d+)\\s*\\]", action)
    return bool(m) and int(m.group(1)) in _free(obs)
'''


def fenced(code: str) -> str:
    return f"Here is the program.\n```python\n{code}\n```\n"


def tictactoe_model(request) -> str:
    """Answers like a model that fixes what it is shown: occupied cells once it sees them."""
    if "already occupied" in request.text:
        return fenced(TICTACTOE_CORRECT)
    return fenced(TICTACTOE_IGNORES_OCCUPIED)


def learn_args(tmp_path: Path, game: str, *extra: str) -> list[str]:
    return ["learn", game, "--model", "openai/test-model", "--out", str(tmp_path / "out.py"),
            "--run-dir", str(tmp_path / "run"), "--envs", "4", "--steps", "150",
            "--probe-positions", "60", *extra]


def test_learns_tictactoe_from_engine_contradictions(fake_openai, tmp_path: Path) -> None:
    fake_openai.default = tictactoe_model
    result = CliRunner().invoke(app, learn_args(tmp_path, "tictactoe", "--max-llm-calls", "8"))
    assert result.exit_code == 0, result.output
    prompts = [r.text for r in fake_openai.requests]
    occupied = [p for p in prompts if "already occupied" in p]
    assert occupied, "no prompt showed the engine rejecting an occupied cell"
    assert re.search(r"Action: '\[\d\]'", occupied[0]), "the rejected action is not named"
    assert re.search(r"engine's reason: cell \d is already occupied", occupied[0])
    # both numbers behind h, every kind found shown once with the function to fix, the counts
    assert re.search(r"Score h = [\d.]+ = p × v, where p = [\d.]+ .* v = [\d.]+", occupied[0])
    assert "propose_action returned an action the engine REJECTED" in occupied[0]
    assert "eval_action returned True, but the engine REJECTS this action" in occupied[0]
    assert "Fix: propose_action and eval_action" in occupied[0]
    assert re.search(r"\d+ illegal proposals? in \d+ patterns? \(fix propose_action\)",
                     occupied[0])
    assert re.search(r"\d+ false accepts? in \d+ patterns? \(fix propose_action and eval_action\)",
                     occupied[0])
    saved = (tmp_path / "out.py").read_text()
    card = read_card(saved)
    assert card.provenance["method"] == "learned" and card.provenance["model"] == \
        "openai/test-model"
    assert card.provenance["llm_calls"] == len(fake_openai.requests)
    assert card.verified["TicTacToe-v0"]["legal_rate"] == 1.0
    run = json.loads((tmp_path / "run" / "run.json").read_text())
    assert run["confirmed"] is True
    shown = CliRunner().invoke(app, ["show", str(tmp_path / "run"), "--json"])
    assert shown.exit_code == 0, shown.output
    summary = json.loads(shown.output)
    assert summary["confirmed"] and summary["llm_calls"] == len(fake_openai.requests)
    assert summary["model"] == "openai/test-model" and len(summary["nodes"]) >= 3
    verified = CliRunner().invoke(app, ["verify", "TicTacToe-v0", "--harness",
                                        str(tmp_path / "out.py"), "--seeds", "3", "--steps",
                                        "300", "--json"])
    assert verified.exit_code == 0, verified.output
    report = json.loads(verified.output[verified.output.index("{"):])
    assert report["legal_rate"] == 1.0 and report["false_accepts"] == 0
    assert report["false_rejects"] == 0


CHESS_REJECTS_CASTLING_AND_PROMOTION = '''
_library_eval = eval_action

def eval_action(obs: str, action: str) -> bool:
    move = action.strip("[] ").lower()
    if move in ("e1g1", "e1c1", "e8g8", "e8c8") or len(move) == 5:
        return False                     # planted bug: castling and promotions "illegal"
    return _library_eval(obs, action)
'''


def test_chess_false_rejects_reach_the_llm(fake_openai, tmp_path: Path) -> None:
    library = (REPO / "harnesses" / "chess.py").read_text()
    buggy = tmp_path / "buggy_chess.py"
    buggy.write_text(library + "\n" + CHESS_REJECTS_CASTLING_AND_PROMOTION)
    fake_openai.default = fenced(library.split('VERIFIED = ', 1)[1].split("\n", 1)[1])
    result = CliRunner().invoke(app, learn_args(tmp_path, "Chess-v0", "--from", str(buggy),
                                                "--max-llm-calls", "1", "--steps", "300",
                                                "--probe-positions", "300"))
    assert result.exit_code == 1, result.output  # budget spent, nothing confirmed: not clean
    first_prompt = fake_openai.requests[0].text
    assert "eval_action returned False, but the engine ACCEPTS this action" in first_prompt
    rejected = re.findall(r"Action: '([^']*)'", first_prompt)
    assert any(a.strip("[] ") in ("e1g1", "e1c1", "e8g8", "e8c8") or len(a.strip("[] ")) == 5
               for a in rejected), rejected


def test_killed_run_resumes_without_repeating_a_finished_call(fake_openai, tmp_path: Path):
    from tests.fakes.llm_servers import FakeReply

    fake_openai.push(fenced(TICTACTOE_IGNORES_OCCUPIED),
                     FakeReply(text=fenced(TICTACTOE_CORRECT), delay=60))  # killed while waiting
    env = {**os.environ, **fake_openai.env}
    command = [sys.executable, "-m", "autoharness.cli",
               *learn_args(tmp_path, "TicTacToe-v0", "--max-llm-calls", "6")]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=REPO)
    run = tmp_path / "run"
    deadline = time.monotonic() + 120
    while len(fake_openai.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(fake_openai.requests) == 2, "the run never reached its second LLM call"
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = read_exchanges(run)
    assert len(before) == 1  # the answered call is on disk; the hung one is not
    fake_openai.default = tictactoe_model
    resumed = CliRunner().invoke(app, ["learn", "--resume", str(run), "--out",
                                       str(tmp_path / "out.py")])
    assert resumed.exit_code == 0, resumed.output
    after = read_exchanges(run)
    assert after[0].prompt == before[0].prompt and after[0].reply == before[0].reply
    answered = len(fake_openai.requests) - 1  # the killed request was never answered
    assert len(after) == answered  # every answered call recorded once, none asked again
    calls = [e.extra["call"] for e in after]
    assert calls == list(range(len(after)))
    assert json.loads((run / "run.json").read_text())["state"] == "finished"


def test_missing_key_and_unknown_game_are_one_line_errors(llm_env, tmp_path: Path) -> None:
    missing = CliRunner().invoke(app, ["learn", "chess", "--model", "gemini/gemini-2.5-flash",
                                       "--out", str(tmp_path / "x.py")])
    assert missing.exit_code == 3 and "GEMINI_API_KEY" in missing.output  # environment
    unknown = CliRunner().invoke(app, ["learn", "chesss-v9", "--model", "openai/x"])
    assert unknown.exit_code == 2 and "unknown game" in unknown.output
