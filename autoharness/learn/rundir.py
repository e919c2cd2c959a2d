"""The run directory: everything a learn run did, written as it happens.

    run.json              the config, the game, the model, the state (running/finished/...)
    nodes/<id>.py         every candidate's source
    nodes/<id>.json       its tree node: parent, score, status, counts, figures
    nodes/<id>.examples.json  the contradictions its children's prompts show (K examples)
    exchanges.jsonl       every LLM exchange (prompt, reply, usage, cost, what the budgets
                          charged), appended on return
    events.jsonl          what the loop did, one line per event

Files are replaced atomically and log lines are flushed and fsynced, so a run killed at any
instant (kill -9 included) is consistent and ``learn --resume`` continues it: a finished LLM call
is never made again, because its reply is in exchanges.jsonl before anything depends on it. A torn
last log line (a write cut by the kill) is cut off when the run is opened for writing (kept in
``<log>.torn``) and skipped when it is only read. Before each call, run.json records the node it
refines and the random stream's state (``pending``, ``rng``), so an interrupted call is asked
again from the same node and the stream goes on as if nothing happened.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from autoharness.harness.verify import Contradiction
from autoharness.learn.config import LearnConfig
from autoharness.learn.tree import Node
from autoharness.llm import EXCHANGES_FILENAME, ExchangeRecord, append_exchange, read_exchanges
from autoharness.llm.replay import append_line, repair_log

EVENTS_FILENAME = "events.jsonl"


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


class RunDir:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.nodes_dir = path / "nodes"

    # -- creation and metadata ------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, config: LearnConfig) -> RunDir:
        if (path / "run.json").exists():
            raise FileExistsError(f"{path} already holds a run; use --resume to continue it")
        run = cls(path)
        run.nodes_dir.mkdir(parents=True, exist_ok=True)
        run.write_meta({"config": config.to_dict(), "state": "running",
                        "created": time.strftime("%Y-%m-%dT%H:%M:%S")})
        return run

    @classmethod
    def open(cls, path: Path, *, repair: bool = False) -> RunDir:
        """The run in ``path``; ``repair`` (to write to it) cuts torn last log lines off."""
        if not (path / "run.json").exists():
            raise FileNotFoundError(f"no learn run at {path}")
        run = cls(path)
        if repair:
            for name in (EXCHANGES_FILENAME, EVENTS_FILENAME):
                repair_log(path / name)
        return run

    def meta(self) -> dict[str, Any]:
        return json.loads((self.path / "run.json").read_text())

    def write_meta(self, meta: dict[str, Any]) -> None:
        _write_atomic(self.path / "run.json", json.dumps(meta, indent=1) + "\n")

    def update_meta(self, **changes: Any) -> None:
        meta = self.meta()
        meta.update(changes)
        self.write_meta(meta)

    def config(self) -> LearnConfig:
        return LearnConfig.from_dict(self.meta()["config"])

    # -- nodes ----------------------------------------------------------------------------
    def save_node(self, node: Node, source: str | None = None) -> None:
        if source is not None:
            _write_atomic(self.nodes_dir / f"{node.id}.py", source)
        _write_atomic(self.nodes_dir / f"{node.id}.json", json.dumps(node.to_dict(), indent=1))

    def save_examples(self, node: Node, examples: list[Contradiction]) -> None:
        data = [asdict(example) for example in examples]
        _write_atomic(self.nodes_dir / f"{node.id}.examples.json", json.dumps(data, indent=1))

    def examples(self, node: Node) -> list[Contradiction]:
        path = self.nodes_dir / f"{node.id}.examples.json"
        if not path.exists():
            return []
        return [Contradiction(**item) for item in json.loads(path.read_text())]

    def source(self, node: Node) -> str | None:
        path = self.nodes_dir / f"{node.id}.py"
        return path.read_text() if path.exists() else None

    def nodes(self) -> list[Node]:
        found = []
        for path in self.nodes_dir.glob("*.json"):
            if path.name.endswith(".examples.json"):
                continue
            found.append(Node.from_dict(json.loads(path.read_text())))
        return sorted(found, key=lambda n: n.id)

    # -- exchanges and events -------------------------------------------------------------
    def append_exchange(self, record: ExchangeRecord) -> None:
        append_exchange(self.path / EXCHANGES_FILENAME, record)

    def exchanges(self) -> list[ExchangeRecord]:
        path = self.path / EXCHANGES_FILENAME
        return read_exchanges(path) if path.exists() else []

    def event(self, kind: str, **data: Any) -> None:
        line = json.dumps({"t": round(time.time(), 3), "event": kind, **data}, default=str)
        append_line(self.path / EVENTS_FILENAME, line + "\n")
