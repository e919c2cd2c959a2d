"""Agent specs: ``parse_agent_spec`` reads one from a string, ``build_agent`` builds its agent.

Specs: ``harness``, ``harness-policy``, ``noisy:P``, ``human``, ``mcts[:SIMS|:Ns]`` and
``mcts-engine[:...]`` (planners, ``autoharness/worldmodel/agent.py``),
``textarena:Class[:model]`` and ``provider/model`` (``openai/gpt-4o-mini``,
``gemini/gemini-2.5-flash``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autoharness.play.base import PlayAgent
from autoharness.play.base import first_line as _first_line
from autoharness.play.llm_agent import LLMAgent
from autoharness.play.offline import HarnessAgent, NoisyAgent

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
    if lowered == "noisy" or lowered.startswith("noisy:"):  # not "noisy0.3" (-> unknown)
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


def llm_settings(spec: AgentSpec, max_output_tokens: int | None = None,
                 thinking_budget: int | None = None) -> dict[str, int | None] | None:
    """An LLM agent's output cap and thinking budget, each the given value or the provider's
    default (``llm.default_output_tokens``, ``llm.default_thinking_budget``); None for agents
    that are not a provider model. ``AgentSpecError`` (one line) for a budget the model cannot
    take (``llm.thinking_problem``)."""
    if spec.kind != "llm" or spec.model is None:
        return None
    from autoharness.llm import default_output_tokens, default_thinking_budget, thinking_problem

    cap = max_output_tokens or default_output_tokens(spec.model)
    budget = (default_thinking_budget(spec.model, cap) if thinking_budget is None
              else thinking_budget)
    problem = thinking_problem(spec.model, budget, cap)
    if problem:
        raise AgentSpecError(f"{spec.text}: {problem}")
    return {"max_output_tokens": cap, "thinking_budget": budget}


def build_agent(spec: AgentSpec | str, *, harness: Any = None, seed: int = 0,
                llm_options: dict | None = None, max_tokens: int | None = None,
                temperature: float | None = None) -> PlayAgent:
    """The agent a spec names. ``harness`` (a loaded runtime) serves the offline agents.
    ``max_tokens`` (an LLM's output cap, thinking included) and ``llm_options["thinking_budget"]``
    default per provider (``llm_settings``). Raises ``AgentSpecError`` with one line (a missing
    API key, an unknown class, a thinking budget the model cannot take, ...)."""
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
                         harness_name=getattr(harness, "name", "harness"),
                         engine=getattr(harness, "engine", "stock"))
    if spec.kind == "textarena":
        from autoharness.play.textarena_agents import make_textarena_agent

        return make_textarena_agent(spec.cls or "", spec.model)
    if spec.kind == "human":
        from autoharness.play.human import HumanAgent

        return HumanAgent()
    from autoharness.llm import MissingAPIKey, make_llm

    options = dict(llm_options or {})
    settings = llm_settings(spec, max_tokens, options.get("thinking_budget"))
    if settings is not None:  # Gemini 2.5+ thinks within the cap: a third of it by default
        max_tokens, options["thinking_budget"] = (settings["max_output_tokens"],
                                                  settings["thinking_budget"])
    try:
        llm = make_llm(spec.model or spec.text, **options)
    except MissingAPIKey as error:
        raise AgentEnvironmentError(str(error)) from None
    except ValueError as error:
        raise AgentSpecError(_first_line(error)) from None
    except OSError as error:  # replay/<dir>: no such run, a folder without a log, ...
        where = f" {error.filename}" if error.filename else ""
        raise AgentEnvironmentError(f"{spec.text}: {error.strerror or error}{where}") from None
    return LLMAgent(llm, max_tokens=max_tokens or 4096, temperature=temperature, name=spec.text)
