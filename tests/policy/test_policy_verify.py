"""verify checks choose_action's legality: a planted illegal policy makes verify exit 1, the
library policy is clean; --update-card records the policy's figures."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.harness.card import read_card
from autoharness.harness.runtime import InProcessHarness
from autoharness.policy.check import check_policy
from tests.policy.helpers import library, with_policy

HANOI = "TowerOfHanoi-v0"


def test_check_policy_finds_a_planted_illegal_move_and_passes_the_library():
    with InProcessHarness(with_policy("towerofhanoi", "return '[C A]'")) as harness:
        bad = check_policy(HANOI, harness, [0, 1], 20)
    assert not bad.clean and bad.avoidable_illegal > 0 and bad.legal_rate < 1.0
    assert bad.examples and bad.examples[0]["action"] == "[C A]"
    with InProcessHarness(library("towerofhanoi")) as harness:
        good = check_policy(HANOI, harness, [0, 1], 200)
    assert good.clean and good.legal_rate == 1.0 and good.mean_reward == 1.0
    assert good.p95_move_ms > 0


def test_verify_exits_1_on_an_illegal_policy_and_records_a_clean_one(tmp_path):
    runner = CliRunner()
    planted = tmp_path / "hanoi_bad.py"
    planted.write_text(with_policy("towerofhanoi", "return '[C A]'"))
    result = runner.invoke(app, ["verify", HANOI, "--harness", str(planted), "--seeds", "1",
                                 "--steps", "30", "--stress-positions", "0", "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["policy"]["illegal_actions"] > 0 and data["clean"] is False

    good = tmp_path / "hanoi.py"
    good.write_text(library("towerofhanoi"))
    result = runner.invoke(app, ["verify", HANOI, "--harness", str(good), "--seeds", "2",
                                 "--steps", "30", "--stress-positions", "0", "--update-card"])
    assert "policy (choose_action): legal rate 1.0000" in result.stdout
    entry = read_card(good.read_text()).verified[HANOI]["policy"]
    assert entry["legal_rate"] == 1.0 and entry["mean_reward"] == 1.0 and entry["episodes"] == 2
    assert entry["command"] == f"autoharness verify {HANOI} --seeds 2 --steps 30"
