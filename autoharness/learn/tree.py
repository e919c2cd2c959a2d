"""The tree of code candidates and REx's Thompson-sampling choice of which one to refine.

Each node's score h ∈ [0, 1]; a node refined N times draws θ ~ Beta(1 + C·h, 1 + C·(1 − h) + N),
and the node with the largest draw is refined next. Good nodes get refined often, but every
refinement of a node lowers its odds, so the search keeps exploring other branches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np


@dataclass
class Node:
    id: int
    parent: int | None
    score: float | None = None  # h; None until evaluated
    refined: int = 0  # children asked of the LLM from this node (successful or not)
    status: str = "pending"  # pending | evaluated | invalid (no code / failed checks)
    problem: str | None = None  # why it is invalid
    counts: dict[str, int] = field(default_factory=dict)  # contradictions by kind
    figures: dict[str, Any] = field(default_factory=dict)  # the evaluation's verify figures
    confirmed: bool = False
    llm_call: int | None = None  # the exchange that produced it (None: root)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        return cls(**data)


def thompson_choice(nodes: list[Node], exploration: float, rng: np.random.Generator) -> Node:
    """The evaluated node to refine next."""
    candidates = [n for n in nodes if n.status == "evaluated" and n.score is not None]
    if not candidates:
        raise ValueError("no evaluated node to refine")
    scores = np.array([n.score for n in candidates], dtype=float)
    refined = np.array([n.refined for n in candidates], dtype=float)
    draws = rng.beta(1 + exploration * scores, 1 + exploration * (1 - scores) + refined)
    return candidates[int(np.argmax(draws))]


def best_node(nodes: list[Node]) -> Node | None:
    evaluated = [n for n in nodes if n.status == "evaluated" and n.score is not None]
    return max(evaluated, key=lambda n: (n.confirmed, n.score, n.id), default=None)
