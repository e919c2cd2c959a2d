"""eval/world_models.py: --jobs 1 and --jobs 2 give the same match rows, and counts print whole."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "eval" / "world_models.py"
# A two-player game and a game with chance (the engine draws from the global ``random``).
GAMES = "TicTacToe-v0,KuhnPoker-v0"


def _script():
    spec = importlib.util.spec_from_file_location("world_models_eval", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _matches(out: Path, jobs: int) -> dict[str, list[dict]]:
    env = {**os.environ, "WORLD_MODELS_OUT": str(out)}
    subprocess.run([sys.executable, str(SCRIPT), "matches", "--games", GAMES,
                    "--games-per-pair", "3", "--jobs", str(jobs)],
                   check=True, env=env, cwd=ROOT, capture_output=True, timeout=600)
    rows = {}
    for game in GAMES.split(","):
        data = json.loads((out / "matches" / f"{game}.json").read_text())
        rows[game] = data["pairs"]
    return rows


def test_jobs_one_and_two_give_the_same_rows(tmp_path: Path) -> None:
    script = _script()
    one, two = _matches(tmp_path / "one", 1), _matches(tmp_path / "two", 2)
    for game in GAMES.split(","):
        assert [p["games"] for p in one[game]] == [3, 3], one[game]
        assert sum(p["wins"] + p["draws"] + p["losses"] for p in one[game]) == 6
        assert ([script.comparable_row(p) for p in one[game]]
                == [script.comparable_row(p) for p in two[game]])


def test_counts_print_as_whole_numbers() -> None:
    script = _script()
    assert script._count(50.0) == "50"
    assert script._count(600) == "600"
    assert script._count(float("nan")) == "–"
    assert script._count(None) == "–"


def test_a_pair_extended_with_more_games_adds_up() -> None:
    script = _script()
    first = {"agent": "mcts", "opponent": None, "games": 2, "rewards": [0.2, 0.4],
             "mean_reward": 0.3, "unfinished": 0, "error": 0, "seconds": 10.0,
             "sims_per_s": 100.0, "planned_moves": 10}
    more = {"agent": "mcts", "opponent": None, "games": 2, "rewards": [0.6, 0.8],
            "mean_reward": 0.7, "unfinished": 1, "error": 0, "seconds": 30.0,
            "sims_per_s": 200.0, "planned_moves": 30}
    row = script.extend_row(first, more)
    assert row["games"] == 4 and row["rewards"] == [0.2, 0.4, 0.6, 0.8]
    assert abs(row["mean_reward"] - 0.5) < 1e-12 and row["unfinished"] == 1
    assert row["sims_per_s"] == 175.0 and row["seconds"] == 40.0 and row["parts"] == [2, 2]
    wins = script.extend_row({"games": 3, "wins": 2, "draws": 1, "losses": 0},
                             {"games": 2, "wins": 1, "draws": 0, "losses": 1})
    assert (wins["games"], wins["wins"], wins["draws"], wins["losses"]) == (5, 3, 1, 1)
