"""Playing N games of one game between an agent and an opponent, on hint-free ``GameEnv``s.

Game ``i`` is played on seed ``seed + i``. In a 2-player game the agent takes seat 0 in even
games and seat 1 in odd ones (in general seat ``i % players``); the opponent plays every other
seat. One ``GameEnv`` per game; whoever holds ``current_player`` is asked for the move, so an
engine that lets a player resubmit after an invalid move asks the same player again.

Each move's ``MoveRecord`` gets the engine's verdict and is passed to ``on_move`` (the JSONL log);
``MatchResults`` adds them up per side: results, illegal moves that reached the engine, retries,
fallbacks, tokens and cost.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from autoharness.arena import GameEnv
from autoharness.play.harnessed import MoveRecord, Unwrapped, _Player

SAFETY_TURNS = 5000  # actions per game when no cap is given (a game that never ends)


def as_player(agent: Any, max_retries: int = 3) -> _Player:
    """A ``HarnessedAgent``/``Unwrapped`` as is; any other agent or callable, unwrapped."""
    return agent if isinstance(agent, _Player) else Unwrapped(agent, max_retries)


@dataclass
class GameRecord:
    index: int
    seed: int
    agent_seat: int
    players: int
    rewards: dict[int, float] | None
    outcome: str  # win | draw | loss (multi-player) | reward (1 player) | unfinished | error
    turns: int  # actions sent to the engine
    reason: str | None = None  # the engine's word on how it ended
    engine_error: str | None = None
    seconds: float = 0.0

    @property
    def agent_reward(self) -> float | None:
        return None if self.rewards is None else self.rewards.get(self.agent_seat)


@dataclass
class SideTotals:
    """One side's figures over all games."""

    name: str
    wrapped: bool
    moves: int = 0
    illegal_to_engine: int = 0  # actions the engine rejected
    retries: int = 0
    fallbacks: int = 0
    fallback_kinds: dict[str, int] = field(default_factory=dict)
    harness_failures: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    thinking_tokens: int = 0
    cost_usd: float = 0.0
    cost_unknown_moves: int = 0  # moves with a reply whose price is unknown
    latency_s: float = 0.0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens + self.thinking_tokens

    def add(self, record: MoveRecord) -> None:
        self.moves += 1
        self.illegal_to_engine += record.engine_legal is False
        self.retries += record.retries
        if record.fallback:
            self.fallbacks += 1
            self.fallback_kinds[record.fallback] = self.fallback_kinds.get(record.fallback, 0) + 1
        self.harness_failures += record.harness_failures
        self.input_tokens += record.input_tokens
        self.output_tokens += record.output_tokens
        self.thinking_tokens += record.thinking_tokens
        cost = record.cost_usd
        if cost is None:
            self.cost_unknown_moves += 1
            cost = sum(a.cost_usd or 0.0 for a in record.attempts)
        self.cost_usd += cost
        self.latency_s += record.latency_s


@dataclass
class MatchResults:
    game_id: str
    players: int
    games: list[GameRecord]
    agent: SideTotals
    opponent: SideTotals | None  # None in 1-player games

    def results(self) -> dict:
        """The agent's results: wins/draws/losses, or 1-player rewards."""
        counts = {k: sum(g.outcome == k for g in self.games)
                  for k in ("win", "draw", "loss", "unfinished", "error")}
        if self.players == 1:
            rewards = [g.agent_reward for g in self.games if g.agent_reward is not None]
            return {"rewards": rewards,
                    "mean_reward": sum(rewards) / len(rewards) if rewards else None,
                    "unfinished": counts["unfinished"], "error": counts["error"]}
        return {"wins": counts["win"], "draws": counts["draw"], "losses": counts["loss"],
                "unfinished": counts["unfinished"], "error": counts["error"]}

    def opponent_results(self) -> dict | None:
        if self.opponent is None:
            return None
        mine = self.results()
        return {"wins": mine["losses"], "draws": mine["draws"], "losses": mine["wins"],
                "unfinished": mine["unfinished"], "error": mine["error"]}

    def to_dict(self) -> dict:
        def side(totals: SideTotals | None, results: dict | None) -> dict | None:
            if totals is None:
                return None
            return {"name": totals.name, "wrapped": totals.wrapped, "results": results,
                    "moves": totals.moves, "illegal_to_engine": totals.illegal_to_engine,
                    "retries": totals.retries, "fallbacks": totals.fallbacks,
                    "fallback_kinds": totals.fallback_kinds,
                    "harness_failures": totals.harness_failures, "tokens": totals.tokens,
                    "input_tokens": totals.input_tokens, "output_tokens": totals.output_tokens,
                    "thinking_tokens": totals.thinking_tokens,
                    "cost_usd": round(totals.cost_usd, 8),
                    "cost_complete": totals.cost_unknown_moves == 0,
                    "latency_s": round(totals.latency_s, 4)}

        return {"game": self.game_id, "players": self.players,
                "agent": side(self.agent, self.results()),
                "opponent": side(self.opponent, self.opponent_results()),
                "games": len(self.games), "per_game": [asdict(g) for g in self.games]}


def _outcome(rewards: dict[int, float] | None, seat: int, players: int, done: bool,
             engine_error: str | None) -> str:
    if engine_error is not None and not rewards:
        return "error"
    if not done or not rewards or seat not in rewards:
        return "unfinished"
    if players == 1:
        return "reward"
    mine = rewards[seat]
    best_other = max(v for p, v in rewards.items() if p != seat) if len(rewards) > 1 else None
    if best_other is None or mine == best_other:
        return "draw"
    return "win" if mine > best_other else "loss"


def play_game(game_id: str, seats: Sequence[_Player], seed: int, *, agent_seat: int = 0,
              index: int = 0, max_turns: int | None = None,
              on_move: Callable[[MoveRecord], None] | None = None,
              players: int | None = None) -> GameRecord:
    """One game: ``seats[p]`` plays for player ``p``."""
    began = time.perf_counter()
    env = GameEnv(game_id, seed=seed, players=players or len(seats))
    turns, engine_error = 0, None
    limit = max_turns if max_turns else SAFETY_TURNS
    while not env.done and turns < limit:
        player = env.current_player
        record = seats[player].act(env.observation(), player)
        result = env.step(record.action)
        record.engine_legal, record.engine_reason = result.legal, result.reason
        record.engine_error = engine_error = result.engine_error
        record.game, record.game_index, record.seed, record.turn = game_id, index, seed, turns
        turns += 1
        if on_move is not None:
            on_move(record)
    try:
        rewards, info = env.close()
    except Exception as error:  # noqa: BLE001 - an engine bug at the end of a game
        rewards, info = None, {}
        engine_error = engine_error or f"close raised {type(error).__name__}: {error}"
    rewards = {int(k): float(v) for k, v in rewards.items()} if rewards else None
    reason = None
    if isinstance(info, dict):
        seat_info = info.get(agent_seat) or next(iter(info.values()), None)
        if isinstance(seat_info, dict):
            reason = seat_info.get("reason")
    done = env.done
    return GameRecord(index, seed, agent_seat, env.num_players, rewards,
                      _outcome(rewards, agent_seat, env.num_players, done, engine_error), turns,
                      str(reason) if reason is not None else None, engine_error,
                      time.perf_counter() - began)


def play_games(game_id: str, agent: Any, opponent: Any = None, *, games: int = 1,
               seed: int = 0, max_turns: int | None = None, max_retries: int = 3,
               players: int | None = None,
               on_move: Callable[[MoveRecord, str], None] | None = None,
               on_game: Callable[[GameRecord], None] | None = None) -> MatchResults:
    """Play ``games`` games on seeds ``seed, seed+1, …``, alternating the agent's seat.

    ``agent`` and ``opponent`` are ``HarnessedAgent``s, ``Unwrapped`` agents, or any agents or
    callables ``observation -> action`` (played unwrapped). A multi-player game needs an
    opponent. ``on_move(record, side)`` sees every move once the engine judged it (``side`` is
    "agent" or "opponent"), ``on_game(record)`` every finished game."""
    from autoharness.arena.catalogue import num_players

    n = players or num_players(game_id)
    me = as_player(agent, max_retries)
    them = as_player(opponent, max_retries) if opponent is not None and n > 1 else None
    if n > 1 and them is None:
        raise ValueError(f"{game_id} has {n} players: give an opponent")
    mine = SideTotals(me.name, not isinstance(me, Unwrapped))
    theirs = SideTotals(them.name, not isinstance(them, Unwrapped)) if them else None

    def moved(record: MoveRecord, side: SideTotals, label: str) -> None:
        side.add(record)
        if on_move is not None:
            on_move(record, label)

    records: list[GameRecord] = []
    for i in range(games):
        seat = i % n
        seats: list[_Player] = [me if p == seat else them for p in range(n)]  # type: ignore[misc]

        def on_this_move(record: MoveRecord, seat: int = seat) -> None:
            if record.player == seat:
                moved(record, mine, "agent")
            else:
                moved(record, theirs, "opponent")  # type: ignore[arg-type]

        game = play_game(game_id, seats, seed + i, agent_seat=seat, index=i,
                         max_turns=max_turns, on_move=on_this_move, players=n)
        records.append(game)
        if on_game is not None:
            on_game(game)
    return MatchResults(game_id, n, records, mine, theirs)


class MatchLog:
    """The per-move JSONL log: one ``{"type": "move", ...}`` line per move (every attempt,
    verdict, fallback, tokens, cost, latency, the engine's verdict) and one ``{"type": "game",
    ...}`` line per finished game. Lines are flushed as they are written."""

    def __init__(self, path: Path, header: dict | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = self.path.open("w", encoding="utf-8")
        if header is not None:
            self._write({"type": "match", **header})

    def _write(self, obj: dict) -> None:
        self._file.write(json.dumps(obj, default=str) + "\n")
        self._file.flush()

    def move(self, record: MoveRecord, side: str | None = None) -> None:
        self._write({"type": "move", "side": side, **record.to_dict()})

    def game(self, record: GameRecord) -> None:
        self._write({"type": "game", **asdict(record)})

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> MatchLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_log(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
