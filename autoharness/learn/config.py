"""Everything a learn run is parameterised by; stored in the run directory for resuming."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class LearnConfig:
    game: str
    model: str
    envs: int = 10  # parallel rollout lanes per evaluation (the paper: 10)
    steps: int = 1000  # actions per lane; a lane stops at its first illegal proposal
    probe_positions: int = 200  # positions per evaluation where eval_action is stress-tested
    examples: int = 5  # contradictions shown to the LLM per refinement (K)
    exploration: float = 10.0  # REx's C: how much a node's score counts in Thompson sampling
    max_llm_calls: int = 50
    max_cost: float | None = None  # dollars
    max_tokens: int | None = None  # input + output tokens over the run
    max_minutes: float | None = None
    max_output_tokens: int = 8192  # per LLM call, thinking included (the provider's cap)
    thinking_budget: int | None = None  # Gemini thinking budget / Claude extended thinking
    price: tuple[float, float] | None = None  # dollars per million input, output tokens
    max_failed_calls: int = 3  # provider failures in a row (after retries) before stopping
    temperature: float | None = 1.0
    timeout: float = 1.0  # per harness call
    seed: int = 0
    confirm_seed: int = 10_000  # confirmation runs use fresh seeds from here
    engine: str = "stock"  # the engine profile evaluations run on (arena/profiles.py)
    objective: str = "legality"  # what is learned: learn/objectives.py (--objective)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LearnConfig:
        known = {f.name for f in fields(cls)}
        data = dict(data)
        if "reply_tokens" in data:  # the name before max_output_tokens
            data.setdefault("max_output_tokens", data.pop("reply_tokens"))
        if data.get("price") is not None:
            data["price"] = tuple(float(x) for x in data["price"])
        return cls(**{k: v for k, v in data.items() if k in known})

    #: What ``learn --resume`` may change: the budgets.
    BUDGETS = ("max_llm_calls", "max_cost", "max_tokens", "max_minutes", "max_output_tokens",
               "max_failed_calls", "price")
