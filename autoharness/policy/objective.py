"""``learn --objective policy``: the paper's policy objective, on the shared tree and run directory.

A candidate is scored by playing one episode per seed with its ``choose_action`` in every seat
(``policy.episodes``; each episode capped at ``--steps`` actions, or ``MAX_TURNS`` when
``--steps`` is left at its default):

    H = 0                                   if any action was illegal or a call failed
    H = 0.5 + 0.5 · mean(normalised reward) otherwise

The reward is the engine's (``env.close()``) for seat 0, normalised per game to [0, 1] with the
game's reward range (``reward_range``); an episode without a reward (the engine raised, or the
cap cut it off) counts 0. One deviation from the paper, stated: a Minesweeper guess that finds a
mine when the board proved no cell safe is illegal by the engine but no policy can avoid it, so
it does not zero H (it is counted and shown to the refiner). A candidate is clean, and confirmed
on fresh seeds, only at H = 1. The refiner sees the illegal actions and failed calls first, then
the endings of the lowest-reward episodes (their last observation, reward and the engine's
reason), and the best one for contrast.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict

from autoharness.learn.evaluate import Evaluation
from autoharness.learn.objectives import Objective, discarded_section, prompt_messages
from autoharness.policy.episodes import MAX_TURNS, POLICY, Episode, percentile, play_episode
from autoharness.probes.kinds import Contradiction

ILLEGAL = "illegal_action"
FAILURE = "harness_failure"
FORCED_GUESS = "forced_guess"
MISSING = "missing_policy"
ENDING = "episode_ending"
KIND_ORDER = (MISSING, FAILURE, ILLEGAL, FORCED_GUESS, ENDING)
SCORE_FORMULA = ("H = 0 if any action is illegal (a forced Minesweeper guess excepted) or a call "
                 "failed, else 0.5 + 0.5 x mean reward normalised to [0, 1]")

#: Reward ranges of games whose engine pays outside [0, 1] for legal play; others: (0, 1) for
#: one-player games, (-1, 1) for multi-player ones.
REWARD_RANGES: dict[str, tuple[float, float]] = {
    # Unsolved at the move limit, LightsOut pays (lights on at the start - lights on now) / (on at
    # the start), which is at least (1 - 25) / 1 on the 5x5 grid; solved, 1. Random legal play
    # gets below 0 (tests/policy/test_reward_ranges.py).
    "LightsOut-v0": (-24.0, 1.0),
}


def reward_range(game_id: str) -> tuple[float, float]:
    from autoharness.arena.catalogue import num_players

    if game_id in REWARD_RANGES:
        return REWARD_RANGES[game_id]
    return (0.0, 1.0) if num_players(game_id) == 1 else (-1.0, 1.0)


def normalised(game_id: str, reward: float | None) -> float:
    if reward is None:
        return 0.0
    low, high = reward_range(game_id)
    return min(1.0, max(0.0, (reward - low) / (high - low)))


def episode_cap(config) -> int:
    """--steps when the user set it, else MAX_TURNS (a legality lane's 1000 would cut 2048 off)."""
    default = next(f.default for f in dataclasses.fields(config) if f.name == "steps")
    return config.steps if config.steps != default else MAX_TURNS


def score(game_id: str, episodes: list[Episode]) -> tuple[float, float]:
    """(H, mean normalised reward)."""
    if not episodes:
        return 0.0, 0.0
    mean = sum(normalised(game_id, e.reward) for e in episodes) / len(episodes)
    avoidable = sum(e.illegal - e.illegal_undecidable for e in episodes)
    if avoidable or any(e.failures for e in episodes):
        return 0.0, mean
    return 0.5 + 0.5 * mean, mean


def _contradictions(game_id: str, episodes: list[Episode]) -> list[Contradiction]:
    found = []
    for e in episodes:
        for m in e.mistakes:
            kind = FAILURE if m.kind == "failure" else ILLEGAL
            found.append(Contradiction(kind, game_id, e.seed, m.step, m.player, m.observation,
                                       m.action, False if m.action is not None else None,
                                       m.reason if kind == ILLEGAL else None, None,
                                       m.reason if kind == FAILURE else None))
        reward = "none" if e.reward is None else f"{e.reward:.3f}"
        why = e.reason or ("cut off at the action cap" if e.unfinished else "")
        found.append(Contradiction(
            ENDING, game_id, e.seed, e.turns, 0, e.ending, None, None,
            f"reward {reward} (normalised {normalised(game_id, e.reward):.3f}) after {e.turns} "
            f"actions: {why}", None))
    return found


def evaluate_policy(source: str, config, seeds: list[int], name: str = "candidate"
                    ) -> Evaluation:
    """A learn candidate's score: one policy episode per seed (see the module doc)."""
    from autoharness.harness.runtime import SandboxedHarness

    game = config.game
    engine = getattr(config, "engine", "stock")
    with SandboxedHarness(source, name=name, timeout=config.timeout, seed=config.seed,
                          engine=engine) as harness:
        if not harness.defines(POLICY):
            missing = Contradiction(MISSING, game, seeds[0] if seeds else 0, 0, 0, "", None,
                                    None, None, None, "the program defines no choose_action(obs)")
            return Evaluation(0.0, False, {MISSING: 1}, {"h": 0.0, "score_formula": SCORE_FORMULA},
                              [missing], 0)
        episodes = [play_episode(game, harness, seed, POLICY, max_turns=episode_cap(config),
                                 engine=engine) for seed in seeds]
    h, mean = score(game, episodes)
    actions = sum(e.turns for e in episodes)
    counts = {ILLEGAL: sum(e.illegal - e.illegal_undecidable for e in episodes),
              FORCED_GUESS: sum(e.illegal_undecidable for e in episodes),
              FAILURE: sum(e.failures for e in episodes),
              ENDING: sum(normalised(game, e.reward) < 1.0 for e in episodes)}
    times = [t for e in episodes for t in e.call_seconds]
    figures = {"h": h, "mean_normalised_reward": mean,
               "mean_reward": sum(e.score for e in episodes) / len(episodes) if episodes else 0,
               "rewards": [e.reward for e in episodes], "episodes": len(episodes),
               "actions": actions, "illegal_actions": counts[ILLEGAL],
               "forced_guesses": counts[FORCED_GUESS], "harness_failures": counts[FAILURE],
               "episodes_without_reward": sum(e.reward is None for e in episodes),
               "p95_move_ms": 1000 * (percentile(times, 0.95) or 0.0),
               "reward_range": list(reward_range(game)), "score_formula": SCORE_FORMULA}
    return Evaluation(score=h, clean=h >= 1.0, counts={k: v for k, v in counts.items() if v},
                      figures=figures, contradictions=_contradictions(game, episodes),
                      engine_steps=actions)


def select_examples(contradictions: list[Contradiction], k: int) -> list[Contradiction]:
    """Mistakes first (one per kind and engine reason, round-robin), then the endings of the
    worst episodes, and the best ending for contrast when there is room."""
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    mistakes = [c for c in contradictions if c.kind != ENDING]
    groups: OrderedDict[tuple[str, str], list[Contradiction]] = OrderedDict()
    for item in sorted(mistakes, key=lambda c: order.get(c.kind, len(order))):
        key = (item.kind, (item.engine_reason or item.failure or "").split("\n", 1)[0][:80])
        groups.setdefault(key, []).append(item)
    chosen: list[Contradiction] = []
    while len(chosen) < max(1, k - 1) and any(groups.values()):
        for members in groups.values():
            if members and len(chosen) < max(1, k - 1):
                chosen.append(members.pop(0))
    endings = sorted((c for c in contradictions if c.kind == ENDING), key=_ending_reward)
    room = k - len(chosen)
    if room > 0 and endings:
        worst = endings[:max(1, room - 1)] if len(endings) > 1 else endings
        chosen.extend(worst)
        if len(chosen) < k and endings[-1] not in chosen:
            chosen.append(endings[-1])
    return chosen[:k]


def _ending_reward(item: Contradiction) -> float:
    text = item.engine_reason or ""
    try:
        return float(text.split("(normalised ", 1)[1].split(")", 1)[0])
    except (IndexError, ValueError):
        return 0.0


def summarise_counts(counts: dict[str, int], figures: dict | None = None) -> str:
    parts = [f"{counts[kind]} {kind.replace('_', ' ')}{'s' if counts[kind] != 1 else ''}"
             for kind in KIND_ORDER if counts.get(kind)]
    text = ", ".join(parts) if parts else "no illegal action, no failed call"
    if figures and "mean_reward" in figures:
        rewards = ", ".join("none" if r is None else f"{r:.2f}"
                            for r in figures.get("rewards", []))
        text += (f"; mean reward {figures['mean_reward']:.3f} (normalised "
                 f"{figures.get('mean_normalised_reward', 0.0):.3f}) over "
                 f"{figures.get('episodes', 0)} episodes: {rewards}")
    return text


SYSTEM = """\
You write small, fast Python programs that PLAY a text game well: a *policy*. The game engine \
judges every move and pays a reward at the end of each episode; your program is scored by that \
reward. Your functions receive the observation text the player sees (the whole message history of \
the game so far, as one string).

Write these module-level functions:

    def propose_action(obs: str) -> str         # any legal action (a uniform random one is fine)
    def eval_action(obs: str, action: str) -> bool  # is this action legal here?
    def choose_action(obs: str) -> str          # the BEST action you can find: it is what plays

choose_action must always return a legal action in the exact format the engine reads. Its score: \
0 if any action it plays is illegal or a call fails (exception, timeout), else 0.5 + 0.5 x the \
mean reward (normalised to [0, 1]). Use the best method you know for the game (exact search, \
dynamic programming, probability, known strategies); read the rules and the endings carefully: \
the reward is whatever the engine pays, which may differ from the game's usual goal.

Rules for the code:
- Only these imports: re, random, math, itertools, collections, functools, string, json, typing, \
dataclasses, heapq, bisect, copy, enum, fractions, statistics, operator, numpy, chess.
- No files, network or subprocesses, no time module. Every call must finish well within one \
second on a slow machine: bound every search (count nodes), and cache work between calls in \
module-level dictionaries if it helps.

Answer with a short explanation of what you change and why, then the complete program in ONE \
```python code block."""

SKELETON = '''\
import random
import re


def propose_action(obs: str) -> str:
    """Any legal action."""
    raise NotImplementedError


def eval_action(obs: str, action: str) -> bool:
    """Is the action legal in this position?"""
    raise NotImplementedError


def choose_action(obs: str) -> str:
    """The best action: the one that earns the most reward."""
    return propose_action(obs)
'''

_KIND_TEXT = {
    ILLEGAL: "choose_action played an action the engine rejected",
    FAILURE: "a call of choose_action failed (exception, timeout or not a string)",
    FORCED_GUESS: "a forced guess that the engine rejected (not counted against the score)",
    MISSING: "the program defines no choose_action",
    ENDING: "how an episode ended",
}


def _describe(index: int, item: Contradiction, tail_chars: int) -> str:
    lines = [f"### Example {index}: {_KIND_TEXT.get(item.kind, item.kind)} (seed {item.seed}, "
             f"action {item.step})"]
    if item.action is not None:
        lines.append(f"Action: {item.action!r}")
    if item.engine_reason:
        lines.append(f"Engine: {item.engine_reason}")
    if item.failure:
        lines.append(f"Failure: {item.failure}")
    what = "The episode's last observation" if item.kind == ENDING else \
        "End of the observation before the action"
    lines.append(f"{what} (last {tail_chars} characters):\n```text\n{item.tail(tail_chars)}\n```")
    return "\n".join(lines)


def refinement_prompt(game: str, rules: str, code: str, score: float, counts_text: str,
                      examples: list[Contradiction], tail_chars: int = 1500, *,
                      mid_game: str | None = None, discarded: tuple | list = (),
                      figures: dict | None = None) -> list[dict]:
    """The chat messages asking the LLM to improve a policy given its episodes' results."""
    parts = [f"Game: {game}",
             "## The rules, as the first observation of the game shows them to the player",
             f"```text\n{rules}\n```"]
    if mid_game:
        parts.append(f"## An observation from the middle of a game\n```text\n{mid_game[-3000:]}"
                     "\n```")
    parts += ["## The current program", f"```python\n{code}\n```",
              f"## How it did against the real engine\nScore H = {score:.3f} (1.0: every "
              f"episode legal and at the highest reward). Results: {counts_text}."]
    parts += discarded_section(discarded)
    if examples:
        parts.append("## What happened")
        parts.extend(_describe(i, item, tail_chars) for i, item in enumerate(examples, 1))
    parts.append("Improve choose_action so that it never plays an illegal action and earns more "
                 "reward; keep propose_action and eval_action correct. Reply with the complete "
                 "program in one ```python block.")
    return prompt_messages(SYSTEM, parts)


OBJECTIVE = Objective("policy", evaluate_policy, refinement_prompt, select_examples,
                      summarise_counts, SKELETON,
                      "choose_action's reward: H = 0 if illegal, else 0.5 + 0.5 r")
