"""eval/ray_overhead.py's comparison of the runs' rows: a difference names the game, the columns
and whether the game's inputs (its rows' cache key) changed between the runs, so an edit of the
tree during the hour the runs take is told apart from Ray measuring something else."""

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _module():
    spec = importlib.util.spec_from_file_location("ray_overhead", REPO / "eval/ray_overhead.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(mode: str, legal: str, harness_sha: str, ray: bool = False) -> dict:
    return {"mode": mode, "ray": ray, "seconds": 10.0, "load_before": 1.0, "load_after": 1.0,
            "rows": [{"game": "Nim-v0", "legal_rate": "1.0"},
                     {"game": "Chess-v0", "legal_rate": legal}],
            "keys": {"Nim-v0": {"harness_sha256": "n", "autoharness_source": "s"},
                     "Chess-v0": {"harness_sha256": harness_sha, "autoharness_source": "s"}}}


def test_equal_runs_report_no_difference() -> None:
    ray_overhead = _module()
    runs = [_run("local", "0.99", "c"), _run("Ray", "0.99", "c", ray=True)]
    assert ray_overhead.differences(runs) == []
    text = ray_overhead.report(runs[:2], runs, "paper", "1", "1000")
    assert "every run produced the same rows" in text and "DIFFER" not in text


def test_a_difference_names_game_columns_and_whether_inputs_changed() -> None:
    ray_overhead = _module()
    runs = [_run("local", "0.99", "c"), _run("Ray", "0.98", "c", ray=True),
            _run("Ray", "0.97", "edited", ray=True)]
    lines = ray_overhead.differences(runs)
    assert lines == [
        "run 2 (Ray): Chess-v0: legal_rate '0.99' -> '0.98'; same inputs",
        "run 3 (Ray): Chess-v0: legal_rate '0.99' -> '0.97'; inputs changed between the runs "
        "(harness_sha256)",
    ]
    text = ray_overhead.report(runs[:2], runs, "paper", "1", "1000")
    assert "THE RUNS DIFFER (the code or a harness was edited during the runs" in text
    assert f"- {lines[0]}" in text


def test_every_run_reads_one_frozen_copy_of_the_library(tmp_path: Path) -> None:
    environment = _module().frozen_library(tmp_path)
    copy = Path(environment["AUTOHARNESS_HARNESSES"])
    names = sorted(p.name for p in (REPO / "harnesses").glob("*.py"))
    assert copy.parent == tmp_path and sorted(p.name for p in copy.glob("*.py")) == names
