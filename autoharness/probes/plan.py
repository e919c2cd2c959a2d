"""What the probe engine needs of a harness, and how much probing a run does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from autoharness.defaults import DEFAULT_STRESS_POSITIONS


class Harness(Protocol):
    """What the probe engine needs of a harness: both runtimes fit."""

    def propose_many(self, observations: list[str]) -> list[Any]: ...
    def evaluate_many(self, observation: str, actions: list[str]) -> list[Any]: ...


@dataclass(frozen=True)
class ProbePlan:
    """How much probing a run does; the budget figures go on the harness card."""

    positions: int = DEFAULT_STRESS_POSITIONS  # fully probed positions over the run (sampled)
    vocabulary_per_position: int = 16
    vocabulary_budget: int | None = None  # vocabulary probes in all; None: positions × per
    diversity_samples: int = 16  # k: extra proposals at a fully probed position
    retry_share: float = 0.25  # fully probed positions also probed after a rejected move there
    new_listed: int = 12  # at every position: newly listed moves probed, at most
    other_listed: int = 2  # ... and this many other listed moves
    continue_after_illegal: bool = True  # False: a lane ends at its first illegal proposal
    list_audit: int = 3  # listed moves the oracle checks anyway at a fully probed position
    substitute_vocabulary: int = 300  # vocabulary actions tried for a lane's substitute
    max_contradictions: int = 200  # kept (counts are complete); shared fairly among kinds
    max_interactions: int | None = None  # stop the run once this many were spent
    alpha: float = 1e-3  # narrow-proposer false-alarm bound per run

    @property
    def vocabulary_total(self) -> int:
        if self.vocabulary_budget is not None:
            return self.vocabulary_budget
        return self.positions * self.vocabulary_per_position

    def budget(self) -> dict[str, int]:
        return {"positions": self.positions, "vocabulary_probes": self.vocabulary_total,
                "diversity_samples": self.diversity_samples, "new_listed": self.new_listed}
