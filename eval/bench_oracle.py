"""How fast are the oracle and the rollout engine, relative to the raw TextArena engine?

For each game: record action traces (untimed) — the library harness's moves, one in ten replaced
by a token from the observation, so rejections are in the mix — then replay the same traces three
ways on one core and time them:
  raw      — the unwrapped engine: ``reset`` + ``get_observation`` + ``step`` (same constructor
             arguments as ours, so no engine-side move listing on either side);
  wrapped  — TextArena's default env for the id (``ta.make``: LLMObservationWrapper builds the
             observation string an agent reads), the usual way to play a game with an agent;
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
from autoharness.harness.library import find_harness
from autoharness.harness.runtime import InProcessHarness

DEFAULT_GAMES = [
    "Chess-v0", "Othello-v0", "Stratego-v0", "2048-v0", "Sudoku-v0", "TicTacToe-v0",
    "ConnectFour-v0", "Poker-v0", "Battleship-v0", "SimpleTak-v0", "Minesweeper-v0", "Snake-v0",
]
_TOKEN = re.compile(r"\[[^\[\]\n]{1,16}\]")


def record_traces(game_id: str, steps: int) -> list[tuple[int, list[str]]]:
    """Episodes as (seed, actions) played by the library harness, with some noise."""
    rng = random.Random(0)
    harness = InProcessHarness(find_harness(game_id).read_text(), seed=0)
    traces, total, episode = [], 0, 0
    while total < steps:
        seed = episode_seed(0, episode)
        env = GameEnv(game_id, seed=seed)
        actions: list[str] = []
        while not env.done and total < steps:
            engine_rng = random.getstate()  # the in-process harness draws from the same stream
            action = harness.propose(env.observation())
            random.setstate(engine_rng)
            if rng.random() < 0.1 or not isinstance(action, str):
                action = rng.choice(_TOKEN.findall(env.observation()[-4000:]) or ["[0]"])
            actions.append(action)
            env.step(action)
            total += 1
        traces.append((seed, actions))
        episode += 1
    return traces


def time_raw(game_id: str, traces, players: int, wrapped: bool = False) -> float:
    overrides = env_overrides(game_id)
    formats = GameEnv(game_id, seed=0).formats_actions and not wrapped
    start = time.perf_counter()
    for seed, actions in traces:
        env = ta.make(game_id, **overrides)
        env = env if wrapped else _innermost(env)
        env.reset(num_players=players, seed=seed)
        for action in actions:
            env.get_observation()
            if formats and "[" not in action and "]" not in action:
                action = f"[{action}]"
            try:
                env.step(action)
            except Exception:  # an engine bug ends the episode here as in the rollout
                break
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
        wrapped = time_raw(game_id, traces, players, wrapped=True)
        oracle, checks = time_oracle(game_id, traces)
        rollout = time_rollout(game_id, traces)
        rows.append({
            "game": game_id, "actions": actions, "episodes": len(traces),
            "raw_steps_per_s": actions / raw,
            "wrapped_steps_per_s": actions / wrapped,
            "oracle_checks_per_s": checks / oracle,
            "rollout_steps_per_s": actions / rollout,
        })
        print(f"{game_id}: raw {actions / raw:,.0f}/s  oracle {checks / oracle:,.0f}/s  "
              f"rollout {actions / rollout:,.0f}/s", flush=True)
    table = pd.DataFrame(rows)
    table["oracle_ratio"] = table.oracle_checks_per_s / table.raw_steps_per_s
    table["rollout_ratio"] = table.rollout_steps_per_s / table.raw_steps_per_s
    table["rollout_vs_wrapped"] = table.rollout_steps_per_s / table.wrapped_steps_per_s
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", default=",".join(DEFAULT_GAMES))
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--out", default=None, help="write the table as Markdown here")
    args = parser.parse_args()
    table = bench(args.games.split(","), args.steps)
    text = table.to_string(index=False, float_format=lambda v: f"{v:,.2f}")
    print(text)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(f"# Oracle and rollout speed vs the raw engine ({args.steps} actions "
                         "per game, one core)\n\n" + READING + "```\n" + text + "\n```\n")


READING = """\
Produced by `python eval/bench_oracle.py --steps 2000 --out eval/oracle-speed.md` (see its
docstring for what each column times). How to read it:

* An oracle check is a copy of the engine plus one step of the copy, with the global `random`
  state saved and restored; its rate is bounded by step / (copy + step). Where the engine's own
  step is expensive (Chess, Othello, Stratego, Minesweeper, Sudoku) the check runs at ≥ 0.5× the
  raw step rate. Where a step costs ~15–25 µs (TicTacToe, ConnectFour, Poker, Snake) the copy and
  the RNG save/restore (~40 µs together) dominate and the ratio falls to 0.16–0.35, i.e. still
  7,000–12,000 checks/s. The copy skips what grows with the game (the message logs, python-chess's
  move stack), so its cost does not grow with game length.
* The rollout builds the hint-free observation string every step (what the agent reads), which
  the raw loop does not. Against TextArena's own wrapped env (`wrapped`, which builds the same
  kind of string), the rollout is 0.66–2.3× as fast; against the bare engine it is 0.85–0.97× on
  the expensive games and 0.45–0.65× on the ~20 µs games, where our per-step work (observation
  text, hint filter, rejection hook, records) is as large as the engine's.

"""


if __name__ == "__main__":
    main()
