"""The score h of a harness: one number for the learning loop's tree search, from two.

    p = legal proposals / proposals            (lane proposals and diversity samples; a call
                                                that fails counts as an illegal proposal)
    v = (accepted legal probes / legal probes + rejected illegal probes / illegal probes) / 2
                                               (the verifier's balanced agreement with the
                                                engine on every probe; a failed call is a wrong
                                                verdict; with only one class of probe, that
                                                class's rate)
    h = p · v

A harness whose calls raise scores 0 on that half, so 0 overall; a proposer legal on 78% of its
moves with a sound verifier scores ~0.78. A narrow proposer is a contradiction to fix, not a
lower h (all its moves are legal).
"""

from __future__ import annotations

from dataclasses import dataclass

SCORE_FORMULA = ("h = p * v; p = legal proposals / proposals (failures illegal); "
                 "v = (accepted legal probes / legal probes + rejected illegal probes / "
                 "illegal probes) / 2 (failures wrong)")


@dataclass(frozen=True)
class Score:
    proposals: int
    legal_proposals: int
    legal_probes: int
    accepted_legal: int
    illegal_probes: int
    rejected_illegal: int

    @property
    def proposer_legal_rate(self) -> float:
        return self.legal_proposals / self.proposals if self.proposals else 0.0

    @property
    def verifier_agreement(self) -> float:
        rates = []
        if self.legal_probes:
            rates.append(self.accepted_legal / self.legal_probes)
        if self.illegal_probes:
            rates.append(self.rejected_illegal / self.illegal_probes)
        return sum(rates) / len(rates) if rates else 0.0

    @property
    def h(self) -> float:
        return self.proposer_legal_rate * self.verifier_agreement


def card_score(figures: dict, positions: int) -> dict:
    """The score part of a harness card's VERIFIED entry: h, its two numbers, the narrow-proposer
    count, the formula and the probe budget (``positions`` fully probed). Empty for figures
    that hold no score (an old benchmark row)."""
    if figures.get("h") is None:
        return {}
    from autoharness.probes.plan import ProbePlan

    return {"h": round(float(figures["h"]), 6),
            "proposer_legal_rate": round(float(figures["proposer_legal_rate"]), 6),
            "verifier_agreement": round(float(figures["verifier_agreement"]), 6),
            "narrow_proposer": int(figures.get("narrow_proposer") or 0),
            "score_formula": SCORE_FORMULA,
            "probe_budget": ProbePlan(positions=positions).budget()}
