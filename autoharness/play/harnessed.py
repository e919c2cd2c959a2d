"""``HarnessedAgent``: an agent whose moves a code harness checks before the engine sees them.

``mode="verify"`` (the default): the agent proposes, the harness's ``eval_action`` checks; a
rejected proposal is sent back with feedback naming it, up to ``max_retries`` times, after which
the harness plays: its policy ``choose_action`` when the file has one (and its own
``eval_action`` accepts the move), else ``propose_action``. A sound harness therefore never lets an
illegal move reach the engine. ``mode="filter"`` (the paper's action filter): the harness
proposes up to ``k``
distinct actions its ``eval_action`` accepts, and the agent picks one.

The harness is untrusted code: when it hangs or crashes (a ``CallFailure``), the move still
happens — the agent's own proposal is played unverified, and the record says so.

Every move leaves a ``MoveRecord``: each attempt (proposal, verdict, feedback, tokens, cost,
latency), retries, the fallback taken, the final action and, once the match plays it, the
engine's verdict. ``Unwrapped`` gives the same records for an agent playing without a harness.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from textarena.core import Agent as TextArenaAgentBase

from autoharness.play.base import PlayAgent, Proposal, Rejection, as_agent, rejection_feedback

MODES = ("verify", "filter")
RAW_KEEP = 4000  # characters of each raw reply kept in the record

# Fallbacks: how a move was decided when the agent's proposal was not simply accepted.
HARNESS_PROPOSED = "harness_proposed"  # rejections used up: the harness's propose_action played
HARNESS_POLICY = "harness_policy"  # rejections used up: the harness's choose_action played
UNVERIFIED = "unverified"  # the harness failed: the agent's own proposal played unchecked
NO_ACTION = "no_action"  # neither the agent nor the harness produced anything: "" played


@dataclass
class Attempt:
    """One proposal for one move, and what became of it."""

    source: str  # "agent" | "harness"
    action: str | None
    verdict: bool | None = None  # eval_action's answer; None: not checked or the harness failed
    harness_failure: str | None = None
    agent_failure: str | None = None
    agent_failure_kind: str | None = None  # fatal | transient | reply (agents.Proposal)
    feedback: str | None = None  # what the agent was told after this attempt
    raw: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    thinking_tokens: int = 0
    cost_usd: float | None = 0.0
    latency_s: float = 0.0  # the agent's time (the LLM call)
    harness_s: float = 0.0  # the harness's time checking or proposing

    @classmethod
    def of(cls, proposal: Proposal) -> Attempt:
        raw = proposal.raw
        if raw is not None and len(raw) > RAW_KEEP:
            raw = raw[:RAW_KEEP] + "…"
        return cls("agent", proposal.action, agent_failure=proposal.failure,
                   agent_failure_kind=proposal.failure_kind, raw=raw,
                   harness_failure=proposal.harness_failure,
                   input_tokens=proposal.input_tokens, output_tokens=proposal.output_tokens,
                   thinking_tokens=proposal.thinking_tokens, cost_usd=proposal.cost_usd,
                   latency_s=proposal.latency_s)

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens + self.thinking_tokens


@dataclass
class MoveRecord:
    """One move: every attempt, and the action the engine received."""

    agent: str
    mode: str  # verify | filter | none (unwrapped)
    player: int | None
    attempts: list[Attempt] = field(default_factory=list)
    action: str = ""  # what was sent to the engine
    retries: int = 0  # agent attempts after the first
    fallback: str | None = None  # HARNESS_POLICY | HARNESS_PROPOSED | UNVERIFIED | NO_ACTION
    candidates: list[str] | None = None  # filter mode: the harness's legal actions
    latency_s: float = 0.0  # the whole move, agent and harness
    # the agent cannot play on (a fatal provider error, or failures in a row): no action was
    # played and the match ends; never covered by a harness fallback
    unavailable: str | None = None
    # filled in by the match once the engine has judged the action
    engine_legal: bool | None = None
    engine_reason: str | None = None
    engine_error: str | None = None
    game: str | None = None
    game_index: int | None = None
    seed: int | None = None
    turn: int | None = None
    seen: str | None = None  # what was new in the mover's observation since their last turn
    board: str | None = None  # the board the next observation shows, where it draws one

    @property
    def input_tokens(self) -> int:
        return sum(a.input_tokens for a in self.attempts)

    @property
    def output_tokens(self) -> int:
        return sum(a.output_tokens for a in self.attempts)

    @property
    def thinking_tokens(self) -> int:
        return sum(a.thinking_tokens for a in self.attempts)

    @property
    def tokens(self) -> int:
        return sum(a.tokens for a in self.attempts)

    @property
    def cost_usd(self) -> float | None:
        costs = [a.cost_usd for a in self.attempts]
        return None if any(c is None for c in costs) else sum(costs)  # type: ignore[arg-type]

    @property
    def harness_failures(self) -> int:
        return sum(a.harness_failure is not None for a in self.attempts)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(tokens=self.tokens, input_tokens=self.input_tokens,
                    output_tokens=self.output_tokens, thinking_tokens=self.thinking_tokens,
                    cost_usd=self.cost_usd)
        return data


def _failure(result: object) -> str | None:
    from autoharness.harness.runtime import CallFailure

    return str(result) if isinstance(result, CallFailure) else None


def _same_action(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


class _Player(TextArenaAgentBase):
    """What the match asks for a move: ``act(observation, player) -> MoveRecord``."""

    name: str = "agent"
    records: list[MoveRecord]

    def act(self, observation: str, player: int | None = None) -> MoveRecord:
        raise NotImplementedError

    def __call__(self, observation: str) -> str:
        return self.act(observation).action


class Unwrapped(_Player):
    """An agent playing without a harness (the baseline): its proposal goes to the engine as is.
    A proposal that is no action at all (an LLM service failure) is asked again, up to
    ``max_retries`` times, then the raw reply (or "") is sent."""

    def __init__(self, agent: Any, max_retries: int = 3) -> None:
        self.agent = as_agent(agent)
        self.name = self.agent.name
        self.max_retries = max_retries
        self.records: list[MoveRecord] = []

    def act(self, observation: str, player: int | None = None) -> MoveRecord:
        began = time.perf_counter()
        record = MoveRecord(self.name, "none", player)
        history: list[Rejection] = []
        proposal = None
        for _ in range(self.max_retries + 1):
            proposal = self.agent.propose(observation, player, history)
            record.attempts.append(Attempt.of(proposal))
            if proposal.unavailable:
                record.unavailable = proposal.unavailable
                break
            if proposal.action is not None or proposal.raw:
                break  # an answer: the engine judges it, whatever it is
            feedback = rejection_feedback(None, proposal.failure)
            record.attempts[-1].feedback = feedback
            history.append(Rejection(None, None, feedback))
        record.retries = len(record.attempts) - 1
        if record.unavailable:
            pass  # nothing is played: the match ends on this move
        elif proposal is not None and proposal.action is not None:
            record.action = proposal.action
        elif proposal is not None and proposal.raw:
            record.action = proposal.raw.strip()[:RAW_KEEP]
        else:
            record.fallback = NO_ACTION
        record.latency_s = time.perf_counter() - began
        self.records.append(record)
        return record


class HarnessedAgent(_Player):
    """``agent`` (a ``PlayAgent`` or any callable ``observation -> action``) with its moves
    checked by ``harness`` (a loaded ``SandboxedHarness``/``InProcessHarness``, or a path to a
    harness file, loaded sandboxed and closed by ``close()``). Itself a TextArena agent."""

    def __init__(self, agent: Any, harness: Any, max_retries: int = 3, mode: str = "verify",
                 k: int = 5, seed: int | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if max_retries < 0 or k < 1:
            raise ValueError("max_retries must be >= 0 and k >= 1")
        self.agent: PlayAgent = as_agent(agent)
        self.name = self.agent.name
        self._owns_harness = isinstance(harness, str | os.PathLike)
        if self._owns_harness:
            from autoharness.harness.runtime import load_harness

            harness = load_harness(Path(harness), seed=seed)
        self.harness = harness
        self.max_retries = max_retries
        self.mode = mode
        self.k = k
        self.records: list[MoveRecord] = []
        self._policy: bool | None = None  # does the harness define choose_action (asked once)

    def close(self) -> None:
        if self._owns_harness:
            self.harness.close()

    def __enter__(self) -> HarnessedAgent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one move --

    def act(self, observation: str, player: int | None = None) -> MoveRecord:
        began = time.perf_counter()
        record = MoveRecord(self.name, self.mode, player)
        if self.mode == "filter":
            self._filter(observation, player, record)
        else:
            self._verify(observation, player, record, None)
        record.retries = sum(a.source == "agent" for a in record.attempts) - 1
        record.latency_s = time.perf_counter() - began
        self.records.append(record)
        return record

    def _check(self, observation: str, attempt: Attempt) -> bool | None:
        """eval_action on the attempt's action: True/False, or None when the harness failed."""
        began = time.perf_counter()
        verdict = self.harness.evaluate(observation, attempt.action)
        attempt.harness_s += time.perf_counter() - began
        failure = _failure(verdict)
        if failure is not None:
            attempt.harness_failure = f"eval_action failed: {failure}"
            return None
        attempt.verdict = bool(verdict)
        return attempt.verdict

    def _verify(self, observation: str, player: int | None, record: MoveRecord,
                candidates: list[str] | None) -> None:
        history: list[Rejection] = []
        for _ in range(self.max_retries + 1):
            proposal = self.agent.propose(observation, player, history, candidates)
            attempt = Attempt.of(proposal)
            record.attempts.append(attempt)
            if proposal.unavailable:  # no fallback covers it: the match ends on this move
                record.unavailable = proposal.unavailable
                return
            if proposal.action is None:  # an LLM failure or an unreadable reply: a rejection
                attempt.feedback = rejection_feedback(None, proposal.failure)
                history.append(Rejection(None, attempt.raw, attempt.feedback))
                continue
            if candidates is not None and any(_same_action(proposal.action, c)
                                              for c in candidates):
                attempt.verdict = True
                record.action = proposal.action
                return
            verdict = self._check(observation, attempt)
            heard = getattr(self.agent, "hear_verdict", None)
            if heard is not None:  # an agent that shows the verdict (the human at a terminal)
                heard(proposal.action, verdict)
            if verdict is None:  # the harness is broken here: the agent's own move, unchecked
                record.action, record.fallback = proposal.action, UNVERIFIED
                return
            if verdict:
                record.action = proposal.action
                return
            attempt.feedback = rejection_feedback(proposal.action)
            history.append(Rejection(proposal.action, attempt.raw, attempt.feedback))
        self._harness_move(observation, record, candidates)

    def _harness_move(self, observation: str, record: MoveRecord,
                      candidates: list[str] | None) -> None:
        """Rejections used up: the harness plays (a filter-mode candidate, its policy
        ``choose_action`` when it has one and its verifier accepts that move, or
        ``propose_action``)."""
        if candidates:
            record.attempts.append(Attempt("harness", candidates[0], verdict=True))
            record.action, record.fallback = candidates[0], HARNESS_PROPOSED
            return
        if self._policy_move(observation, record):
            return
        last: Attempt | None = None
        for _ in range(3):  # a proposal its own verifier rejects is a harness bug; try again
            began = time.perf_counter()
            proposed = self.harness.propose(observation)
            attempt = Attempt("harness", None, harness_s=time.perf_counter() - began)
            record.attempts.append(attempt)
            failure = _failure(proposed)
            if failure is not None:
                attempt.harness_failure = f"propose_action failed: {failure}"
                break
            attempt.action = proposed
            last = attempt
            if self._check(observation, attempt) is not False:
                break
        if last is not None and last.harness_failure is None:
            record.action, record.fallback = last.action or "", HARNESS_PROPOSED
            return
        # The harness failed: play the agent's last proposal, unchecked (or nothing at all).
        own = [a for a in record.attempts if a.source == "agent" and a.action is not None]
        if own:
            record.action, record.fallback = own[-1].action or "", UNVERIFIED
        elif last is not None:
            record.action, record.fallback = last.action or "", HARNESS_PROPOSED
        else:
            record.action, record.fallback = "", NO_ACTION

    def _has_policy(self) -> bool:
        if self._policy is None:
            defines = getattr(self.harness, "defines", None)
            self._policy = bool(defines is not None and defines("choose_action"))
        return self._policy

    def _policy_move(self, observation: str, record: MoveRecord) -> bool:
        """Play the harness's ``choose_action`` if it has one, the call works and its own
        ``eval_action`` does not reject the move."""
        if not self._has_policy():
            return False
        began = time.perf_counter()
        chosen = self.harness.call("choose_action", observation)
        attempt = Attempt("harness", None, harness_s=time.perf_counter() - began)
        record.attempts.append(attempt)
        failure = _failure(chosen)
        if failure is not None or not isinstance(chosen, str):
            attempt.harness_failure = ("choose_action failed: "
                                       + (failure or f"returned {type(chosen).__name__}"))
            return False
        attempt.action = chosen
        if self._check(observation, attempt) is False:
            return False
        record.action, record.fallback = chosen, HARNESS_POLICY
        return True

    def _filter(self, observation: str, player: int | None, record: MoveRecord) -> None:
        began = time.perf_counter()
        proposed = self.harness.propose_many([observation] * (2 * self.k))
        distinct = list(dict.fromkeys(p for p in proposed if isinstance(p, str)))[:2 * self.k]
        verdicts = self.harness.evaluate_many(observation, distinct) if distinct else []
        candidates = [a for a, v in zip(distinct, verdicts, strict=True) if v is True][:self.k]
        harness_s = time.perf_counter() - began
        record.candidates = candidates
        if not candidates:  # no candidates (the harness failed?): verify mode instead
            failures = [str(p) for p in [*proposed, *verdicts] if _failure(p) is not None]
            if failures:
                record.attempts.append(Attempt("harness", None, harness_s=harness_s,
                                               harness_failure="proposing candidates failed: "
                                                               + failures[0]))
            self._verify(observation, player, record, None)
            return
        self._verify(observation, player, record, candidates)
        if record.attempts:
            record.attempts[0].harness_s += harness_s
