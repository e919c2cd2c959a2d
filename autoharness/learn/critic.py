"""The critic: from many contradictions, a few diverse ones an LLM can learn from.

Contradictions are grouped by kind (harness failure, illegal proposal, false accept, false
reject, narrow proposer) and, inside a kind, by a *pattern*: the engine's reason (or the failure's
exception line, or for a false reject the action's form) with numbers, coordinates and card names
replaced by placeholders, so "cell 4 is already occupied" and "cell 5 is already occupied" are one
mistake. Examples are dealt round-robin: every kind present gets a slot before any kind gets a
second, then every pattern not yet shown (kinds in turn) before any pattern
gets a second. Each example says which
function to fix (the paper's refine rule: a false accept is both functions' fault, a false reject
the verifier's, an illegal proposal or a narrow proposer the proposer's).
"""

from __future__ import annotations

import re
from collections import OrderedDict

from autoharness.probes import (
    FALSE_ACCEPT,
    FALSE_REJECT,
    HARNESS_FAILURE,
    ILLEGAL_PROPOSAL,
    NARROW_PROPOSER,
    Contradiction,
)

KIND_ORDER = [HARNESS_FAILURE, FALSE_ACCEPT, ILLEGAL_PROPOSAL, FALSE_REJECT, NARROW_PROPOSER]

_SUITS = "♠♣♥♦"
_CARD_SYMBOL = re.compile(rf"(?<![\w])(?:10|[2-9]|[JQKA])\s?[{_SUITS}]")
_CARD_WORDS = re.compile(
    r"\b(?:ace|king|queen|jack|ten|nine|eight|seven|six|five|four|three|two|10|[2-9]|[jqka])"
    r"\s+of\s+(?:hearts|spades|clubs|diamonds)\b", re.IGNORECASE)
_PAIR = re.compile(r"[(\[]\s*-?\d+\s*,\s*-?\d+\s*[)\]]")
_SQUARE = re.compile(r"(?<![A-Za-z])[A-Za-z]\d{1,2}(?:[A-Za-z]\d{1,2})*[qrbnQRBN]?(?![A-Za-z\d])")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` with card names, coordinates and numbers replaced by placeholders."""
    text = _CARD_WORDS.sub("<card>", text)
    text = _CARD_SYMBOL.sub("<card>", text)
    text = _PAIR.sub("<coord>", text)
    text = _SQUARE.sub("<coord>", text)
    text = _NUMBER.sub("<n>", text)
    return _SPACES.sub(" ", text).strip()


def _failure_line(failure: str | None) -> str:
    lines = [line.strip() for line in (failure or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def pattern(item: Contradiction) -> str:
    """The mistake ``item`` is an instance of, within its kind."""
    if item.kind == HARNESS_FAILURE:
        where = "propose_action" if item.action is None else "eval_action"
        return f"{where}: {normalise(_failure_line(item.failure))}"
    if item.kind == NARROW_PROPOSER:
        return "never produces some legal actions"
    if item.engine_reason:
        return normalise(item.engine_reason)
    return "action " + normalise(item.action or "")


def groups(contradictions: list[Contradiction]) -> dict[str, list[list[Contradiction]]]:
    """Kind -> its patterns' members, largest pattern first, kinds in ``KIND_ORDER``."""
    by_kind: dict[str, OrderedDict[str, list[Contradiction]]] = {}
    for item in contradictions:
        by_kind.setdefault(item.kind, OrderedDict()).setdefault(pattern(item), []).append(item)
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    return {kind: sorted(found.values(), key=len, reverse=True)
            for kind, found in sorted(by_kind.items(), key=lambda kv: order.get(kv[0], 99))}


def select_examples(contradictions: list[Contradiction], k: int) -> list[Contradiction]:
    """Up to ``k`` examples: every kind before a kind's second; then every pattern not yet shown
    (kinds in turn) before any pattern's second; never the same (kind, action) twice, and an
    action already shown at the same observation (an illegal proposal that is also a false
    accept) only when its kind has no other member left."""
    queues = {kind: [list(members) for members in patterns]
              for kind, patterns in groups(contradictions).items()}
    chosen: list[Contradiction] = []
    seen: set[tuple[str, str | None]] = set()
    spots: set[tuple[str, str | None]] = set()

    def take(members: list[Contradiction]) -> None:
        fresh = [c for c in members if (c.kind, c.action) not in seen]
        pick = next((c for c in fresh if (c.observation, c.action) not in spots),
                    fresh[0] if fresh else None)
        members[:] = [c for c in fresh if c is not pick]
        if pick is not None:
            seen.add((pick.kind, pick.action))
            spots.add((pick.observation, pick.action))
            chosen.append(pick)

    shown = dict.fromkeys(queues, 0)  # kind -> its patterns dealt once
    while len(chosen) < k and any(shown[kind] < len(p) for kind, p in queues.items()):
        for kind, patterns in queues.items():
            if len(chosen) < k and shown[kind] < len(patterns):
                take(patterns[shown[kind]])
                shown[kind] += 1
    turn = dict.fromkeys(queues, 0)
    while len(chosen) < k and any(any(p) for p in queues.values()):
        for kind, patterns in queues.items():
            live = [p for p in patterns if p]
            if len(chosen) < k and live:
                take(live[turn[kind] % len(live)])
                turn[kind] += 1
    return chosen


def pattern_counts(contradictions: list[Contradiction]) -> dict[str, int]:
    """Kind -> how many distinct patterns its (kept) contradictions show."""
    return {kind: len(patterns) for kind, patterns in groups(contradictions).items()}


_FIX = {
    HARNESS_FAILURE: "the function that failed",
    ILLEGAL_PROPOSAL: "propose_action",
    FALSE_ACCEPT: "propose_action and eval_action",
    FALSE_REJECT: "eval_action",
    NARROW_PROPOSER: "propose_action",
}


def summarise_counts(counts: dict[str, int], figures: dict | None = None) -> str:
    """"3 false accepts in 2 patterns (fix propose_action and eval_action), ..." in kind order."""
    patterns = (figures or {}).get("patterns", {})
    parts = []
    for kind in KIND_ORDER:
        if not counts.get(kind):
            continue
        shown = patterns.get(kind)
        spread = f" in {shown} pattern{'s' * (shown != 1)}" if shown else ""
        parts.append(f"{counts[kind]} {kind.replace('_', ' ')}{'s' * (counts[kind] != 1)}"
                     f"{spread} (fix {_FIX[kind]})")
    return ", ".join(parts) if parts else "no contradictions"


def score_text(score: float, figures: dict | None) -> str:
    """The score line of the refinement prompt: h and the two numbers it is made of."""
    f = figures or {}
    if "proposer_legal_rate" not in f:
        return f"Score {score:.3f} (1.0 means every proposed action was legal and eval_action " \
               f"agreed with the engine every time)."
    return (f"Score h = {score:.3f} = p × v, where p = {f['proposer_legal_rate']:.3f} is the share "
            f"of propose_action's answers the engine accepted (of {f.get('proposals', 0)} "
            f"proposals) and v = {f['verifier_agreement']:.3f} is eval_action's agreement with "
            f"the engine on {f.get('stress_checks', 0)} probed actions (the mean of its accept "
            f"rate on legal ones and its reject rate on illegal ones). A call that raises, times "
            f"out or returns the wrong type counts as wrong. 1.0 means every proposal was legal "
            f"and every verdict right.")
