"""Code world models of the library: verified against the engine, and planned on.

    .venv/bin/python eval/world_models.py verify   [--games G,...] [--seeds 100-104] [--steps 300]
    .venv/bin/python eval/world_models.py speed    [--games G,...] [--positions 12]
    .venv/bin/python eval/world_models.py matches  [--games G,...] [--games-per-pair 50] [--jobs 2]
    .venv/bin/python eval/world_models.py report   (eval/world-models.md, eval/world-models.png)

* ``verify`` — ``verify_world_model`` per game on seeds none of the models was written on
  (100-104 by default): the three tier scores with their check counts.
* ``speed`` — simulations per second of the MCTS planner over the world model (in the sandbox
  worker) and over the engine (copies of the real env stepped), alternating on the same
  positions, with the same per-move simulation budget: the ratio is from one run.
* ``matches`` — both seats (``play_games`` alternates them), per pair: MCTS over the world model
  and MCTS over the engine against the random legal harness (``propose_action``), and against the
  harness's ``choose_action`` policy where the file has one; one-player games: mean reward of each.
  Budgets are simulations per move (reproducible on a loaded machine), ``SIMULATIONS`` below.

The engine planner takes its candidate actions from the library harness *in this process*
(``InProcessHarness``: the library files are the repository's own hand-written code) so that its
cost is the engine's, not sandbox round trips; the world-model planner runs sandboxed. With
hidden information the engine planner sees the engine's hidden state (an upper bound).

``--jobs N`` runs N games at once, each in a fresh process; every pair starts from the same global
``random`` state (``_pair``), so a row does not depend on what ran before it, and ``--jobs 1`` and
``--jobs 2`` give the same rows but for their timing fields (tests/test_world_models_eval.py).
``speed`` always runs one game at a time.

Results (one JSON per game and step, resumable) go to eval/results/world-models/.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = Path(os.environ.get("WORLD_MODELS_OUT", ROOT / "eval" / "results" / "world-models"))

GAMES = ["TicTacToe-v0", "ConnectFour-v0", "Nim-v0", "Othello-v0", "Breakthrough-v0",
         "Checkers-v0", "Chess-v0", "KuhnPoker-v0", "Battleship-v0", "2048-v0"]
PERFECT = set(GAMES[:7])
#: Simulations per move, the same for both planners.
SIMULATIONS = {"TicTacToe-v0": 200, "ConnectFour-v0": 100, "Nim-v0": 200, "Othello-v0": 100,
               "Breakthrough-v0": 100, "Checkers-v0": 300, "Chess-v0": 100,
               "KuhnPoker-v0": 200, "Battleship-v0": 100, "2048-v0": 50}
#: Engine profile per game for the matches (default stock). Checkers: on stock a player left
#: without a move makes the engine raise (set_winners keyword) at its next move, so a game MCTS
#: wins by blocking ends as an engine error; the fixed profile ends it with the winner.
ENGINES = {"Checkers-v0": "fixed"}
#: Planner options per game (determinisation pools for costly samplers).
OPTIONS = {"Battleship-v0": {"determinisations": 16}}
MATCH_SEED = 5000  # match seeds: 5000, 5001, ... (no model was written on them)


def _save(kind: str, game: str, data: dict) -> None:
    path = OUT / kind / f"{game}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1))
    tmp.replace(path)


def _load(kind: str, game: str) -> dict | None:
    path = OUT / kind / f"{game}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _source(game: str) -> str:
    from autoharness.harness.library import find_harness

    return find_harness(game).read_text()


# ---- verify -------------------------------------------------------------------------------------
def verify_game(game: str, seeds: list[int], steps: int) -> dict:
    from autoharness.worldmodel.verify import verify_world_model

    report = verify_world_model(game, _source(game), seeds, steps)
    data = report.to_dict(contradictions=10)
    data["seeds_used"] = seeds
    _save("verify", game, data)
    return data


# ---- speed --------------------------------------------------------------------------------------
def speed_game(game: str, positions: int, simulations: int) -> dict:
    import random

    from autoharness.arena import GameEnv
    from autoharness.harness.runtime import InProcessHarness
    from autoharness.worldmodel.agent import Budget, EngineMCTSAgent, MCTSAgent
    from autoharness.worldmodel.live import live_env

    source = _source(game)
    options = OPTIONS.get(game, {})
    model = MCTSAgent(source, Budget(simulations), seed=1, options=options)
    library = InProcessHarness(source, max_value_bytes=1 << 26)
    engine = EngineMCTSAgent(library, Budget(simulations), seed=1)
    rng = random.Random(7)
    env = GameEnv(game, seed=MATCH_SEED + 999)
    model.propose(env.observation())  # warm-up: worker start, imports
    model.simulations = 0
    model.search_seconds = 0.0
    measured = 0
    while measured < positions:
        if env.done:
            env = GameEnv(game, seed=MATCH_SEED + 999 + measured)
        obs = env.observation()
        if rng.random() < 0.5:  # every other position or so, spread over the game
            model.propose(obs)
            with live_env(env):
                engine.propose(obs)
            measured += 1
        legal = library.call("legal_actions", library.call("parse_state", obs))
        env.step(rng.choice(legal))
    model.close()
    data = {"game": game, "positions": positions, "simulations_per_move": simulations,
            "world_model_sims_per_s": model.simulations_per_second,
            "engine_sims_per_s": engine.simulations_per_second,
            "ratio": model.simulations_per_second / max(engine.simulations_per_second, 1e-9)}
    _save("speed", game, data)
    return data


# ---- matches ------------------------------------------------------------------------------------
class PolicyAgent:
    """The harness's ``choose_action`` as a player (sandboxed)."""

    def __init__(self, source: str) -> None:
        from autoharness.harness.runtime import SandboxedHarness

        self.harness = SandboxedHarness(source, name="policy", timeout=10.0, budget=None)
        self.name = "harness-policy"

    def __call__(self, observation: str) -> str:
        action = self.harness.call("choose_action", observation)
        return action if isinstance(action, str) else self.harness.propose(observation)


def _pair(game: str, agent_spec: str, opponent: str | None, games: int,
          first: int = 0) -> dict:
    from autoharness.harness.runtime import InProcessHarness
    from autoharness.play.match import play_games
    from autoharness.worldmodel.agent import Budget, EngineMCTSAgent, MCTSAgent

    source = _source(game)
    budget = Budget(SIMULATIONS[game])
    options = OPTIONS.get(game, {})
    if agent_spec == "mcts":
        agent = MCTSAgent(source, budget, seed=3, options=options)
    elif agent_spec == "mcts-engine":
        agent = EngineMCTSAgent(InProcessHarness(source, max_value_bytes=1 << 26), budget,
                                seed=3)
    elif agent_spec == "policy":
        agent = PolicyAgent(source)
    else:
        agent = agent_spec
    rival = PolicyAgent(source) if opponent == "policy" else opponent
    # TextArena keeps its randomness in the global ``random``: start every pair from the same
    # state, so a row does not depend on what ran before it in this process (--jobs).
    random.seed(MATCH_SEED + first)
    began = time.perf_counter()
    engine = ENGINES.get(game, "stock")
    results = play_games(game, agent, rival, games=games, seed=MATCH_SEED + first,
                         engine=engine)
    row = {"agent": agent_spec, "opponent": opponent, "games": games, "engine": engine,
           "seconds": time.perf_counter() - began, **results.results(),
           "illegal_to_engine": results.agent.illegal_to_engine}
    if hasattr(agent, "simulations_per_second"):
        row["sims_per_s"] = agent.simulations_per_second
        row["planned_moves"] = agent.moves
    if hasattr(agent, "close"):
        agent.close()
    if row.get("planned_moves") == 0:  # the planner never answered (e.g. its worker died)
        raise RuntimeError(f"{game} {agent_spec} vs {opponent}: the planner made no move: {row}")
    return row


#: Fields of a match row that measure time, not play: they differ from run to run.
TIMING_FIELDS = ("seconds", "sims_per_s")


def comparable_row(row: dict) -> dict:
    """A match row without its timing fields: two runs of the same pair must agree on it."""
    return {k: v for k, v in row.items() if k not in TIMING_FIELDS}


def match_pairs(game: str) -> list[tuple[str, str | None]]:
    from autoharness.arena.catalogue import num_players
    from autoharness.worldmodel.derive import defined_functions

    policy = "choose_action" in defined_functions(_source(game))
    if num_players(game) == 1:
        pairs = [("mcts", None), ("mcts-engine", None), ("harness", None)]
        return pairs + ([("policy", None)] if policy else [])
    pairs = [("mcts", "harness"), ("mcts-engine", "harness")]
    return pairs + ([("mcts", "policy"), ("mcts-engine", "policy")] if policy else [])


#: Fields of a match row that add up when a pair is extended with more games.
_SUMMED = ("games", "wins", "draws", "losses", "unfinished", "error", "unavailable",
           "not_played", "illegal_to_engine", "planned_moves", "seconds")


def extend_row(row: dict, more: dict) -> dict:
    """A pair's row after ``more`` games on the seeds that follow its own: counts add up,
    rewards concatenate, rates are re-weighted by planned moves. ``parts`` records the runs."""
    out = dict(row)
    for key in _SUMMED:
        if key in row or key in more:
            out[key] = row.get(key, 0) + more.get(key, 0)
    if "rewards" in row:
        out["rewards"] = list(row["rewards"]) + list(more.get("rewards", []))
        out["mean_reward"] = (sum(out["rewards"]) / len(out["rewards"]) if out["rewards"]
                              else None)
    if "sims_per_s" in row and "sims_per_s" in more:
        weights = row.get("planned_moves", 1), more.get("planned_moves", 1)
        out["sims_per_s"] = ((row["sims_per_s"] * weights[0] + more["sims_per_s"] * weights[1])
                             / max(1, sum(weights)))
    out["parts"] = row.get("parts", [row["games"]]) + [more["games"]]
    return out


def matches_game(game: str, games: int) -> dict:
    """Every pair of ``game`` to ``games`` games: a pair with fewer is extended with games on
    the seeds after its own (MATCH_SEED + its count, ...), never replayed."""
    data = _load("matches", game) or {"game": game, "pairs": []}
    done = {(p["agent"], p["opponent"]) for p in data["pairs"] if p["games"] >= games}
    for agent, opponent in match_pairs(game):
        if (agent, opponent) in done:
            continue
        old = [p for p in data["pairs"] if (p["agent"], p["opponent"]) == (agent, opponent)]
        data["pairs"] = [p for p in data["pairs"]
                         if (p["agent"], p["opponent"]) != (agent, opponent)]
        if old and 0 < old[0]["games"] < games:
            more = _pair(game, agent, opponent, games - old[0]["games"], first=old[0]["games"])
            data["pairs"].append(extend_row(old[0], more))
        else:
            data["pairs"].append(_pair(game, agent, opponent, games))
        data["simulations_per_move"] = SIMULATIONS[game]
        _save("matches", game, data)
        print(f"{game}: {data['pairs'][-1]}", flush=True)
    return data


# ---- report -------------------------------------------------------------------------------------
def _win_rate(pair: dict) -> float | None:
    if "wins" not in pair:
        return None
    return pair["wins"] / pair["games"] if pair["games"] else None


def report() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    rows = []
    for game in GAMES:
        verify = _load("verify", game) or {}
        speed = _load("speed", game) or {}
        matches = _load("matches", game) or {"pairs": []}
        pairs = {(p["agent"], p["opponent"]): p for p in matches["pairs"]}
        row = {"game": game, "information": "perfect" if game in PERFECT else "hidden/chance",
               "static": verify.get("static_score"), "dynamics": verify.get("dynamics_score"),
               "information_tier": verify.get("information_score"),
               "positions": verify.get("positions"), "sims/move": SIMULATIONS[game],
               "verify seeds": _seed_text(verify.get("seeds_used")), "steps": verify.get("steps"),
               "wm sims/s": speed.get("world_model_sims_per_s"),
               "engine sims/s": speed.get("engine_sims_per_s"), "ratio": speed.get("ratio")}
        for agent in ("mcts", "mcts-engine", "harness", "policy"):
            for opponent in ("harness", "policy", None):
                pair = pairs.get((agent, opponent))
                if pair is None:
                    continue
                key = f"{agent} vs {opponent}" if opponent else f"{agent} reward"
                row[key] = (_win_rate(pair) if opponent else pair.get("mean_reward"))
                row[f"{key} n"] = pair["games"]
                row[f"{key} record"] = (f"{pair.get('wins')}-{pair.get('draws')}-"
                                        f"{pair.get('losses')}" if opponent else "")
        rows.append(row)
    table = pd.DataFrame(rows)
    table.to_csv(OUT / "summary.csv", index=False)
    _plot(table, plt)
    (ROOT / "eval" / "world-models.md").write_text(_markdown(table))
    print(_markdown(table))


def _seed_text(seeds: list[int] | None) -> str:
    if not seeds:
        return "–"
    if seeds == list(range(seeds[0], seeds[-1] + 1)) and len(seeds) > 2:
        return f"{seeds[0]}-{seeds[-1]}"
    return ",".join(map(str, seeds))


def _fmt(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _count(value) -> str:
    """A count (games, positions, steps) as a whole number: pandas keeps a column with a missing
    value as floats, which ``_fmt`` would print as 50.000."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return str(int(value))


def _reward_cell(row, agent: str) -> str:
    """A one-player pair's mean reward and its number of episodes."""
    return f"{_fmt(row.get(f'{agent} reward'))} (n={_count(row.get(f'{agent} reward n'))})"


def _markdown(table) -> str:
    lines = ["# Code world models: verified, and planned on", "",
             "Generated by `eval/world_models.py` (see its docstring for the protocol); "
             "hand-written world models (PROVENANCE hand-written), textarena 0.7.4, stock engine "
             f"(matches on Checkers: the `{ENGINES['Checkers-v0']}` profile, see ENGINES).",
             "", "## Tiers against the engine (seeds no model was written on)", "",
             "| game | seeds | actions/seed | static | dynamics | information | positions |",
             "|---|---|---|---|---|---|---|"]
    for _, r in table.iterrows():
        lines.append(f"| {r['game']} | {r['verify seeds']} | {_count(r['steps'])} | "
                     f"{_fmt(r['static'])} | {_fmt(r['dynamics'])} | "
                     f"{_fmt(r['information_tier'])} | {_count(r['positions'])} |")
    lines += ["", "## MCTS over the world model vs over the engine (both seats, win rate; "
              "draws are not wins)", "",
              "| game | sims/move | mcts vs random | mcts-engine vs random | gap (points) | "
              "mcts vs policy | mcts-engine vs policy |", "|---|---|---|---|---|---|---|"]
    for _, r in table.iterrows():
        if r["information"] == "perfect" or "mcts vs harness" in r and r.get(
                "mcts vs harness") == r.get("mcts vs harness"):
            wm, en = r.get("mcts vs harness"), r.get("mcts-engine vs harness")
            if wm is None or wm != wm:
                continue
            gap = (en - wm) * 100 if en == en and en is not None else None
            record = r.get("mcts-engine vs harness record")
            engine = (f"{_fmt(en)} ({record}, n={_count(r.get('mcts-engine vs harness n'))})"
                      if isinstance(record, str) and record else "– (not run)")
            lines.append(
                f"| {r['game']} | {r['sims/move']} | {_fmt(wm)} ({r.get('mcts vs harness record')}"
                f", n={_count(r.get('mcts vs harness n'))}) | {engine} | {_fmt(gap, 1)} | "
                f"{_fmt(r.get('mcts vs policy'))} | {_fmt(r.get('mcts-engine vs policy'))} |")
    lines += ["", "One-player games: mean reward per episode.", "",
              "| game | sims/move | mcts | mcts-engine | gap (points) | random legal | policy |",
              "|---|---|---|---|---|---|---|"]
    for _, r in table.iterrows():
        if "mcts reward" in r and r.get("mcts reward") == r.get("mcts reward"):
            gap = (r.get("mcts-engine reward") - r.get("mcts reward")) * 100 if (
                r.get("mcts-engine reward") == r.get("mcts-engine reward")) else None
            lines.append(f"| {r['game']} | {r['sims/move']} | {_reward_cell(r, 'mcts')} | "
                         f"{_reward_cell(r, 'mcts-engine')} | {_fmt(gap, 1)} | "
                         f"{_reward_cell(r, 'harness')} | {_reward_cell(r, 'policy')} |")
    lines += ["", "## Simulations per second, same positions and budget, one run", "",
              "| game | world model | engine | ratio |", "|---|---|---|---|"]
    for _, r in table.iterrows():
        lines.append(f"| {r['game']} | {_fmt(r['wm sims/s'], 0)} | "
                     f"{_fmt(r['engine sims/s'], 1)} | {_fmt(r['ratio'], 1)}x |")
    lines += ["", "![world models](world-models.png)", ""]
    return "\n".join(lines)


def _plot(table, plt) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
    two = table[[isinstance(v, float) and v == v for v in table.get("mcts vs harness", [])]] \
        if "mcts vs harness" in table else table.iloc[0:0]
    x = range(len(two))
    left.bar([i - 0.2 for i in x], two["mcts vs harness"], 0.4, label="MCTS on world model")
    if "mcts-engine vs harness" in two:
        left.bar([i + 0.2 for i in x], two["mcts-engine vs harness"], 0.4,
                 label="MCTS on engine")
    left.axhline(0.9, color="grey", linestyle="--", linewidth=1)
    left.set_xticks(list(x), [g.replace("-v0", "") for g in two["game"]], rotation=30)
    left.set_ylabel("win rate vs random legal (both seats)")
    left.set_ylim(0, 1.05)
    left.legend(loc="lower left")
    speed = table[[v == v and v is not None for v in table["ratio"]]]
    right.bar(range(len(speed)), speed["ratio"], color="tab:green")
    right.axhline(5, color="grey", linestyle="--", linewidth=1)
    right.set_yscale("log")
    right.set_xticks(range(len(speed)), [g.replace("-v0", "") for g in speed["game"]],
                     rotation=30)
    right.set_ylabel("simulations/s: world model / engine")
    fig.tight_layout()
    fig.savefig(ROOT / "eval" / "world-models.png", dpi=110)


# ---- main ---------------------------------------------------------------------------------------
def _seeds(text: str) -> list[int]:
    if "-" in text:
        low, high = text.split("-")
        return list(range(int(low), int(high) + 1))
    return [int(s) for s in text.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["verify", "speed", "matches", "report"])
    parser.add_argument("--games", default=",".join(GAMES))
    parser.add_argument("--seeds", default="100-104")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--positions", type=int, default=12)
    parser.add_argument("--games-per-pair", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    games = [g for g in args.games.split(",") if g]
    if args.step == "report":
        report()
        return
    work = {
        "verify": lambda g: verify_game(g, _seeds(args.seeds), args.steps),
        "speed": lambda g: speed_game(g, args.positions, SIMULATIONS[g]),
        "matches": lambda g: matches_game(g, args.games_per_pair),
    }[args.step]
    if args.step == "speed" and args.jobs > 1:  # timings taken side by side would share cores
        print("speed: measured one game at a time (--jobs ignored)", flush=True)
        args.jobs = 1
    if args.jobs <= 1:
        for game in games:
            print(json.dumps(work(game), default=str)[:400], flush=True)
        return
    # A fresh process per game (as --jobs 1 would be, game after game, with the reseeding in
    # ``_pair``): no worker carries one game's state into the next.
    with futures.ProcessPoolExecutor(args.jobs, max_tasks_per_child=1) as pool:
        jobs = {pool.submit(_run, args.step, game, args): game for game in games}
        for job in futures.as_completed(jobs):
            print(jobs[job], json.dumps(job.result(), default=str)[:400], flush=True)


def _run(step: str, game: str, args: argparse.Namespace) -> dict:
    if step == "verify":
        return verify_game(game, _seeds(args.seeds), args.steps)
    if step == "speed":
        return speed_game(game, args.positions, SIMULATIONS[game])
    return matches_game(game, args.games_per_pair)


if __name__ == "__main__":
    main()
