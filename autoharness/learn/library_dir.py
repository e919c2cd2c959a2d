"""The parent run directory of ``learn --games``: one learn run per game, and what ties them.

    library.json          the plan: games, model, where harnesses go, --total-cost, check seeds
    games/<game>/         that game's learn run (``rundir``: resumable on its own too)
    seeds/<game>.py       the library harness it started from (--from-library), copied at the
                          start so a later change of the library does not change the run
    checks/<game>.json    the learned harness measured on fresh seeds (a benchmark row)
    saved.jsonl           every harness file this run wrote (path, sha256)
    table.csv/.md/.png    the final table (like the paper's Table 1), summary.json

Every file is written atomically or appended line by line, so the directory is consistent at any
instant and ``learn --resume DIR`` picks it up where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from autoharness.learn.rundir import RunDir

PLAN_FILENAME = "library.json"
#: fresh seeds for the final check, far from the learning seeds (0..) and the loop's
#: confirmation seeds (10,000 + node id x envs)
CHECK_SEED_BASE = 1_000_000


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Plan:
    games: tuple[str, ...]
    model: str
    out: str  # the folder learned harnesses are saved in
    replace: bool = False  # may overwrite harness files that already serve a game
    from_library: bool = False
    total_cost: float | None = None
    check_seeds: tuple[int, ...] = ()
    targets: dict[str, str] = field(default_factory=dict)  # game -> the file it is saved as
    takeovers: dict[str, str] = field(default_factory=dict)  # game -> file that gives it up
    config: dict[str, Any] = field(default_factory=dict)  # every game's LearnConfig but `game`

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["games"], data["check_seeds"] = list(self.games), list(self.check_seeds)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        data = dict(data)
        data["games"] = tuple(data["games"])
        data["check_seeds"] = tuple(data.get("check_seeds") or ())
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


class LibraryDir:
    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def holds_library(path: Path) -> bool:
        return (path / PLAN_FILENAME).is_file()

    # -- the plan -------------------------------------------------------------------------
    def plan(self) -> Plan:
        return Plan.from_dict(json.loads((self.path / PLAN_FILENAME).read_text())["plan"])

    def write_plan(self, plan: Plan) -> None:
        meta = {"kind": "learn --games", "plan": plan.to_dict(),
                "updated": time.strftime("%Y-%m-%dT%H:%M:%S")}
        write_atomic(self.path / PLAN_FILENAME, json.dumps(meta, indent=1) + "\n")

    # -- per game -------------------------------------------------------------------------
    def run_path(self, game: str) -> Path:
        return self.path / "games" / game

    def run(self, game: str) -> RunDir | None:
        path = self.run_path(game)
        return RunDir.open(path) if (path / "run.json").exists() else None

    def seed_path(self, game: str) -> Path:
        return self.path / "seeds" / f"{game}.py"

    def seed(self, game: str) -> str | None:
        path = self.seed_path(game)
        return path.read_text(encoding="utf-8") if path.exists() else None

    def check_path(self, game: str) -> Path:
        return self.path / "checks" / f"{game}.json"

    def check(self, game: str) -> dict[str, Any] | None:
        path = self.check_path(game)
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None

    def write_check(self, game: str, row: dict[str, Any]) -> None:
        write_atomic(self.check_path(game), json.dumps(row, indent=1, default=str) + "\n")

    # -- files this run wrote -------------------------------------------------------------
    def record_saved(self, game: str, path: Path, source: str) -> None:
        line = json.dumps({"game": game, "path": str(path.resolve()),
                           "sha256": sha256_text(source)})
        with open(self.path / "saved.jsonl", "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def saved(self) -> dict[str, dict[str, str]]:
        """The last file written per game (a torn last line is skipped)."""
        found: dict[str, dict[str, str]] = {}
        try:
            lines = (self.path / "saved.jsonl").read_text(encoding="utf-8").splitlines()
        except OSError:
            return found
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            found[entry["game"]] = entry
        return found

    def wrote(self, path: Path) -> bool:
        """Whether ``path`` holds, unchanged, a harness this run saved."""
        try:
            digest = sha256_text(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return False
        resolved = str(path.resolve())
        return any(e["path"] == resolved and e["sha256"] == digest
                   for e in self.saved().values())
