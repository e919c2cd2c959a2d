"""The benchmark's game catalogue and game-name resolution.

The 145 benchmark games are the rows of ``data/paper-games.tsv`` (game id, players, whether the
paper evaluated game play on it, and how many LLM calls the paper's loop needed). Any other
TextArena id is usable too; friendly names (``chess``) resolve to a family's ``-v0`` id.
"""

from __future__ import annotations

import csv
import difflib
import functools
from dataclasses import dataclass
from importlib import resources


class UnknownGameError(ValueError):
    """A game name that names no TextArena id, or names several; the message suggests ids."""


@dataclass(frozen=True)
class GameInfo:
    id: str
    players: int
    paper_gameplay_eval: bool
    paper_llm_calls: int | None

    @property
    def family(self) -> str:
        return family_of(self.id)


def family_of(game_id: str) -> str:
    """``Chess-v0-blind`` → ``Chess``."""
    return game_id.split("-v", 1)[0]


@functools.cache
def benchmark_games() -> tuple[GameInfo, ...]:
    text = resources.files("autoharness.arena").joinpath("data/paper-games.tsv").read_text()
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return tuple(
        GameInfo(
            id=row["game_id"],
            players=int(row["players"]),
            paper_gameplay_eval=row["paper_gameplay_eval"] == "yes",
            paper_llm_calls=int(row["paper_llm_calls"]) if row["paper_llm_calls"] else None,
        )
        for row in rows
    )


@functools.cache
def benchmark_ids() -> tuple[str, ...]:
    return tuple(game.id for game in benchmark_games())


def game_info(game_id: str) -> GameInfo | None:
    return next((game for game in benchmark_games() if game.id == game_id), None)


@functools.cache
def registered_ids() -> tuple[str, ...]:
    """Every TextArena id an agent can play: base ids, without ``-raw``/``-train`` twins."""
    from textarena.envs.registration import ENV_REGISTRY

    return tuple(
        env_id for env_id in ENV_REGISTRY if not env_id.endswith(("-raw", "-train"))
    )


def num_players(game_id: str) -> int:
    """Players the benchmark seats: the catalogue's count, else 2 (multi-seat games play with 2)."""
    info = game_info(game_id)
    if info is not None:
        return info.players
    from textarena.envs.registration import ENV_REGISTRY

    spec = ENV_REGISTRY[game_id]
    entry = spec.entry_point if isinstance(spec.entry_point, str) else spec.entry_point.__module__
    # Single-player envs live in modules whose reset signature defaults num_players to 1.
    return 1 if _defaults_to_one_player(entry) else 2


def _defaults_to_one_player(entry_point: str) -> bool:
    import importlib
    import inspect

    module_path, _, class_name = entry_point.partition(":")
    module = importlib.import_module(module_path)
    env_class = getattr(module, class_name) if class_name else None
    if env_class is None:
        return False
    default = inspect.signature(env_class.reset).parameters.get("num_players")
    return default is not None and default.default == 1


def resolve_game(name: str) -> str:
    """Map what a user types to one TextArena id, or raise UnknownGameError naming close ids.

    Exact ids win; then a case-insensitive id; then a family name (``chess`` → ``Chess-v0``).
    """
    from textarena.envs.registration import ENV_REGISTRY

    if name in ENV_REGISTRY:  # exact ids, -raw and -train twins included
        return name
    ids = registered_ids()
    lowered = name.strip().lower()
    by_lower = {env_id.lower(): env_id for env_id in ids}
    if lowered in by_lower:
        return by_lower[lowered]
    family_hits = sorted({env_id for env_id in ids if family_of(env_id).lower() == lowered})
    base = [env_id for env_id in family_hits if env_id.lower() == f"{lowered}-v0"]
    if base:
        return base[0]
    if len(family_hits) == 1:
        return family_hits[0]
    if family_hits:
        raise UnknownGameError(
            f"'{name}' is ambiguous: it could be {', '.join(family_hits[:6])}"
        )
    close = difflib.get_close_matches(name, ids, n=5, cutoff=0.5)
    close += [
        env_id
        for env_id in difflib.get_close_matches(lowered, list(by_lower), n=5, cutoff=0.5)
        for env_id in [by_lower[env_id]]
        if env_id not in close
    ]
    hint = f"; did you mean {', '.join(close[:5])}?" if close else "; see `autoharness games`"
    raise UnknownGameError(f"unknown game '{name}'{hint}")
