"""The probe engine's report: counts, the score's parts, the contradictions found."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from autoharness.arena.profiles import DEFAULT_PROFILE
from autoharness.probes.kinds import Contradiction
from autoharness.probes.score import SCORE_FORMULA, Score


@dataclass
class ProbeReport:
    game: str
    seeds: list[int]
    steps: int
    actions: int = 0  # lane positions where propose_action was asked (and the oracle judged it)
    illegal_actions: int = 0  # ... whose answer was illegal or a failure
    episodes_finished: int = 0
    harness_failures: int = 0  # calls that raised, timed out or returned the wrong type
    slow_calls: int = 0  # calls refused because the harness went over its time budget
    slow: str | None = None  # the runtime's cut-off message, when it did
    engine: str = DEFAULT_PROFILE  # the engine profile measured on (arena/profiles.py)
    engine_errors: int = 0  # proposals the engine raises on (illegal; in illegal_actions)
    illegal_stuck: int = 0  # illegal proposals where no legal action was known (harness/stuck)
    illegal_undecidable: int = 0  # illegal forced guesses the observation could not decide
    stress_engine_errors: int = 0  # probes the engine raises on (judged illegal)
    stress_checks: int = 0  # verifier verdicts compared with the engine (every probe source)
    stress_legal: int = 0  # ... on actions the engine accepts
    false_accepts: int = 0  # on verdicts the observation decides
    false_rejects: int = 0  # on verdicts the observation decides
    engine_error_accepts: int = 0  # false accepts of actions the engine raises on (in the above)
    undecidable_false_accepts: int = 0  # on verdicts the observation cannot decide: apart
    undecidable_false_rejects: int = 0
    accepted_legal: int = 0
    rejected_illegal: int = 0
    proposals: int = 0  # lane proposals plus diversity samples
    legal_proposals: int = 0
    narrow_proposer: int = 0  # narrow-proposer findings
    probes_by_source: dict[str, int] = field(default_factory=dict)
    substitutions: int = 0  # lane steps played with a known legal action instead of the proposal
    lanes_stuck: int = 0  # lanes that ended because no legal action was known
    positions_probed: int = 0  # positions given the full probe (lists, vocabulary, diversity)
    retry_positions: int = 0  # ... of them also probed after a rejected move (SOURCE_RETRY)
    listed_positions: int = 0  # positions where the engine listed its moves
    list_errors: int = 0  # listed moves the oracle rejected (templates such as "[bet X]")
    vocabulary_size: int = 0
    vocabulary_probes: int = 0
    vocabulary_budget: int = 0
    diversity_samples: int = 0  # k
    oracle_checks: int = 0  # engine copies stepped to judge an action
    interactions: int = 0  # harness answers compared with the engine (proposals and verdicts)
    first_found: dict[str, int] = field(default_factory=dict)  # kind -> interactions so far
    elapsed_s: float = 0.0
    contradictions: list[Contradiction] = field(default_factory=list)
    contradiction_counts: dict[str, int] = field(default_factory=dict)

    @property
    def legal_rate(self) -> float:
        return (self.actions - self.illegal_actions) / self.actions if self.actions else 0.0

    @property
    def false_reject_rate(self) -> float:
        return self.false_rejects / self.stress_legal if self.stress_legal else 0.0

    @property
    def avoidable_illegal_actions(self) -> int:
        """Illegal actions apart from forced guesses on undecidable verdicts."""
        return self.illegal_actions - self.illegal_undecidable

    @property
    def score(self) -> Score:
        """h and its parts; verdicts the observation cannot decide are not scored."""
        return Score(self.proposals - self.illegal_undecidable, self.legal_proposals,
                     self.stress_legal - self.undecidable_false_rejects, self.accepted_legal,
                     self.stress_checks - self.stress_legal - self.undecidable_false_accepts,
                     self.rejected_illegal)

    @property
    def clean(self) -> bool:
        """No illegal action (forced guesses on undecidable verdicts apart), no false accept or
        reject on a decidable verdict, no harness failure, no narrow proposer."""
        return (self.actions > 0 and self.avoidable_illegal_actions == 0
                and self.false_accepts == 0 and self.false_rejects == 0
                and self.harness_failures == 0 and self.narrow_proposer == 0
                and self.slow is None)

    def figures(self) -> dict[str, Any]:
        """The machine-readable per-game figures (``--json``, the benchmark table, cards)."""
        score = self.score
        return {
            "game": self.game, "legal_rate": self.legal_rate, "actions": self.actions,
            "illegal_actions": self.illegal_actions, "episodes_finished": self.episodes_finished,
            "false_accepts": self.false_accepts, "false_rejects": self.false_rejects,
            "false_reject_rate": self.false_reject_rate, "stress_checks": self.stress_checks,
            "stress_legal": self.stress_legal, "harness_failures": self.harness_failures,
            "slow_calls": self.slow_calls, "engine": self.engine,
            "engine_errors": self.engine_errors, "illegal_stuck": self.illegal_stuck,
            "illegal_undecidable": self.illegal_undecidable,
            "stress_engine_errors": self.stress_engine_errors,
            "engine_error_accepts": self.engine_error_accepts,
            "undecidable_false_accepts": self.undecidable_false_accepts,
            "undecidable_false_rejects": self.undecidable_false_rejects,
            "narrow_proposer": self.narrow_proposer,
            "proposer_legal_rate": score.proposer_legal_rate,
            "verifier_agreement": score.verifier_agreement, "h": score.h,
            "proposals": self.proposals, "substitutions": self.substitutions,
            "lanes_stuck": self.lanes_stuck, "positions_probed": self.positions_probed,
            "retry_positions": self.retry_positions,
            "listed_positions": self.listed_positions, "list_errors": self.list_errors,
            "probes_by_source": dict(self.probes_by_source),
            "vocabulary_size": self.vocabulary_size,
            "vocabulary_probes": self.vocabulary_probes,
            "vocabulary_budget": self.vocabulary_budget,
            "diversity_samples": self.diversity_samples, "oracle_checks": self.oracle_checks,
            "interactions": self.interactions, "elapsed_s": round(self.elapsed_s, 3),
        }

    def to_dict(self, contradictions: int = 20) -> dict[str, Any]:
        data = self.figures()
        data["seeds"] = self.seeds
        data["steps"] = self.steps
        data["score_formula"] = SCORE_FORMULA
        data["contradiction_counts"] = dict(self.contradiction_counts)
        data["first_found"] = dict(self.first_found)
        data["slow"] = self.slow
        data["contradictions"] = [asdict(c) for c in self.contradictions[:contradictions]]
        return data
