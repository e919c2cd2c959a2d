"""The refiner's prompt: the rules as the player sees them, what went wrong, the current code."""

from __future__ import annotations

from collections.abc import Sequence

from autoharness.harness.verify import (
    FALSE_ACCEPT,
    FALSE_REJECT,
    HARNESS_FAILURE,
    ILLEGAL_PROPOSAL,
    NARROW_PROPOSER,
    Contradiction,
)
from autoharness.learn.critic import score_text
from autoharness.secrets import redact

SYSTEM = """\
You write small, exact Python programs that encode the rules of a text game. Your code is called \
by a game-playing agent on every turn. It receives only the observation text that the player \
sees (the whole message history of the game so far, as one string) and must decide which actions \
the game engine will accept in the current position.

Write two module-level functions:

    def propose_action(obs: str) -> str:
        # Return one action that the engine accepts now, chosen at random among the legal ones,
        # covering all kinds of legal actions (not always the same favourite).

    def eval_action(obs: str, action: str) -> bool:
        # Return True exactly when the engine would accept `action` now.

Rules for the code:
- Only these imports: re, random, math, itertools, collections, functools, string, json, typing, \
dataclasses, heapq, bisect, copy, enum, fractions, statistics, operator, numpy, chess.
- No files, network, subprocesses or global state that must survive between calls: every call \
gets the full observation and must work from it alone.
- Each call must finish well under one second, even on a long observation: read the latest \
board or state from the end of the text instead of re-parsing everything when you can.
- The engine is the judge of legality, including its own parsing of the action string (brackets, \
spacing, case). When the engine's behaviour and the written rules differ, follow the engine.
- The runtime defines the module constant `ENGINE_PROFILE` before your code runs: "stock" \
(TextArena 0.7.4 as released, whose bugs include crashes that count as illegal moves) or "fixed" \
(the same with upstream fixes). It names the engine that judges your answers; where the two \
differ (an action only the stock engine crashes on), read it instead of guessing.

Answer with a short explanation of what you change and why, then the complete program (both \
functions and any helpers) in ONE ```python code block."""

_KIND_TEXT = {
    ILLEGAL_PROPOSAL: "propose_action returned an action the engine REJECTED",
    FALSE_ACCEPT: "eval_action returned True, but the engine REJECTS this action",
    FALSE_REJECT: "eval_action returned False, but the engine ACCEPTS this action",
    HARNESS_FAILURE: "the code failed (exception, timeout or wrong return type)",
    NARROW_PROPOSER: "propose_action never produces some legal actions (it must sample all "
                     "kinds of legal actions)",
}


def _describe(index: int, item: Contradiction, tail_chars: int) -> str:
    lines = [f"### Example {index}: {_KIND_TEXT.get(item.kind, item.kind)}",
             f"Fix: {item.function}", f"Player: {item.player}"]
    if item.kind == NARROW_PROPOSER:
        lines.append(f"Legal here, never produced by propose_action: "
                     f"{', '.join(repr(a) for a in item.missing or (item.action,))}")
        if item.produced:
            lines.append(f"What propose_action returned here: "
                         f"{', '.join(repr(a) for a in item.produced)}")
        if item.failure:
            lines.append(f"Why: {item.failure}")
    else:
        if item.action is not None:
            lines.append(f"Action: {item.action!r}")
        if item.engine_legal is not None:
            verdict = "accepts it" if item.engine_legal else "rejects it"
            reason = f" (engine's reason: {item.engine_reason})" if item.engine_reason else ""
            lines.append(f"Engine: {verdict}{reason}")
        if item.harness_verdict is not None:
            lines.append(f"Your eval_action said: {item.harness_verdict}")
        if item.failure:
            lines.append(f"Failure:\n{item.failure}")
    lines.append(f"End of the observation (last {tail_chars} characters):\n"
                 f"```text\n{item.tail(tail_chars)}\n```")
    return "\n".join(lines)


MID_GAME_CHARS = 2500  # of the mid-game observation, from its end


def refinement_prompt(game: str, rules: str, code: str, score: float, counts_text: str,
                      examples: list[Contradiction], tail_chars: int = 1800, *,
                      mid_game: str | None = None,
                      discarded: Sequence[str] = (),
                      figures: dict | None = None) -> list[dict]:
    """The chat messages asking the LLM to fix ``code`` given engine contradictions.

    ``mid_game``: an observation from the middle of a rollout (its end is shown), so the code is
    written for later positions too. ``discarded``: why earlier replies to this same program were
    thrown away (no code block, a syntax error at line N of the code, a missing function, an
    import that is not allowed, cut off at the output cap), oldest first. ``figures``: the
    parent's evaluation figures, for the two numbers behind the score. Every message passes
    through ``secrets.redact``: harness output (tracebacks, actions) is untrusted text."""
    parts = [
        f"Game: {game}",
        "## The rules, as the first observation of the game shows them to the player",
        f"```text\n{rules}\n```",
    ]
    if mid_game:
        parts += [
            "## The same game later on: the end of a player's observation after some moves",
            f"```text\n{mid_game[-MID_GAME_CHARS:]}\n```",
        ]
    parts += [
        "## The current program",
        f"```python\n{code}\n```",
        f"## How it did against the real engine (ENGINE_PROFILE = "
        f"{(figures or {}).get('engine') or 'stock'!r})\n{score_text(score, figures)} "
        f"Contradictions found: {counts_text}.",
    ]
    if examples:
        parts.append("## Contradictions with the engine")
        parts.extend(_describe(i, item, tail_chars) for i, item in enumerate(examples, 1))
    if discarded:
        parts.append("## Your earlier answers to this program were thrown away, unrun")
        parts.extend(f"- {reason}" for reason in discarded)
    parts.append("Fix the program so that it agrees with the engine in these cases and in all "
                 "similar ones; keep what already works. Reply with the complete program in one "
                 "```python block.")
    return [{"role": "system", "content": redact(SYSTEM)},
            {"role": "user", "content": redact("\n\n".join(parts))}]
