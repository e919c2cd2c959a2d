"""The interface every player of ``autoharness play`` offers, and any callable behind it.

Every agent is a TextArena ``Agent`` (a callable ``observation -> action``) and also offers
``propose(observation, player, history, candidates) -> Proposal``: one attempt at a move, with the
reply's tokens, cost and latency, and the rejections of earlier attempts at the same move as
``history`` (so an LLM can be told what was wrong). A failure (an LLM service error, an agent that
raised) never escapes: it comes back as a ``Proposal`` without an action, its ``failure_kind``
saying which: ``fatal`` (a wrong key, an unknown model, a request the provider refuses, an agent
class that cannot call its SDK), ``transient`` (rate limits, 5xx, timeouts, no connection, after
the retries), ``reply`` (an answer with no usable move). An agent whose failure is fatal, or
whose last ``max_failed_calls`` calls all failed transiently, is *unavailable*: the proposal says
so (``Proposal.unavailable``) and the match ends there instead of letting the harness play on.
Agents that call a service have ``preflight()`` (a model lookup), run before any engine time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textarena.core import Agent as TextArenaAgentBase

# ---- proposals ----------------------------------------------------------------------------------


@dataclass
class Proposal:
    """One attempt of an agent at a move."""

    action: str | None  # None: nothing usable (a failure, or a reply without a move)
    raw: str | None = None  # the reply as the agent wrote it (LLM text), when there was one
    failure: str | None = None  # why there is no action
    input_tokens: int = 0
    output_tokens: int = 0
    thinking_tokens: int = 0
    cost_usd: float | None = 0.0  # None: the model's price is unknown
    latency_s: float = 0.0
    failure_kind: str | None = None  # fatal | transient | reply (see the module doc)
    unavailable: str | None = None  # set: the agent cannot play on (why, in one line)
    harness_failure: str | None = None  # a harness call the agent made failed (harness-policy)

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens + self.thinking_tokens


class AgentUnavailable(Exception):
    """A preflight that failed: the agent cannot play (``fatal``: exit 2, else 3)."""

    def __init__(self, message: str, fatal: bool) -> None:
        super().__init__(message)
        self.fatal = fatal


@dataclass(frozen=True)
class Rejection:
    """An earlier attempt at this move and why it was not played: what the agent hears."""

    action: str | None
    raw: str | None
    feedback: str


# ---- the base class -----------------------------------------------------------------------------


class PlayAgent(TextArenaAgentBase):
    """An agent of ``autoharness play``. Subclasses implement ``propose``."""

    name: str = "agent"
    takes_feedback: bool = True  # reads ``history``; plain callables see it in the observation
    max_failed_calls: int = 3  # transient failures in a row that make the agent unavailable
    _failed_in_a_row: int = 0

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        raise NotImplementedError

    def preflight(self) -> None:
        """Raise ``AgentUnavailable`` when the agent's service refuses it; agents without one
        pass."""

    def _judged(self, proposal: Proposal) -> Proposal:
        """Count transient failures in a row; mark the proposal unavailable when the agent is."""
        if proposal.failure_kind == "fatal":
            proposal.unavailable = f"{self.name}: {proposal.failure}"
        elif proposal.failure_kind == "transient":
            self._failed_in_a_row += 1
            if self._failed_in_a_row >= self.max_failed_calls:
                proposal.unavailable = (f"{self.name} failed {self._failed_in_a_row} calls in a "
                                        f"row (last: {proposal.failure})")
        else:
            self._failed_in_a_row = 0
        return proposal

    def __call__(self, observation: str) -> str:
        """TextArena's interface: the action, or the raw reply when no move could be read."""
        proposal = self.propose(observation)
        if proposal.action is not None:
            return proposal.action
        return (proposal.raw or "").strip()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"



def rejection_feedback(action: str | None, reason: str | None = None) -> str:
    """What an agent is told after a rejected attempt."""
    if action is None:
        why = f" ({reason})" if reason else ""
        return (f"Your previous answer could not be used{why}. Think again and answer with one "
                "move inside <move>…</move>.")
    return (f"Your move \"{action}\" was rejected: the game's rules verifier says it is not a "
            "legal move in the current position. Think again about the rules and the position, and "
            "answer with a different, legal move inside <move>…</move>.")


# ---- any callable (TextArena's agents, functions) -----------------------------------------------


def augmented_observation(observation: str, history: Sequence[Rejection],
                          candidates: Sequence[str] | None) -> str:
    """The observation for an agent that only takes a string: candidates and feedback appended."""
    parts = [observation]
    if candidates:
        parts.append("\n\n[HARNESS] Legal moves you can choose from: " + ", ".join(candidates))
    for rejection in history:
        parts.append("\n\n[HARNESS] " + rejection.feedback)
    return "".join(parts)


class CallableAgent(PlayAgent):
    """Any callable ``observation -> action`` (every ``textarena.agents`` agent). It cannot take
    feedback, so rejections (and filter-mode candidates) are appended to the observation."""

    takes_feedback = False

    def __init__(self, fn: Callable[[str], str], name: str | None = None) -> None:
        self.fn = fn
        self.name = name or getattr(fn, "name", None) or type(fn).__name__
        if self.name == "function":
            self.name = getattr(fn, "__name__", "callable")

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        began = time.perf_counter()
        try:
            answer = self.ask(augmented_observation(observation, history, candidates))
        except Exception as error:  # noqa: BLE001 - an agent's failure is counted, never hidden
            from autoharness.play.textarena_agents import classify_agent_error

            failure = classify_agent_error(error)
            return self._judged(Proposal(None, failure=f"agent raised {failure.describe()}",
                                         latency_s=time.perf_counter() - began,
                                         failure_kind=failure.category))
        latency = time.perf_counter() - began
        if not isinstance(answer, str):
            return self._judged(Proposal(None, failure=f"agent returned "
                                         f"{type(answer).__name__}, not str", latency_s=latency,
                                         failure_kind="reply"))
        return self._judged(Proposal(answer, raw=answer, latency_s=latency))

    def ask(self, observation: str) -> Any:
        return self.fn(observation)


def as_agent(agent: Any) -> PlayAgent:
    """``agent`` itself when it is a ``PlayAgent``; any other callable wrapped."""
    if isinstance(agent, PlayAgent):
        return agent
    if not callable(agent):
        raise TypeError(f"an agent must be callable (observation -> action), not {agent!r}")
    return CallableAgent(agent)



def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
