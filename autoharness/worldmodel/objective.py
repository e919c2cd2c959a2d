"""``learn --objective world-model``: the learning loop fed with the world model's contradictions.

A candidate is scored by ``verify_world_model`` (the mean of the three tier scores, gated tiers
counting 0; clean = every tier at 1.000) on the run's lanes, each playing at most
``MAX_STEPS`` actions (``--steps`` caps it further): a world-model check costs far more per action
than a legality one. The refiner sees transition, legal-set, terminal and returns mismatches with
the observation before, the action, the engine's truth (what it accepted, what it showed next,
its rewards) and the model's answer. Contradictions travel as ``probes.Contradiction`` records:
``engine_reason`` holds the engine's truth (and the next observation's end), ``failure`` the
model's answer.
"""

from __future__ import annotations

from collections import Counter, OrderedDict

from autoharness.learn.evaluate import Evaluation
from autoharness.learn.objectives import Objective, discarded_section, prompt_messages
from autoharness.probes.kinds import Contradiction
from autoharness.worldmodel import report as R

MAX_STEPS = 150
NEXT_TAIL = 700  # characters of the next observation shown with a transition example

SYSTEM = """\
You write small, exact Python programs that simulate a text game: a *world model* that a planner \
(Monte Carlo tree search) uses to look ahead. The game engine is the judge; your model must agree \
with it exactly. Your functions receive the observation text a player sees (the whole message \
history of the game so far, as one string) or a *state* you design: a plain value made of \
None/bool/int/float/str/list/tuple/dict only (no sets, no objects).

Write these module-level functions:

    def parse_state(obs: str):            # the state as this player knows it; unknown parts None
    def legal_actions(state) -> list[str]: # every action the engine accepts now, one per move,
                                           # exactly as the engine reads it (e.g. "[e2e4]");
                                           # [] when the game is over
    def apply(state, action: str):         # the state after a legal action; never modify state
    def current_player(state) -> int:      # who moves (0, 1, ...)
    def is_terminal(state) -> bool:
    def returns(state) -> list[float]:     # one number per player: the engine's rewards at the end

If the game has hidden information or chance, also write

    def sample_state(obs: str, seed: int): # parse_state(obs) with every None filled in, consistent
                                           # with everything the player has seen; future chance
                                           # decided by a seed kept in the state, so that apply
                                           # stays deterministic

parse_state must work on any player's observation, also the opponent's, and after the game ended. \
apply(parse_state(obs), a) must equal parse_state(the next observation). The same input must \
always give the same answer.

Rules for the code:
- Only these imports: re, random, math, itertools, collections, functools, string, json, typing, \
dataclasses, heapq, bisect, copy, enum, fractions, statistics, operator, numpy, chess.
- No files, network or subprocesses. Every call must be fast (planning calls them many thousand \
times per move): prefer tuples and strings for the state.

Answer with a short explanation of what you change and why, then the complete program in ONE \
```python code block."""

SKELETON = '''\
import random
import re


def parse_state(obs: str):
    """The state of the game shown at the end of obs (what this player cannot see: None)."""
    raise NotImplementedError


def legal_actions(state) -> list[str]:
    raise NotImplementedError


def apply(state, action: str):
    raise NotImplementedError


def current_player(state) -> int:
    raise NotImplementedError


def is_terminal(state) -> bool:
    raise NotImplementedError


def returns(state) -> list[float]:
    raise NotImplementedError
'''

_KIND_TEXT = {
    R.TRANSITION: "apply(parse_state(obs), action) disagrees with what the engine showed next",
    R.LEGAL_SET: "legal_actions disagrees with the engine's legality",
    R.TERMINAL: "is_terminal disagrees with the engine's end of the game",
    R.RETURNS: "returns disagrees with the engine's rewards",
    R.PLAYER: "current_player disagrees with the engine's player to move",
    R.FAILURE: "a function failed (exception, timeout or a value that is not plain)",
    R.API: "a required function is missing or the code fails the static checks",
    R.TYPE: "a function returned the wrong kind of value",
    R.PURITY: "a function changed its argument or answered the same input differently",
    R.VIEWS: "two players' observations parse to contradicting states",
    R.DETERMINISATION: "sample_state disagrees with the observation or the rules",
}


def to_contradiction(item: R.ModelContradiction) -> Contradiction:
    engine = item.engine
    if item.next_observation:
        engine += ("\nThe observation after the action ends with:\n"
                   + item.next_observation[-NEXT_TAIL:])
    return Contradiction(item.kind, item.game, item.seed if item.seed is not None else -1,
                         item.step or 0, item.player if item.player is not None else -1,
                         item.observation, item.action, None, engine, None, item.model)


def evaluate_world_model(source: str, config, seeds: list[int], name: str = "candidate"
                         ) -> Evaluation:
    """A learn candidate's score: ``verify_world_model`` on ``seeds``."""
    from autoharness.worldmodel.verify import verify_world_model

    report = verify_world_model(config.game, source, seeds, min(config.steps, MAX_STEPS),
                                engine=getattr(config, "engine", "stock"),
                                timeout=max(config.timeout, 5.0))
    counts = Counter()
    for tier in R.TIERS:
        counts.update(report.tiers[tier].counts)
    figures = report.figures()
    figures["score_formula"] = "h = mean of the static, dynamics and information tier scores " \
                               "(a gated tier counts 0)"
    return Evaluation(score=report.score, clean=report.clean, counts=dict(counts),
                      figures=figures,
                      contradictions=[to_contradiction(c) for c in report.contradictions],
                      engine_steps=report.transitions)


def select_examples(contradictions: list[Contradiction], k: int) -> list[Contradiction]:
    """K examples over K different mistakes: grouped by kind and the engine's first line, taken
    round-robin, failures and API problems first."""
    order = {kind: i for i, kind in enumerate(R.KIND_ORDER)}
    groups: OrderedDict[tuple[str, str], list[Contradiction]] = OrderedDict()
    for item in sorted(contradictions, key=lambda c: order.get(c.kind, len(order))):
        key = (item.kind, (item.engine_reason or "").split("\n", 1)[0][:80])
        groups.setdefault(key, []).append(item)
    chosen: list[Contradiction] = []
    while len(chosen) < k and any(groups.values()):
        for members in groups.values():
            if members and len(chosen) < k:
                chosen.append(members.pop(0))
    return chosen


def summarise_counts(counts: dict[str, int], figures: dict | None = None) -> str:
    parts = [f"{counts[kind]} {kind.replace('_', ' ')}" for kind in R.KIND_ORDER
             if counts.get(kind)]
    text = ", ".join(parts) if parts else "no contradictions"
    if figures:
        tiers = ", ".join(f"{t} {figures.get(f'{t}_score', 0.0):.3f}" for t in R.TIERS)
        text += f" (tier scores: {tiers})"
    return text


def _describe(index: int, item: Contradiction, tail_chars: int) -> str:
    lines = [f"### Example {index}: {_KIND_TEXT.get(item.kind, item.kind)}"]
    if item.player >= 0:
        lines.append(f"Player to move: {item.player}")
    if item.action is not None:
        lines.append(f"Action: {item.action!r}")
    lines.append(f"Engine: {item.engine_reason}")
    lines.append(f"Your model: {item.failure}")
    lines.append(f"End of the observation before the action (last {tail_chars} characters):\n"
                 f"```text\n{item.tail(tail_chars)}\n```")
    return "\n".join(lines)


def refinement_prompt(game: str, rules: str, code: str, score: float, counts_text: str,
                      examples: list[Contradiction], tail_chars: int = 1500, *,
                      mid_game: str | None = None, discarded: tuple | list = (),
                      figures: dict | None = None) -> list[dict]:
    """The chat messages asking the LLM to fix a world model given engine contradictions."""
    parts = [
        f"Game: {game}",
        "## The rules, as the first observation of the game shows them to the player",
        f"```text\n{rules}\n```",
    ]
    if mid_game:
        parts.append("## An observation from the middle of a game\n"
                     f"```text\n{mid_game[-3000:]}\n```")
    parts += [
        "## The current program",
        f"```python\n{code}\n```",
        f"## How it did against the real engine\nScore {score:.3f} (1.0: every check agreed "
        f"with the engine). Contradictions found: {counts_text}.",
    ]
    parts += discarded_section(discarded)
    if examples:
        parts.append("## Contradictions with the engine")
        parts.extend(_describe(i, item, tail_chars) for i, item in enumerate(examples, 1))
    parts.append("Fix the program so that it agrees with the engine in these cases and in all "
                 "similar ones; keep what already works. Reply with the complete program in one "
                 "```python block.")
    return prompt_messages(SYSTEM, parts)


OBJECTIVE = Objective("world-model", evaluate_world_model, refinement_prompt, select_examples,
                      summarise_counts, SKELETON,
                      "a world model (parse_state, legal_actions, apply, ...) against the engine")
