"""Playing TextArena games with agents whose moves a code harness keeps legal.

- ``agents``: the LLM agent (play prompt, ``parse_move``), offline agents (``harness``,
  ``noisy:P``), TextArena's agent classes, and agent specs (``parse_agent_spec``/``build_agent``).
- ``harnessed``: ``HarnessedAgent`` (verify / filter modes), ``Unwrapped``, ``MoveRecord``.
- ``match``: ``play_games`` (N games, alternating seats), ``MatchResults``, ``MatchLog`` (JSONL).
"""

from autoharness.play.agents import (
    AgentSpec,
    AgentSpecError,
    AgentUnavailable,
    CallableAgent,
    HarnessAgent,
    LLMAgent,
    NoisyAgent,
    PlayAgent,
    Proposal,
    Rejection,
    TextArenaAgent,
    build_agent,
    parse_agent_spec,
    parse_move,
)
from autoharness.play.harnessed import Attempt, HarnessedAgent, MoveRecord, Unwrapped
from autoharness.play.match import (
    GameRecord,
    MatchLog,
    MatchResults,
    SideTotals,
    play_game,
    play_games,
    read_log,
)

__all__ = [
    "AgentSpec",
    "AgentSpecError",
    "AgentUnavailable",
    "Attempt",
    "CallableAgent",
    "GameRecord",
    "HarnessAgent",
    "HarnessedAgent",
    "LLMAgent",
    "MatchLog",
    "MatchResults",
    "MoveRecord",
    "NoisyAgent",
    "PlayAgent",
    "Proposal",
    "Rejection",
    "SideTotals",
    "TextArenaAgent",
    "Unwrapped",
    "build_agent",
    "parse_agent_spec",
    "parse_move",
    "play_game",
    "play_games",
    "read_log",
]
