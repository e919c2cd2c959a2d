"""A new user's first `learn` / `play` against failing providers, timed (issue 15).

Runs the real CLI in subprocesses against the local fake servers of tests/fakes (the providers'
wire formats on 127.0.0.1; no LLM service is involved) and prints, per scenario: exit code,
wall-clock seconds, completion requests that reached the server, and the last stderr line.
The cost scenario uses a price given with --price, so its dollars are the cap's arithmetic, not
a real bill.

    .venv/bin/python eval/provider_failures.py   # writes eval/provider-failures.md
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fakes.llm_servers import FakeOpenAIServer, FakeReply  # noqa: E402
from tests.learn.test_replies import PROGRAM, fence  # noqa: E402

SMALL = ["--envs", "2", "--steps", "50", "--probe-positions", "20"]
FAST = {"AUTOHARNESS_LLM_RETRY_BASE_DELAY": "0.2", "AUTOHARNESS_LLM_RETRY_MAX_DELAY": "2"}


def run(args: list[str], env: dict[str, str]) -> tuple[int, float, str]:
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "autoharness.cli", *args], cwd=REPO,
                          env={**os.environ, **FAST, **env}, capture_output=True, text=True,
                          timeout=900)
    lines = done.stderr.strip().splitlines()
    return done.returncode, time.perf_counter() - began, lines[-1] if lines else ""


def scenarios(tmp: Path) -> list[dict]:
    rows = []

    def row(name: str, args: list[str], server: FakeOpenAIServer | None,
            env: dict[str, str] | None = None, note: str = "") -> None:
        code, seconds, line = run(args, env or (server.env if server else {}))
        rows.append({"scenario": name, "exit": code, "seconds": round(seconds, 1),
                     "completions": len(server.requests) if server else 0,
                     "last line": line[:260], "note": note})

    learn = ["learn", "tictactoe", "--model", "openai/test-model", "--out", str(tmp / "out.py"),
             *SMALL]
    with FakeOpenAIServer(require_api_key="right") as srv:
        row("learn, wrong key (401)", [*learn, "--run-dir", str(tmp / "a")], srv,
            {**srv.env, "OPENAI_API_KEY": "wrong-key-000"})
    with FakeOpenAIServer(default=lambda r: FakeReply.bad_key()) as srv:
        row("learn, 401 on completions, --no-preflight",
            [*learn, "--run-dir", str(tmp / "b"), "--no-preflight"], srv)
    with FakeOpenAIServer(default=lambda r: FakeReply.overloaded()) as srv:
        row("learn, provider overloaded (529) on every call",
            [*learn, "--run-dir", str(tmp / "c")], srv)
    with FakeOpenAIServer(default=FakeReply(text=fence(PROGRAM), output_tokens=400)) as srv:
        row("learn, --max-cost 0.05 at --price 1,10", [*learn, "--run-dir", str(tmp / "d"),
                                                        "--max-cost", "0.05", "--price", "1,10",
                                                        "--max-output-tokens", "2000",
                                                        "--max-llm-calls", "50"], srv)
        exchanges = [json.loads(x) for x in (tmp / "d" / "exchanges.jsonl").read_text()
                     .splitlines()]
        spent = sum(e["charged"]["cost_usd"] for e in exchanges)
        rows[-1]["note"] = f"{len(exchanges)} calls, ${spent:.4f} charged against $0.05"
    closed = FakeOpenAIServer().start()
    url = closed.base_url
    closed.stop()
    play = ["play", "tictactoe", "--agent", "openai/gpt-4o-mini", "--quiet", "--log"]
    row("play, OPENAI_BASE_URL on a closed port", [*play, str(tmp / "p1.jsonl")], None,
        {"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "k-0000000000"})
    with FakeOpenAIServer(default=lambda r: FakeReply.bad_key()) as srv:
        row("play, 401 on completions, --no-preflight",
            [*play, str(tmp / "p2.jsonl"), "--no-preflight"], srv)
    row("play, textarena:AnthropicAgent", [*play, str(tmp / "p3.jsonl"), "--agent",
                                           "textarena:AnthropicAgent:claude-haiku-4-5"], None,
        {"ANTHROPIC_API_KEY": "sk-ant-00000000000"})
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = scenarios(Path(tmp))
    head = "| scenario | exit | seconds | completions | last stderr line | note |"
    lines = [head, "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        text = r["last line"].replace("|", "\\|").replace("`", "'")
        lines.append(f"| {r['scenario']} | {r['exit']} | {r['seconds']} | {r['completions']} | "
                     f"`{text}` | {r['note']} |")
    table = "\n".join(lines)
    print(table)
    out = REPO / "eval" / "provider-failures.md"
    out.write_text("# A first `learn` / `play` against failing providers\n\n"
                   "Measured by `eval/provider_failures.py` against the local fake servers "
                   "(wire formats only; no LLM service). Seconds include interpreter start-up "
                   "and, for learn, evaluating the root candidate.\n\n" + table + "\n")


if __name__ == "__main__":
    main()
