"""What the probe engine reports: one ``Contradiction`` per disagreement with the engine."""

from __future__ import annotations

from dataclasses import dataclass

ILLEGAL_PROPOSAL = "illegal_proposal"  # propose_action returned an action the engine rejects
FALSE_ACCEPT = "false_accept"  # eval_action said True, the engine rejects the action
FALSE_REJECT = "false_reject"  # eval_action said False, the engine accepts the action
HARNESS_FAILURE = "harness_failure"  # a call raised, timed out or returned the wrong type
NARROW_PROPOSER = "narrow_proposer"  # propose_action never produces legal actions it should

KINDS = (HARNESS_FAILURE, ILLEGAL_PROPOSAL, FALSE_ACCEPT, FALSE_REJECT, NARROW_PROPOSER)

# Where a probed action came from (``Contradiction.source`` and the report's probe counts).
SOURCE_PROPOSAL = "proposal"  # the harness's own proposal at the position
SOURCE_LISTED = "listed"  # the engine's own move list (oracle-side, never shown to the harness)
SOURCE_VOCABULARY = "vocabulary"  # an action the engine accepted elsewhere in the run
SOURCE_DIVERSITY = "diversity"  # one of the k extra proposals sampled at the position
SOURCE_STRESS = "stress"  # near misses of the proposal, tokens quoted in the text, malformed
SOURCE_RETRY = "retry"  # asked again after the engine rejected a move (its notice in the text)
SOURCES = (SOURCE_PROPOSAL, SOURCE_LISTED, SOURCE_VOCABULARY, SOURCE_DIVERSITY, SOURCE_STRESS,
           SOURCE_RETRY)


@dataclass(frozen=True)
class Contradiction:
    """One disagreement between the harness and the engine, with what the LLM needs to fix it.

    For a narrow proposer, ``action`` is a legal action it never produced although a proposer
    covering the legal actions would have, ``missing`` more such actions legal at this
    position and ``produced`` what its samples here were."""

    kind: str
    game: str
    seed: int
    step: int
    player: int
    observation: str
    action: str | None
    engine_legal: bool | None
    engine_reason: str | None
    harness_verdict: bool | None  # eval_action's answer, where it gave one
    failure: str | None = None  # the harness's timeout/crash/exception text
    source: str | None = None  # which probe found it (SOURCES); None for a played proposal
    missing: tuple[str, ...] = ()
    produced: tuple[str, ...] = ()
    interactions: int = 0  # interactions the run had spent when this was found
    pattern: str | None = None  # a narrow proposer's test and unit ("never: class bet")

    def tail(self, chars: int = 1500) -> str:
        return self.observation[-chars:]

    @property
    def function(self) -> str:
        """The harness function(s) to fix, by the paper's refine rule: an illegal proposal or a
        narrow proposer is propose_action's, a false reject eval_action's, a false accept both
        (the verifier let it through and a proposer guided by it would play it)."""
        if self.kind in (ILLEGAL_PROPOSAL, NARROW_PROPOSER):
            return "propose_action"
        if self.kind == FALSE_REJECT:
            return "eval_action"
        if self.kind == FALSE_ACCEPT:
            return "propose_action and eval_action"
        return "eval_action" if self.action is not None else "propose_action"
