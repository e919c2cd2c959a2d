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
from autoharness.play.render import latest_board
from autoharness.worldmodel.live import live_env

SAFETY_TURNS = 5000  # actions per game when no cap is given (a game that never ends)
SEEN_KEEP = 6000  # characters of what a mover saw kept in its record (the log)


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
    # win | draw | loss (multi-player) | reward (1 player) | unfinished | error | unavailable
    outcome: str
    turns: int  # actions sent to the engine
    reason: str | None = None  # the engine's word on how it ended
    engine_error: str | None = None
    seconds: float = 0.0
    unavailable: str | None = None  # a side could not play on: why (the game ended there)

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
    failed_calls: int = 0  # attempts whose agent call failed (provider or agent error)
    unavailable: str | None = None  # the agent could not play on: why
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
        self.moves += record.unavailable is None  # an unavailable seat's move was never played
        self.illegal_to_engine += record.engine_legal is False
        self.retries += record.retries
        if record.fallback:
            self.fallbacks += 1
            self.fallback_kinds[record.fallback] = self.fallback_kinds.get(record.fallback, 0) + 1
        self.harness_failures += record.harness_failures
        self.failed_calls += sum(a.agent_failure_kind in ("fatal", "transient")
                                 for a in record.attempts)
        self.unavailable = self.unavailable or record.unavailable
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
    requested: int = 0  # games asked for; fewer are played when a side became unavailable

    def results(self) -> dict:
        """The agent's results: wins/draws/losses, or 1-player rewards."""
        counts = {k: sum(g.outcome == k for g in self.games)
                  for k in ("win", "draw", "loss", "unfinished", "error", "unavailable")}
        not_played = max(0, self.requested - len(self.games))
        if self.players == 1:
            rewards = [g.agent_reward for g in self.games if g.agent_reward is not None]
            return {"rewards": rewards,
                    "mean_reward": sum(rewards) / len(rewards) if rewards else None,
                    "unfinished": counts["unfinished"], "error": counts["error"],
                    "unavailable": counts["unavailable"], "not_played": not_played}
        return {"wins": counts["win"], "draws": counts["draw"], "losses": counts["loss"],
                "unfinished": counts["unfinished"], "error": counts["error"],
                "unavailable": counts["unavailable"], "not_played": not_played}

    def opponent_results(self) -> dict | None:
        if self.opponent is None:
            return None
        mine = self.results()
        return {"wins": mine["losses"], "draws": mine["draws"], "losses": mine["wins"],
                "unfinished": mine["unfinished"], "error": mine["error"],
                "unavailable": mine["unavailable"], "not_played": mine["not_played"]}

    def to_dict(self) -> dict:
        def side(totals: SideTotals | None, results: dict | None) -> dict | None:
            if totals is None:
                return None
            return {"name": totals.name, "wrapped": totals.wrapped, "results": results,
                    "moves": totals.moves, "illegal_to_engine": totals.illegal_to_engine,
                    "retries": totals.retries, "fallbacks": totals.fallbacks,
                    "fallback_kinds": totals.fallback_kinds,
                    "harness_failures": totals.harness_failures,
                    "failed_calls": totals.failed_calls, "unavailable": totals.unavailable,
                    "tokens": totals.tokens,
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
             engine_error: str | None, unavailable: str | None = None) -> str:
    if unavailable is not None:
        return "unavailable"
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
              players: int | None = None, engine: str = "stock") -> GameRecord:
    """One game: ``seats[p]`` plays for player ``p``, on the ``engine`` profile."""
    began = time.perf_counter()
    env = GameEnv(game_id, seed=seed, players=players or len(seats), engine=engine)
    turns, engine_error, unavailable = 0, None, None
    limit = max_turns if max_turns else SAFETY_TURNS
    shown: dict[int, int] = {}  # characters of each seat's observation already seen
    while not env.done and turns < limit:
        player = env.current_player
        observation = env.observation()
        with live_env(env):  # for agents that plan on the engine itself (mcts-engine)
            record = seats[player].act(observation, player)
        if record.unavailable:  # the seat cannot play on: the game ends here, nothing played
            unavailable = record.unavailable
            record.game, record.game_index, record.seed, record.turn = game_id, index, seed, turns
            if on_move is not None:
                on_move(record)
            break
        result = env.step(record.action)
        record.engine_legal, record.engine_reason = result.legal, result.reason
        record.engine_error = engine_error = result.engine_error
        record.game, record.game_index, record.seed, record.turn = game_id, index, seed, turns
        start = shown.get(player, 0)
        record.seen = observation[start if start <= len(observation) else 0:][-SEEN_KEEP:]
        shown[player] = len(observation)
        if not env.done:
            record.board = latest_board(env.observation())
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
                      _outcome(rewards, agent_seat, env.num_players, done, engine_error,
                               unavailable), turns,
                      str(reason) if reason is not None else None, engine_error,
                      time.perf_counter() - began, unavailable)


def play_games(game_id: str, agent: Any, opponent: Any = None, *, games: int = 1,
               seed: int = 0, max_turns: int | None = None, max_retries: int = 3,
               players: int | None = None,
               on_move: Callable[[MoveRecord, str], None] | None = None,
               on_game: Callable[[GameRecord], None] | None = None,
               engine: str = "stock") -> MatchResults:
    """Play ``games`` games on seeds ``seed, seed+1, …``, alternating the agent's seat.

    ``agent`` and ``opponent`` are ``HarnessedAgent``s, ``Unwrapped`` agents, any agents or
    callables ``observation -> action`` (played unwrapped), or agent specs (``"harness"``,
    ``"noisy:0.3"``, ``"openai/gpt-4o-mini"``; an offline agent plays through the library's
    harness for the game, loaded here and closed at the end). A multi-player game needs an
    opponent. ``on_move(record, side)`` sees every move once the engine judged it (``side`` is
    "agent" or "opponent"), ``on_game(record)`` every finished game. ``engine`` is the engine
    profile (``arena/profiles.py``: stock or fixed)."""
    from autoharness.arena.catalogue import num_players, resolve_game

    game_id = resolve_game(game_id)
    n = players or num_players(game_id)
    with _SpecAgents(game_id) as specs:
        me = as_player(specs.build(agent, seed), max_retries)
        them = (as_player(specs.build(opponent, seed + 1_000_003), max_retries)
                if opponent is not None and n > 1 else None)
        if n > 1 and them is None:
            raise ValueError(f"{game_id} has {n} players: give an opponent")
        return _play_all(game_id, me, them, n, games=games, seed=seed, max_turns=max_turns,
                         on_move=on_move, on_game=on_game, engine=engine)


class _SpecAgents:
    """Agents built from spec strings for ``play_games``, and the harness they share."""

    def __init__(self, game_id: str) -> None:
        self.game_id = game_id
        self.harness: Any = None

    def build(self, agent: Any, seed: int) -> Any:
        if not isinstance(agent, str):
            return agent
        from autoharness.play.agents import build_agent, parse_agent_spec

        spec = parse_agent_spec(agent)
        if spec.needs_harness and self.harness is None:
            from autoharness.harness.library import find_harness
            from autoharness.harness.runtime import load_harness

            path = find_harness(self.game_id)
            if path is None:
                raise ValueError(f"no harness serves {self.game_id}, and the {agent} agent plays "
                                 "through one")
            self.harness = load_harness(path, seed=seed)
        return build_agent(spec, harness=self.harness, seed=seed)

    def __enter__(self) -> _SpecAgents:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.harness is not None:
            self.harness.close()


def _play_all(game_id: str, me: _Player, them: _Player | None, n: int, *, games: int, seed: int,
              max_turns: int | None, on_move: Callable[[MoveRecord, str], None] | None,
              on_game: Callable[[GameRecord], None] | None,
              engine: str = "stock") -> MatchResults:
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
                         max_turns=max_turns, on_move=on_this_move, players=n, engine=engine)
        records.append(game)
        if on_game is not None:
            on_game(game)
        if game.unavailable is not None:  # no fallback plays for a side that cannot: stop
            break
    return MatchResults(game_id, n, records, mine, theirs, requested=games)


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
