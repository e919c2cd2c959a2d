"""The critic: from many contradictions, a few diverse ones an LLM can learn from.

Contradictions are grouped by kind (illegal proposal, false accept, false reject, harness
failure) and, inside a kind, by the engine's reason (or the failure's first line). Examples are
taken round-robin over the groups, the dangerous kinds first, so K examples cover K different
mistakes rather than K copies of the most frequent one.
"""

from __future__ import annotations

from collections import OrderedDict

from autoharness.harness.verify import (
    FALSE_ACCEPT,
    FALSE_REJECT,
    HARNESS_FAILURE,
    ILLEGAL_PROPOSAL,
    Contradiction,
)

KIND_ORDER = [HARNESS_FAILURE, ILLEGAL_PROPOSAL, FALSE_ACCEPT, FALSE_REJECT]


def _group_key(item: Contradiction) -> tuple[str, str]:
    if item.engine_reason:
        return item.kind, item.engine_reason
    failure_lines = (item.failure or "").splitlines()
    return item.kind, failure_lines[0] if failure_lines else ""


def select_examples(contradictions: list[Contradiction], k: int) -> list[Contradiction]:
    groups: OrderedDict[tuple[str, str], list[Contradiction]] = OrderedDict()
    ranked = sorted(contradictions, key=lambda c: KIND_ORDER.index(c.kind)
                    if c.kind in KIND_ORDER else len(KIND_ORDER))
    for item in ranked:
        groups.setdefault(_group_key(item), []).append(item)
    chosen: list[Contradiction] = []
    seen_actions: set[tuple[str, str | None]] = set()
    while len(chosen) < k and any(groups.values()):
        for members in groups.values():
            while members:
                candidate = members.pop(0)
                if (candidate.kind, candidate.action) not in seen_actions:
                    seen_actions.add((candidate.kind, candidate.action))
                    chosen.append(candidate)
                    break
            if len(chosen) >= k:
                break
    return chosen


def summarise_counts(counts: dict[str, int]) -> str:
    parts = [f"{counts[kind]} {kind.replace('_', ' ')}" for kind in KIND_ORDER if counts.get(kind)]
    return ", ".join(parts) if parts else "no contradictions"
