"""``HarnessPolicyAgent`` (spec ``harness-policy``): the harness as the player.

Each move is the harness's ``choose_action(obs)`` (the policy, written by hand or learned with
``learn --objective policy``). When that call fails (a timeout, an exception, a value that is not a
string) the move falls back to ``propose_action`` and the proposal records the failure, so the
match counts it as a harness failure; a harness without ``choose_action`` is refused up front by
the commands (``require_policy``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from autoharness.play.base import PlayAgent, Proposal, Rejection

POLICY_FUNCTION = "choose_action"


class NoPolicyError(ValueError):
    """The harness has no ``choose_action`` (one line)."""


def require_policy(harness: Any, where: str = "the harness") -> None:
    """Raise ``NoPolicyError`` unless ``harness`` (a loaded runtime) defines the policy."""
    if not harness.defines(POLICY_FUNCTION):
        raise NoPolicyError(f"{where} defines no choose_action(obs): the harness-policy agent "
                            "plays the harness's policy (use --agent harness for propose_action)")


class HarnessPolicyAgent(PlayAgent):
    """The harness's ``choose_action``; ``propose_action`` when that call fails."""

    def __init__(self, harness: Any, seed: int = 0, name: str = "harness-policy") -> None:
        self.harness = harness
        self.seed = seed
        self.name = name
        self.policy_failures = 0

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        from autoharness.harness.runtime import CallFailure

        began = time.perf_counter()
        chosen = self.harness.call(POLICY_FUNCTION, observation)
        if isinstance(chosen, str) and not history:
            return Proposal(chosen, raw=chosen, latency_s=time.perf_counter() - began)
        if isinstance(chosen, CallFailure):
            failure = f"choose_action failed: {chosen}"
        elif isinstance(chosen, str):  # asked again after a rejection: the policy's move was it
            failure = None
        else:
            failure = f"choose_action returned {type(chosen).__name__}, not str"
        self.policy_failures += failure is not None
        proposed = self.harness.propose(observation)
        latency = time.perf_counter() - began
        if isinstance(proposed, CallFailure):
            return Proposal(None, failure=f"{failure or 'choose_action was rejected'}; "
                                          f"propose_action failed too: {proposed}",
                            latency_s=latency, harness_failure=failure or str(proposed))
        return Proposal(proposed, raw=proposed, latency_s=latency, harness_failure=failure)
