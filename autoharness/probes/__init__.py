"""The probe engine: how ``learn``, ``verify`` and ``bench`` judge a harness against the engine.

One implementation of the probes and one score. Lanes of play where every proposal is judged by
the oracle and an illegal one is followed by a known legal action (``engine.py``); the verifier
asked about the proposal, the engine's own move lists (oracle-side, ``arena/movelists.py``), the
run's vocabulary of accepted actions and a stress mix of near misses (``candidates.py``); the
proposer sampled k times at probed positions to see whether it covers the legal actions
(``coverage.py``); h from the proposer's legal rate and the verifier's agreement (``score.py``).
"""

from autoharness.probes.engine import Harness, ProbePlan, run_probes
from autoharness.probes.kinds import (
    FALSE_ACCEPT,
    FALSE_REJECT,
    HARNESS_FAILURE,
    ILLEGAL_PROPOSAL,
    KINDS,
    NARROW_PROPOSER,
    SOURCES,
    Contradiction,
)
from autoharness.probes.report import ProbeReport
from autoharness.probes.score import SCORE_FORMULA, Score

__all__ = [
    "FALSE_ACCEPT", "FALSE_REJECT", "HARNESS_FAILURE", "ILLEGAL_PROPOSAL", "KINDS",
    "NARROW_PROPOSER", "SCORE_FORMULA", "SOURCES", "Contradiction", "Harness", "ProbePlan",
    "ProbeReport", "Score", "run_probes",
]
