"""What ``verify --world-model`` finds: three tiers, each a 0–1 score with its contradictions.

A tier's score is the share of its checks that passed. Tiers gate each other as in GameCWM: the
dynamics tier runs only when the static tier is at 1.000, the information tier only when dynamics
is; a gated tier scores 0 and says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

TIERS = ("static", "dynamics", "information")

# Contradiction kinds (what the learn objective groups its examples by).
API = "api"  # a function is missing, has the wrong arity, or the source fails the static checks
TYPE = "type"  # a function returned the wrong kind of value
FAILURE = "model_failure"  # a call raised, timed out or returned something unplain
TRANSITION = "transition_mismatch"  # apply(parse(obs_t), a_t) != parse(obs_t+1)
LEGAL_SET = "legal_set_mismatch"  # legal_actions lists an illegal action or misses a legal one
TERMINAL = "terminal_mismatch"  # is_terminal disagrees with the engine's end of the game
RETURNS = "returns_mismatch"  # returns disagree with the engine's rewards
PLAYER = "player_mismatch"  # current_player disagrees with the engine's player to move
PURITY = "purity"  # a function changed its argument or gave different answers to the same input
VIEWS = "views_conflict"  # two players' observations parse to contradicting states
DETERMINISATION = "determinisation"  # sample_state disagrees with the observation or the rules
KIND_ORDER = (FAILURE, API, TYPE, PURITY, LEGAL_SET, TRANSITION, TERMINAL, RETURNS, PLAYER,
              VIEWS, DETERMINISATION)


@dataclass(frozen=True)
class ModelContradiction:
    """One disagreement between the world model and the engine, with the engine's truth."""

    tier: str
    kind: str
    game: str
    seed: int | None
    step: int | None
    player: int | None
    observation: str  # what the model was given (the player to move's observation)
    action: str | None
    engine: str  # the engine's truth, in words
    model: str  # the model's answer
    next_observation: str | None = None  # the observation after the action, when it matters

    def tail(self, chars: int = 1500) -> str:
        return self.observation[-chars:]


@dataclass
class TierResult:
    name: str
    checks: int = 0
    failures: int = 0
    gated: bool = False
    contradictions: list[ModelContradiction] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    @property
    def score(self) -> float:
        if self.gated:
            return 0.0
        return 1.0 - self.failures / self.checks if self.checks else 1.0

    def summary(self) -> dict[str, Any]:
        return {"score": round(self.score, 6), "checks": self.checks, "failures": self.failures,
                "gated": self.gated, "contradictions": dict(self.counts)}


@dataclass
class WorldModelReport:
    game: str
    seeds: list[int]
    steps: int
    engine: str = "stock"
    defines: list[str] = field(default_factory=list)
    determinised: bool = False  # the file defines sample_state
    tiers: dict[str, TierResult] = field(default_factory=lambda: {t: TierResult(t) for t in TIERS})
    positions: int = 0  # engine positions the model was checked at
    transitions: int = 0
    episodes_finished: int = 0
    engine_stuck: int = 0  # positions where the engine accepts no action but does not end
    engine_errors: int = 0  # the engine raised on a legal-looking action: that lane ended there
    seconds: float = 0.0
    max_contradictions: int = 200
    # per information state (frozen parse_state): how often seen, the true hidden parts, and how
    # often each sampled one was drawn (the information tier's rule check, ``dynamics.py``)
    support: dict = field(default_factory=dict, repr=False)

    def fail(self, tier: str, item: ModelContradiction) -> None:
        result = self.tiers[tier]
        result.failures += 1
        result.counts[item.kind] += 1
        if len(result.contradictions) < self.max_contradictions:
            result.contradictions.append(item)

    def check(self, tier: str, count: int = 1) -> None:
        self.tiers[tier].checks += count

    @property
    def contradictions(self) -> list[ModelContradiction]:
        return [c for tier in TIERS for c in self.tiers[tier].contradictions]

    @property
    def score(self) -> float:
        """The mean of the tier scores (gated tiers count 0): the learn objective's h."""
        return sum(self.tiers[t].score for t in TIERS) / len(TIERS)

    @property
    def clean(self) -> bool:
        return all(not self.tiers[t].gated and self.tiers[t].score == 1.0 for t in TIERS) and (
            self.positions > 0)

    def figures(self) -> dict[str, Any]:
        return {
            "game": self.game, "engine": self.engine, "seeds": len(self.seeds),
            "steps": self.steps, "positions": self.positions, "transitions": self.transitions,
            "episodes_finished": self.episodes_finished, "determinised": self.determinised,
            "engine_stuck": self.engine_stuck, "engine_errors": self.engine_errors,
            **{f"{t}_score": round(self.tiers[t].score, 6) for t in TIERS},
            "clean": self.clean, "seconds": round(self.seconds, 2),
        }

    def to_dict(self, contradictions: int = 20) -> dict[str, Any]:
        return {
            **self.figures(), "defines": self.defines,
            "tiers": {t: self.tiers[t].summary() for t in TIERS},
            "contradictions": [asdict(c) for c in self.contradictions[:contradictions]],
        }
