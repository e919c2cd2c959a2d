"""The players of ``autoharness play``: an LLM agent for any provider model, offline stand-ins, and
TextArena's own agent classes, all behind one interface, plus agent specs parsed from strings.

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

Specs (``parse_agent_spec``): ``harness``, ``noisy:P``, ``mcts[:SIMS|:Ns]`` and
``mcts-engine[:...]`` (planners, ``autoharness/worldmodel/agent.py``),
``textarena:Class[:model]`` and ``provider/model`` (``openai/gpt-4o-mini``,
``gemini/gemini-2.5-flash``, ...).
"""

from __future__ import annotations

import random
import re
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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


# ---- parsing a reply ----------------------------------------------------------------------------

_MOVE_TAG = re.compile(r"<move>(.*?)</move>", re.IGNORECASE | re.DOTALL)
_BRACKETED = re.compile(r"\[[^\[\]\n]*\]")


def parse_move(text: str | None) -> str | None:
    """The move in a reply: the content of the *last* non-empty ``<move>…</move>`` tag, else the
    last bracketed action ``[...]``, else None."""
    if not text:
        return None
    tagged = [m.strip() for m in _MOVE_TAG.findall(text) if m.strip()]
    if tagged:
        return tagged[-1]
    bracketed = [m for m in _BRACKETED.findall(text) if m.strip("[] ")]
    return bracketed[-1] if bracketed else None


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


# ---- the LLM agent ------------------------------------------------------------------------------

PLAY_SYSTEM_PROMPT = """\
You are an expert player of text-based games, playing a game run by a game engine.
The engine describes the game, its rules and its current state in the observation.
Moves must follow the game's rules and the action format the game asks for (often a move in \
square brackets, like [e2e4] or [4]); an illegal or malformed move is penalised and can lose the \
game.
Think through the position step by step first. Then end your reply with exactly one move, written \
in the game's action format inside move tags, for example: <move>[e2e4]</move>"""

OBSERVATION_START = "<observation>"
OBSERVATION_END = "</observation>"


def play_prompt(observation: str, player: int | None) -> str:
    """The user turn of the play prompt: role, player id and the observation."""
    who = (f"You are Player {player} in this game." if player is not None
           else "You are the player to move in this game.")
    return (f"{who} It is your turn.\n\nHere is everything the game has told you so far:\n"
            f"{OBSERVATION_START}\n{observation}\n{OBSERVATION_END}\n\n"
            "Think about the current position and the rules, then give your move as "
            "<move>YOUR MOVE</move>.")


def candidates_prompt(candidates: Sequence[str]) -> str:
    listed = "\n".join(f"- {c}" for c in candidates)
    return ("A rules checker found these legal moves in the current position; choose one of "
            f"them, copied exactly, inside <move>…</move>:\n{listed}")


def rejection_feedback(action: str | None, reason: str | None = None) -> str:
    """What an agent is told after a rejected attempt."""
    if action is None:
        why = f" ({reason})" if reason else ""
        return (f"Your previous answer could not be used{why}. Think again and answer with one "
                "move inside <move>…</move>.")
    return (f"Your move \"{action}\" was rejected: the game's rules verifier says it is not a "
            "legal move in the current position. Think again about the rules and the position, and "
            "answer with a different, legal move inside <move>…</move>.")


class LLMAgent(PlayAgent):
    """A provider model playing through the play prompt; replies are read with ``parse_move``."""

    def __init__(self, llm: Any, *, max_tokens: int = 4096, temperature: float | None = None,
                 system_prompt: str = PLAY_SYSTEM_PROMPT, name: str | None = None) -> None:
        self.llm = llm
        self.name = name or getattr(llm, "name", "llm")
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.system_prompt = system_prompt

    def messages(self, observation: str, player: int | None, history: Sequence[Rejection],
                 candidates: Sequence[str] | None) -> list[dict[str, str]]:
        first = play_prompt(observation, player)
        if candidates:
            first += "\n\n" + candidates_prompt(candidates)
        turns = [{"role": "system", "content": self.system_prompt},
                 {"role": "user", "content": first}]
        for rejection in history:
            if rejection.raw:
                turns.append({"role": "assistant", "content": rejection.raw})
                turns.append({"role": "user", "content": rejection.feedback})
            else:  # the model never answered: tell it in the last user turn
                turns[-1] = {"role": "user",
                             "content": turns[-1]["content"] + "\n\n" + rejection.feedback}
        return turns

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        return self._judged(self._propose(observation, player, history, candidates))

    def preflight(self) -> None:
        from autoharness.llm import preflight

        failure = preflight(self.llm)
        if failure is not None:
            raise AgentUnavailable(f"{self.name}: {failure.describe()}", failure.fatal)

    def _propose(self, observation: str, player: int | None, history: Sequence[Rejection],
                 candidates: Sequence[str] | None) -> Proposal:
        began = time.perf_counter()
        try:
            reply = self.llm.complete(self.messages(observation, player, history, candidates),
                                      max_tokens=self.max_tokens, temperature=self.temperature)
        except Exception as error:  # noqa: BLE001 - a client bug is counted, never hidden
            return Proposal(None, failure=f"llm raised {type(error).__name__}: {error}",
                            cost_usd=0.0, latency_s=time.perf_counter() - began,
                            failure_kind="transient")
        usage = reply.usage
        proposal = Proposal(None, raw=reply.text or None, input_tokens=usage.input_tokens,
                            output_tokens=usage.output_tokens,
                            thinking_tokens=usage.thinking_tokens, cost_usd=reply.cost_usd,
                            latency_s=reply.latency_s or time.perf_counter() - began)
        tagged = _MOVE_TAG.findall(reply.text or "")
        if reply.failure is not None and not (reply.failure.kind == "truncated" and tagged):
            proposal.failure = f"llm {reply.failure}"
            proposal.failure_kind = reply.failure.category
            return proposal
        proposal.action = parse_move(reply.text)
        if proposal.action is None:
            proposal.failure = "the reply holds no <move>…</move> tag and no [bracketed] action"
            proposal.failure_kind = "reply"
        return proposal


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


def __getattr__(name: str) -> Any:  # TextArena's agents moved to textarena_agents.py
    if name in ("TextArenaAgent", "make_textarena_agent", "classify_agent_error",
                "dry_run_problem"):
        from autoharness.play import textarena_agents

        return getattr(textarena_agents, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def as_agent(agent: Any) -> PlayAgent:
    """``agent`` itself when it is a ``PlayAgent``; any other callable wrapped."""
    if isinstance(agent, PlayAgent):
        return agent
    if not callable(agent):
        raise TypeError(f"an agent must be callable (observation -> action), not {agent!r}")
    return CallableAgent(agent)


# ---- offline agents -----------------------------------------------------------------------------


def _failed(result: object) -> bool:
    from autoharness.harness.runtime import CallFailure

    return isinstance(result, CallFailure)


class HarnessAgent(PlayAgent):
    """A random legal player: the harness's ``propose_action``."""

    def __init__(self, harness: Any, seed: int = 0, name: str = "harness") -> None:
        self.harness = harness
        self.name = name
        self.rng = random.Random(seed)

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        began = time.perf_counter()
        if candidates:
            action = self.rng.choice(list(candidates))
            return Proposal(action, raw=action, latency_s=time.perf_counter() - began)
        result = self.harness.propose(observation)
        latency = time.perf_counter() - began
        if _failed(result):
            return Proposal(None, failure=f"harness propose_action failed: {result}",
                            latency_s=latency)
        return Proposal(result, raw=result, latency_s=latency)


_MALFORMED = ("I will make my move now.", "[]", "[???]", "<move></move>", "pass", "[move]",
              "Let me think about the best move here.", "[0 0 0 0 0]", "[z9z9]", "[-1]")


class NoisyAgent(PlayAgent):
    """A stand-in for an unreliable LLM: with probability ``p`` it proposes a plausible illegal
    action — a mutation of a legal action, an action it played in an earlier position, or
    malformed text — that the harness's own ``eval_action`` rejects (no oracle involved); otherwise
    a legal one from ``propose_action``. Seeded; it ignores feedback, as a bad model might."""

    def __init__(self, harness: Any, p: float, seed: int = 0, name: str | None = None) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"noisy:P needs 0 <= P <= 1, not {p}")
        self.harness = harness
        self.p = p
        self.rng = random.Random(seed)
        self.name = name or f"noisy:{p:g}"
        self.seen: deque[str] = deque(maxlen=32)  # earlier legal proposals, for stale moves
        self.illegal_proposed = 0

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        began = time.perf_counter()
        noisy = self.rng.random() < self.p
        if candidates and not noisy:
            action: str | None = self.rng.choice(list(candidates))
        else:
            legal = self.harness.propose(observation)
            action = None if _failed(legal) else legal
            if action is not None and action not in self.seen:
                self.seen.append(action)
            if noisy:
                bad = self._illegal(observation, action)
                if bad is not None:
                    self.illegal_proposed += 1
                    action = bad
        latency = time.perf_counter() - began
        if action is None:
            return Proposal(None, failure="harness propose_action failed", latency_s=latency)
        return Proposal(action, raw=action, latency_s=latency)

    def _illegal(self, observation: str, legal: str | None) -> str | None:
        """A plausible action the harness rejects here, or None when none was found."""
        pools = []
        if legal is not None:
            pools.append([self._mutate(legal) for _ in range(8)])
        pools.append([a for a in self.seen if a != legal])
        pools.append(list(_MALFORMED))
        first = self.rng.choice(range(len(pools)))
        for pool in pools[first:] + pools[:first]:
            pool = list(dict.fromkeys(a for a in pool if a))
            self.rng.shuffle(pool)
            pool = pool[:8]
            if not pool:
                continue
            verdicts = self.harness.evaluate_many(observation, pool)
            rejected = [a for a, v in zip(pool, verdicts, strict=True)
                        if v is False]  # a failed call says nothing about legality
            if rejected:
                return rejected[0]
        return None

    def _mutate(self, action: str) -> str:
        """A near miss: one digit or letter changed, a bracket dropped, or a token repeated."""
        chars = list(action)
        spots = [i for i, c in enumerate(chars) if c.isalnum()]
        if not spots:
            return action + "?"
        i = self.rng.choice(spots)
        c = chars[i]
        roll = self.rng.random()
        if roll < 0.7:
            if c.isdigit():
                chars[i] = str(self.rng.choice([d for d in range(10) if str(d) != c]))
            elif c.isalpha():
                pool = "abcdefgh" if c.islower() else "ABCDEFGH"
                chars[i] = self.rng.choice([x for x in pool if x != c] or ["z"])
            return "".join(chars)
        if roll < 0.85:
            return "".join(chars).replace("[", "(").replace("]", ")")
        return "".join(chars[:i + 1] + chars[i:])


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# ---- specs --------------------------------------------------------------------------------------


class AgentSpecError(ValueError):
    """An agent spec that names no agent, or an agent that cannot be built (one line).
    ``exit_code``: 2 for a wrong spec, 3 when the environment is missing something (an API key,
    a file the agent reads)."""

    exit_code = 2


class AgentEnvironmentError(AgentSpecError):
    """The spec is fine but the environment cannot serve it (no API key, an unreadable file)."""

    exit_code = 3


@dataclass(frozen=True)
class AgentSpec:
    kind: str  # harness | harness-policy | noisy | mcts | mcts-engine | textarena | llm | human
    text: str
    p: float = 0.0  # noisy
    cls: str | None = None  # textarena
    model: str | None = None  # textarena model, or the LLM's provider/model
    options: dict = field(default_factory=dict, compare=False)

    @property
    def needs_harness(self) -> bool:
        """Does building this agent take the game's harness (the offline agents)?"""
        return self.kind in ("harness", "harness-policy", "noisy", "mcts", "mcts-engine")


SPEC_HELP = ("harness, harness-policy, noisy:P (0<=P<=1), human, mcts[:SIMS|:SECONDSs], "
             "mcts-engine[:...], textarena:Class[:model], or provider/model "
             "(e.g. openai/gpt-4o-mini, gemini/gemini-2.5-flash, anthropic/claude-haiku-4-5)")


def parse_agent_spec(text: str) -> AgentSpec:
    """``harness`` | ``noisy:P`` | ``human`` | ``textarena:Class[:model]`` |
    ``provider/model``."""
    raw = (text or "").strip()
    lowered = raw.lower()
    if lowered == "harness":
        return AgentSpec("harness", raw)
    if lowered == "harness-policy":
        return AgentSpec("harness-policy", raw)
    if lowered == "human":
        return AgentSpec("human", raw)
    from autoharness.worldmodel.agent import parse_mcts_spec

    planner = parse_mcts_spec(raw)
    if planner is not None:  # mcts[:SIMS|:Ns], mcts-engine[:...] (autoharness/worldmodel/agent.py)
        return AgentSpec(planner[0], raw, options={"budget": planner[1]})
    if lowered.startswith("noisy"):
        _, _, value = raw.partition(":")
        try:
            p = float(value) if value.strip() else 0.5
        except ValueError:
            raise AgentSpecError(f"noisy:P needs a probability, not {value!r}") from None
        if not 0.0 <= p <= 1.0:
            raise AgentSpecError(f"noisy:P needs 0 <= P <= 1, not {value}")
        return AgentSpec("noisy", raw, p=p)
    if lowered.startswith("textarena:"):
        parts = raw.split(":", 2)
        cls = parts[1].strip()
        model = parts[2].strip() if len(parts) > 2 and parts[2].strip() else None
        if not cls:
            raise AgentSpecError("textarena:Class[:model] needs a class, e.g. "
                                 "textarena:OpenRouterAgent:openai/gpt-4o-mini")
        return AgentSpec("textarena", raw, cls=cls, model=model)
    if "/" in raw:
        from autoharness.llm import parse_spec

        try:
            provider, model = parse_spec(raw)
        except ValueError as error:
            raise AgentSpecError(_first_line(error)) from None
        return AgentSpec("llm", raw, model=f"{provider}/{model}")
    raise AgentSpecError(f"unknown agent {raw!r}; an agent is {SPEC_HELP}")


def build_agent(spec: AgentSpec | str, *, harness: Any = None, seed: int = 0,
                llm_options: dict | None = None, max_tokens: int = 4096,
                temperature: float | None = None) -> PlayAgent:
    """The agent a spec names. ``harness`` (a loaded runtime) serves the offline agents.
    Raises ``AgentSpecError`` with one line (a missing API key, an unknown class, ...)."""
    if isinstance(spec, str):
        spec = parse_agent_spec(spec)
    if spec.needs_harness and harness is None:
        raise AgentSpecError(f"the {spec.text} agent plays through the game's harness, and "
                             "there is none")
    if spec.kind == "harness":
        return HarnessAgent(harness, seed=seed)
    if spec.kind == "harness-policy":
        from autoharness.play.policy_agent import HarnessPolicyAgent

        return HarnessPolicyAgent(harness, seed=seed)
    if spec.kind == "noisy":
        return NoisyAgent(harness, spec.p, seed=seed, name=spec.text)
    if spec.kind in ("mcts", "mcts-engine"):
        from autoharness.worldmodel.agent import EngineMCTSAgent, MCTSAgent

        budget = spec.options["budget"]
        if spec.kind == "mcts-engine":
            return EngineMCTSAgent(harness, budget, seed=seed, name=spec.text)
        return MCTSAgent(harness.source, budget, seed=seed, name=spec.text,
                         harness_name=getattr(harness, "name", "harness"))
    if spec.kind == "textarena":
        from autoharness.play.textarena_agents import make_textarena_agent

        return make_textarena_agent(spec.cls or "", spec.model)
    if spec.kind == "human":
        from autoharness.play.human import HumanAgent

        return HumanAgent()
    from autoharness.llm import MissingAPIKey, default_thinking_budget, make_llm

    options = dict(llm_options or {})
    try:
        if options.get("thinking_budget") is None:  # Gemini 2.5+: thinking shares the cap
            options["thinking_budget"] = default_thinking_budget(spec.model or spec.text,
                                                                 max_tokens)
        llm = make_llm(spec.model or spec.text, **options)
    except MissingAPIKey as error:
        raise AgentEnvironmentError(str(error)) from None
    except ValueError as error:
        raise AgentSpecError(_first_line(error)) from None
    except OSError as error:  # replay/<dir>: no such run, a folder without a log, ...
        where = f" {error.filename}" if error.filename else ""
        raise AgentEnvironmentError(f"{spec.text}: {error.strerror or error}{where}") from None
    return LLMAgent(llm, max_tokens=max_tokens, temperature=temperature, name=spec.text)
