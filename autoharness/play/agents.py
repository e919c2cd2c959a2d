"""The players of ``autoharness play``, gathered from the modules that each do one job:

- ``base``: the interface (``PlayAgent``, ``Proposal``, ``Rejection``, ``AgentUnavailable``) and
  any callable as an agent (``CallableAgent``, ``as_agent``);
- ``llm_agent``: the LLM agent, its prompt and ``parse_move``;
- ``offline``: the ``harness`` and ``noisy:P`` agents;
- ``specs``: agent specs (``parse_agent_spec``, ``build_agent``);
- ``textarena_agents``: TextArena's own agent classes (loaded on first use).
"""

from __future__ import annotations

from typing import Any

from autoharness.play.base import (
    AgentUnavailable,
    CallableAgent,
    PlayAgent,
    Proposal,
    Rejection,
    as_agent,
    augmented_observation,
    first_line,
    rejection_feedback,
)
from autoharness.play.llm_agent import (
    OBSERVATION_END,
    OBSERVATION_START,
    PLAY_SYSTEM_PROMPT,
    LLMAgent,
    candidates_prompt,
    parse_move,
    play_prompt,
)
from autoharness.play.offline import HarnessAgent, NoisyAgent
from autoharness.play.specs import (
    SPEC_HELP,
    AgentEnvironmentError,
    AgentSpec,
    AgentSpecError,
    build_agent,
    parse_agent_spec,
)

_first_line = first_line  # the name textarena_agents used before the split

__all__ = [
    "OBSERVATION_END",
    "OBSERVATION_START",
    "PLAY_SYSTEM_PROMPT",
    "SPEC_HELP",
    "AgentEnvironmentError",
    "AgentSpec",
    "AgentSpecError",
    "AgentUnavailable",
    "CallableAgent",
    "HarnessAgent",
    "LLMAgent",
    "NoisyAgent",
    "PlayAgent",
    "Proposal",
    "Rejection",
    "as_agent",
    "augmented_observation",
    "build_agent",
    "candidates_prompt",
    "parse_agent_spec",
    "parse_move",
    "play_prompt",
    "rejection_feedback",
]


def __getattr__(name: str) -> Any:  # TextArena's agents moved to textarena_agents.py
    if name in ("TextArenaAgent", "make_textarena_agent", "classify_agent_error",
                "dry_run_problem"):
        from autoharness.play import textarena_agents

        return getattr(textarena_agents, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


