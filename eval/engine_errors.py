"""Where does the TextArena engine raise? A fuzzer over the benchmark games.

For each game the library harness plays every seat (``propose_action``) for seeds × steps; at
every position the oracle judges a fuzz mix of actions — more of the harness's proposals, near
misses of the proposal (numbers set to 0, -1, 99 or a huge value, a coordinate pair made the same
square, the bare action word, tokens dropped or repeated), the bracketed tokens of the
observation, the run's vocabulary and malformed strings. Every verdict whose ``engine_error`` is
set (the engine raised) is recorded, with the exception and an example action; so is every played
action the engine raised on. Run it on both engine profiles to see which crashes the fixes remove.

    python eval/engine_errors.py [--games paper|ID,...] [--seeds 2] [--steps 200]
        [--engine stock] [--jobs 2] [--out eval/engine-errors.md]

Each finished game is journalled next to ``--out`` (``.jsonl``), so a killed run resumes.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import json
import multiprocessing
import random
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from autoharness.arena import GameEnv, benchmark_ids
from autoharness.arena.rollout import episode_seed
from autoharness.harness.library import find_harness
from autoharness.harness.runtime import InProcessHarness

_TOKEN = re.compile(r"\[[^\[\]\n]{1,30}\]")
_NUMBER = re.compile(r"-?\d+")
_CELL = re.compile(r"(?<![A-Za-z])[A-Za-z]\d{1,2}(?!\d)")
_SQUARES = re.compile(r"([a-z])(\d{1,2})([a-z])(\d{1,2})", re.IGNORECASE)
_MALFORMED = ["", "[]", "[ ]", "[[", "]", "[-1 -1]", "[999999999999 0]", "[0,0]", "[a]",
              "[" + "9" * 40 + "]", "[\x00]", "[é]", "[0 0 0 0 0 0 0 0]", "[-]"]


def fuzz(action: str, rng: random.Random) -> list[str]:
    found = []
    numbers = list(_NUMBER.finditer(action))
    for spot in numbers[:4]:
        for value in ("0", "-1", "99", "123456789012"):
            found.append(action[:spot.start()] + value + action[spot.end():])
    squares = _SQUARES.search(action)
    if squares:  # a null move: to the square it came from
        a, b = squares.group(1) + squares.group(2), squares.group(3) + squares.group(4)
        found.append(action.replace(a + b, a + a))
    cells = list(_CELL.finditer(action))
    if len(cells) >= 2:  # the squares swapped, and random squares (a lake, off the board)
        first, second = cells[0], cells[1]
        found.append(action[:first.start()] + second.group() + action[first.end():second.start()]
                     + first.group() + action[second.end():])
    for _ in range(4 if cells else 0):
        spot = rng.choice(cells)
        letter = spot.group()[0]
        square = (chr(rng.randint(ord("a"), ord("j"))) if letter.islower()
                  else chr(rng.randint(ord("A"), ord("J")))) + str(rng.randint(0, 9))
        found.append(action[:spot.start()] + square + action[spot.end():])
    inner = action.strip()[1:-1] if action.strip().startswith("[") else action
    words = inner.split()
    if words:
        found.append(f"[{words[0]}]")  # the bare action word: "[play]"
        if len(words) > 1:
            found.append("[" + " ".join(words[:-1]) + "]")
            found.append("[" + " ".join(words + words[-1:]) + "]")
    found.append(action.upper())
    found.append(action.replace(" ", ""))
    found.append(action.replace(",", " "))
    return found


def _normalise(error: str) -> str:
    """An exception's text with the numbers and quoted parts blanked, to group like crashes."""
    text = re.sub(r"'[^']*'", "'…'", error)
    return re.sub(r"-?\d+", "N", text)[:160]


def probe_game(game_id: str, seeds: int, steps: int, engine: str) -> list[dict]:
    path = find_harness(game_id)
    if path is None:
        return [{"game": game_id, "where": "no harness"}]
    engine_rng = random.getstate()
    harness = InProcessHarness(path.read_text(), name=path.name, seed=0)
    random.setstate(engine_rng)
    rng = random.Random(0)
    vocabulary: list[str] = []
    found: list[dict] = []
    checks = 0
    for seed in range(seeds):
        played, episode = 0, 0
        while played < steps:
            env = GameEnv(game_id, seed=episode_seed(seed, episode), engine=engine)
            while not env.done and played < steps:
                observation = env.observation()
                state = random.getstate()  # the in-process harness draws from the same stream
                proposals = harness.propose_many([observation] * 3)
                random.setstate(state)
                proposals = [p for p in proposals if isinstance(p, str)]
                action = proposals[0] if proposals else "[0]"
                pool = list(dict.fromkeys(
                    proposals + fuzz(action, rng) + _TOKEN.findall(observation[-3000:])[:8]
                    + rng.sample(vocabulary, min(8, len(vocabulary)))
                    + rng.sample(_MALFORMED, 3)))
                for candidate in pool:
                    verdict = env.is_legal(candidate)
                    checks += 1
                    if verdict.engine_error is not None:
                        found.append({"game": game_id, "engine": engine, "where": "probe",
                                      "seed": seed, "action": candidate,
                                      "error": verdict.engine_error})
                if action not in vocabulary and len(vocabulary) < 2000:
                    vocabulary.append(action)
                result = env.step(action)
                played += 1
                if result.engine_error is not None:
                    found.append({"game": game_id, "engine": engine, "where": "played",
                                  "seed": seed, "action": action, "error": result.engine_error})
            episode += 1
    harness.close()
    return found or [{"game": game_id, "engine": engine, "where": "none", "checks": checks}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", default="paper")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--engine", default="stock")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    games = list(benchmark_ids()) if args.games == "paper" else args.games.split(",")
    rows: list[dict] = []
    partial = Path(args.out or "engine-errors.md").with_suffix(".jsonl")  # resumable: one
    done = set()                                                          # line per game
    if partial.exists():
        for line in partial.read_text().splitlines():
            found = json.loads(line)
            rows.extend(found)
            done.add(found[0]["game"])
    todo = [game for game in games if game not in done]
    context = multiprocessing.get_context("forkserver")
    with futures.ProcessPoolExecutor(args.jobs, mp_context=context) as pool, \
            partial.open("a") as journal:
        pending = [pool.submit(probe_game, game, args.seeds, args.steps, args.engine)
                   for game in todo]
        for finished in futures.as_completed(pending):
            result = finished.result()
            journal.write(json.dumps(result) + "\n")
            journal.flush()
            rows.extend(result)
            print(f"{result[0]['game']}: {sum(r['where'] in ('probe', 'played') for r in result)}"
                  " engine errors", file=sys.stderr, flush=True)
    table = pd.DataFrame(rows)
    crashes = table[table["where"].isin(["probe", "played"])].copy()
    lines = [f"# Engine errors found by fuzzing ({args.engine} profile)", "",
             f"`python eval/engine_errors.py --games {args.games} --seeds {args.seeds} "
             f"--steps {args.steps} --engine {args.engine}`: {len(games)} games, the library "
             "harness playing, a fuzz mix judged by the oracle at every position.", ""]
    if crashes.empty:
        lines.append("No engine error found.")
    else:
        crashes["kind"] = crashes.error.map(_normalise)
        grouped = crashes.groupby(["game", "where", "kind"]).agg(
            count=("action", "size"), example=("action", "first")).reset_index()
        lines.append("| game | where | count | exception (numbers as N) | example action |")
        lines.append("| --- | --- | --- | --- | --- |")
        for row in grouped.itertuples(index=False):
            example = row.example.replace("|", "\\|")[:60]
            lines.append(f"| {row.game} | {row.where} | {row.count} | {row.kind} | `{example}` |")
        per_game = Counter(crashes.game)
        lines += ["", f"{len(per_game)} of {len(games)} games raise somewhere."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
