"""Everything that knows TextArena: the catalogue, hint-free envs and the legality oracle."""

from autoharness.arena.catalogue import (
    GameInfo,
    UnknownGameError,
    benchmark_games,
    benchmark_ids,
    num_players,
    resolve_game,
)
from autoharness.arena.env import GameEnv, StepResult, Verdict

__all__ = [
    "GameEnv",
    "GameInfo",
    "StepResult",
    "UnknownGameError",
    "Verdict",
    "benchmark_games",
    "benchmark_ids",
    "num_players",
    "resolve_game",
]
