"""``autoharness learn GAME --objective policy`` end to end through the real HTTP path, scripted:
the fake server returns code written by hand for the test, not anything an LLM wrote. It checks
the loop's machinery for the policy objective: the skeleton's failed calls reach the first
prompt, a legal but weak policy's rewards and episode endings reach the next one, and the
library's policy, which wins every episode, scores H = 1 and is confirmed on fresh seeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.harness.card import read_card
from tests.policy.helpers import POLICY_MARKER, library

HANOI = "TowerOfHanoi-v0"
WEAK_MARKER = "# weak: plays at random"
RANDOM_POLICY = (f"\n\ndef choose_action(obs: str) -> str:\n    {WEAK_MARKER}\n"
                 "    return propose_action(obs)\n")


def fenced(code: str) -> str:
    return f"Here is the program.\n```python\n{code}\n```\n"


def hanoi_model(request) -> str:
    """Answers like a model that plays at random until it is shown episodes that end badly."""
    if "how an episode ended" in request.text and WEAK_MARKER in request.text:
        return fenced(library("towerofhanoi"))
    return fenced(library("towerofhanoi").partition(POLICY_MARKER)[0] + RANDOM_POLICY)


def test_learn_objective_policy_shows_rewards_and_endings_and_confirms_a_winning_policy(
        fake_openai, tmp_path: Path) -> None:
    fake_openai.default = hanoi_model
    out, run = tmp_path / "hanoi.py", tmp_path / "run"
    result = CliRunner().invoke(app, [
        "learn", HANOI, "--objective", "policy", "--model", "openai/test-model",
        "--out", str(out), "--run-dir", str(run), "--envs", "3", "--steps", "40",
        "--max-llm-calls", "4"])
    assert result.exit_code == 0, result.output
    assert "earned the highest reward in every episode on fresh seeds" in " ".join(
        result.output.split())
    prompts = [r.text for r in fake_openai.requests]
    assert len(prompts) == 2, [p[:200] for p in prompts]
    first, second = prompts
    assert "PLAY a text game well" in fake_openai.requests[0].system
    assert "a call of choose_action failed" in first and "NotImplementedError" in first
    assert re.search(r"Score H = 0\.\d{3}", second) and "Score H = 0.000" not in second
    assert re.search(r"mean reward 0\.\d{3} \(normalised 0\.\d{3}\) over 3 episodes", second)
    assert "how an episode ended" in second
    assert re.search(r"Engine: reward (none|0\.\d{3}) \(normalised 0\.\d{3}\) after \d+ actions",
                     second)
    learned = out.read_text()
    assert "def _next_move" in learned and WEAK_MARKER not in learned
    card = read_card(learned)
    assert card.provenance["method"] == "learned" and card.provenance["llm_calls"] == 2
    entry = card.verified[HANOI]["policy"]
    assert entry["legal_rate"] == 1.0 and entry["mean_reward"] == 1.0 and entry["h"] == 1.0
    assert re.fullmatch(rf"autoharness verify {HANOI} --seeds 1\d{{4}}-1\d{{4}} --steps 40",
                        entry["command"])
    meta = json.loads((run / "run.json").read_text())
    assert meta["confirmed"] is True and meta["config"]["objective"] == "policy"
