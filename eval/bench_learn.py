"""How many engine interactions per second does the learning loop get through?

For each game, with the library harness as the candidate and everything in one run:
  raw      — the unwrapped engine stepping the same actions (no observations, no checks);
  rollout  — the rollout engine (``arena.rollout.play``) driving the sandboxed harness, lanes in
             lockstep, one batched harness call per round;
  loop     — the loop's evaluation of a candidate (``learn.evaluate``): the same rollouts plus the
             verifier probed with the stress mix, each probe a step of an engine copy.
Interactions are actions played plus oracle checks. Ratios are against the rollout engine and
against the raw engine, measured in the same run.

    python eval/bench_learn.py [--games TicTacToe-v0,Chess-v0] [--envs 10] [--steps 1000]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
from bench_oracle import time_raw  # eval/ is on sys.path when this script runs

from autoharness.arena.catalogue import num_players
from autoharness.arena.rollout import episode_seed, play
from autoharness.harness.library import find_harness
from autoharness.harness.runtime import SandboxedHarness
from autoharness.harness.verify import harness_policy
from autoharness.learn.config import LearnConfig
from autoharness.learn.evaluate import evaluate

DEFAULT_GAMES = ["TicTacToe-v0", "ConnectFour-v0", "Chess-v0", "Othello-v0", "Poker-v0",
                 "2048-v0", "Nim-v0", "Battleship-v0"]


def bench_game(game: str, envs: int, steps: int) -> dict:
    source = find_harness(game).read_text()
    seeds = list(range(envs))
    with SandboxedHarness(source, name=game, seed=0) as harness:
        started = time.perf_counter()
        records = list(play(game, seeds, steps, harness_policy(harness)))
        rollout_s = time.perf_counter() - started
    raw_s = replay_raw(game, records)
    config = LearnConfig(game=game, model="none", envs=envs, steps=steps)
    started = time.perf_counter()
    result = evaluate(source, config, seeds, name=game)
    loop_s = time.perf_counter() - started
    return {
        "game": game, "actions": len(records),
        "raw_steps_per_s": len(records) / raw_s,
        "rollout_steps_per_s": len(records) / rollout_s,
        "loop_interactions_per_s": result.engine_steps / loop_s,
        "loop_actions": result.figures["actions"],
        "loop_oracle_checks": result.figures["stress_checks"],
    }


def replay_raw(game: str, records) -> float:
    """Seconds the bare engine takes for the same episodes and actions (``bench_oracle``'s
    replay, so both tables time the raw engine the same way)."""
    episodes: dict[tuple[int, int], list[str]] = {}
    for record in records:
        episodes.setdefault((record.seed, record.episode), []).append(record.action)
    traces = [(episode_seed(seed, episode), actions)
              for (seed, episode), actions in episodes.items()]
    return time_raw(game, traces, num_players(game))


READING = """\
Produced by `python eval/bench_learn.py --out eval/learn-speed.md`, one process for the engine
plus the harness's sandbox worker. `loop_interactions_per_s` counts actions played plus oracle
checks of the stress probe (each a step of an engine copy) during the loop's evaluation of a
candidate (the library harness here). `loop_vs_rollout` compares it with the rollout engine
driving the same sandboxed harness without the probe; `rollout_vs_raw` compares that rollout with
the bare engine replaying the same actions. The gap to the raw engine is the harness itself (its
own parsing of the observation, e.g. python-chess rebuilding the board, plus a sandbox round trip
per round of 10 lanes), not the loop's bookkeeping.

"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", default=",".join(DEFAULT_GAMES))
    parser.add_argument("--envs", type=int, default=10)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--out", default=None, help="write the table as Markdown here")
    args = parser.parse_args()
    rows = [bench_game(game, args.envs, args.steps) for game in args.games.split(",")]
    table = pd.DataFrame(rows)
    table["loop_vs_rollout"] = table.loop_interactions_per_s / table.rollout_steps_per_s
    table["rollout_vs_raw"] = table.rollout_steps_per_s / table.raw_steps_per_s
    text = table.to_string(index=False, float_format=lambda v: f"{v:,.2f}")
    print(text)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(f"# Learning-loop throughput ({args.envs} envs × {args.steps} steps)\n\n"
                         + READING + f"```\n{text}\n```\n")


if __name__ == "__main__":
    main()
