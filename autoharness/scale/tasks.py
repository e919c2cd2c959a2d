"""The per-game tasks an executor runs (module-level functions of picklable arguments).

A task carries everything it computes from (a harness's source, not a path, where the file lives
with the driver) or checks that the worker sees what the driver sees (the library file's hash),
so a task on another machine of a Ray cluster computes what it would compute here, or says why
it cannot.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from autoharness.bench.runner import _file_hash as file_sha256  # the cache key's own hash
from autoharness.bench.tasks import GameTask, harness_file, run_game


def bench_row(task: GameTask, harness_sha256: str | None) -> dict[str, Any]:
    """``run_game(task)``, after checking that the harness file this worker would use is the one
    the driver hashed (a cluster node with another checkout would measure another file)."""
    if harness_sha256 is not None:
        try:
            here = file_sha256(harness_file(task))
        except Exception:  # noqa: BLE001 - run_game reports the library's problem itself
            here = harness_sha256
        if here != harness_sha256:
            import socket

            return {"game": task.game, "agent": task.agent, "engine": task.engine,
                    "status": "error",
                    "error": f"the harness file this worker ({socket.gethostname()}) finds for "
                             f"{task.game} differs from the driver's (sha256 "
                             f"{(here or 'none')[:12]} vs {harness_sha256[:12]}): every Ray node "
                             "needs the same autoharness checkout"}
    return run_game(task)


def bench_row_of_source(task: GameTask, source: str, file_name: str) -> dict[str, Any]:
    """The benchmark row of a harness given as source (a learned one, whose file is the
    driver's): ``run_game`` on a private copy, the row naming ``file_name``."""
    with tempfile.TemporaryDirectory(prefix="autoharness-check-") as folder:
        path = Path(folder) / file_name
        path.write_text(source, encoding="utf-8")
        row = run_game(replace(task, harness=str(path)))
    row.pop("harness_path", None)
    if row.get("harness"):
        row["harness"] = file_name
    return row


def prompt_context(game: str, seed: int, seed_source: str | None) -> tuple[str, str | None]:
    """The rules and the mid-game observation every prompt of a learn run shows (one rollout;
    the run's seed harness proposes only if no engine-listed move is found)."""
    from autoharness.learn.loop import _Proposer
    from autoharness.learn.position import rules_and_mid_game

    with _Proposer(game, seed_source) as proposer:
        return rules_and_mid_game(game, seed, propose=proposer)
