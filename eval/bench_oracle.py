"""How fast are the oracle and the rollout engine, relative to the raw TextArena engine?

For each game: record mostly-legal action traces (untimed), then replay the same traces three
ways on one core and time them:
  raw      — the unwrapped engine: ``reset`` + ``get_observation`` + ``step`` (same constructor
             arguments as ours, so no engine-side move listing on either side);
  oracle   — ``GameEnv.is_legal`` on every position of the trace (a copy + a step each);
  rollout  — ``arena.rollout.play`` replaying the trace (hint-free history, detection, resets).
Rates are actions per second; ratios are against the raw rate measured in the same run.

    python eval/bench_oracle.py [--games Chess-v0,...] [--steps 2000] [--out eval/oracle-speed.md]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Sequence

import pandas as pd
import textarena as ta

from autoharness.arena import GameEnv
from autoharness.arena.env import _innermost
from autoharness.arena.hints import env_overrides
from autoharness.arena.rollout import episode_seed, play

DEFAULT_GAMES = [
    "Chess-v0", "Othello-v0", "Stratego-v0", "2048-v0", "Sudoku-v0", "TicTacToe-v0",
    "ConnectFour-v0", "Poker-v0", "Battleship-v0", "SimpleTak-v0", "Minesweeper-v0", "Snake-v0",
]
_TOKEN = re.compile(r"\[[^\[\]\n]{1,16}\]")


def record_traces(game_id: str, steps: int) -> list[tuple[int, list[str]]]:
    """Episodes as (seed, actions): tokens from the engine's own text, preferring legal ones."""
    rng = random.Random(0)
    traces, total, episode = [], 0, 0
    while total < steps:
        seed = episode_seed(0, episode)
        env = GameEnv(game_id, seed=seed, strip_hints=False)
        actions: list[str] = []
        while not env.done and total < steps:
            candidates = _TOKEN.findall(env.observation()[-4000:]) or ["[0]"]
            rng.shuffle(candidates)
            legal = next((c for c in candidates[:8] if env.is_legal(c).legal), None)
            action = legal if legal and rng.random() < 0.9 else rng.choice(candidates)
            actions.append(action)
            env.step(action)
            total += 1
        traces.append((seed, actions))
        episode += 1
    return traces


def time_raw(game_id: str, traces, players: int) -> float:
    overrides = env_overrides(game_id)
    formats = GameEnv(game_id, seed=0).formats_actions
    start = time.perf_counter()
    for seed, actions in traces:
        env = _innermost(ta.make(game_id, **overrides))
        env.reset(num_players=players, seed=seed)
        for action in actions:
            env.get_observation()
            if formats and "[" not in action and "]" not in action:
                action = f"[{action}]"
            env.step(action)
    return time.perf_counter() - start


def time_oracle(game_id: str, traces) -> tuple[float, int]:
    elapsed, checks = 0.0, 0
    for seed, actions in traces:
        env = GameEnv(game_id, seed=seed)
        for action in actions:
            start = time.perf_counter()
            env.is_legal(action)
            elapsed += time.perf_counter() - start
            checks += 1
            env.step(action)
    return elapsed, checks


def time_rollout(game_id: str, traces) -> float:
    elapsed = 0.0
    for seed, actions in traces:
        start = time.perf_counter()
        for _record in play(game_id, [seed], len(actions), _replay(actions)):
            pass
        elapsed += time.perf_counter() - start
    return elapsed


def _replay(actions: list[str]):
    queue = iter(actions)
    return lambda requests: [next(queue) for _request in requests]


def bench(games: Sequence[str], steps: int) -> pd.DataFrame:
    rows = []
    for game_id in games:
        traces = record_traces(game_id, steps)
        actions = sum(len(a) for _, a in traces)
        players = GameEnv(game_id, seed=0).num_players
        # play() starts each lane at episode_seed(seed, 0) == seed, one episode per call here.
        raw = time_raw(game_id, traces, players)
        oracle, checks = time_oracle(game_id, traces)
        rollout = time_rollout(game_id, traces)
        rows.append({
            "game": game_id, "actions": actions, "episodes": len(traces),
            "raw_steps_per_s": actions / raw,
            "oracle_checks_per_s": checks / oracle,
            "rollout_steps_per_s": actions / rollout,
        })
        print(f"{game_id}: raw {actions / raw:,.0f}/s  oracle {checks / oracle:,.0f}/s  "
              f"rollout {actions / rollout:,.0f}/s", flush=True)
    table = pd.DataFrame(rows)
    table["oracle_ratio"] = table.oracle_checks_per_s / table.raw_steps_per_s
    table["rollout_ratio"] = table.rollout_steps_per_s / table.raw_steps_per_s
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", default=",".join(DEFAULT_GAMES))
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--out", default=None, help="write the table as Markdown here")
    args = parser.parse_args()
    table = bench(args.games.split(","), args.steps)
    text = table.to_markdown(index=False, floatfmt=",.2f") if _has_tabulate() else table.to_string()
    print(text)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(f"# Oracle and rollout speed vs the raw engine ({args.steps} actions "
                         "per game, one core)\n\n" + text + "\n")


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
