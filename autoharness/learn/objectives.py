"""What a learn run optimises: ``learn --objective NAME``.

An objective is the part of the loop that depends on *what* the harness must get right: how a
candidate is scored against the engine (``evaluate``, a module-level function so that scale-out
can ship it to another process), which contradictions the refiner is shown (``select_examples``,
``summarise_counts``), the refinement prompt (``prompt``), and the root candidate
(``skeleton``). The tree, budgets, run directory and confirmation are shared. ``legality`` is the
paper's (propose/eval); others live with their feature and are found by name here, imported on
first use:

* ``world-model`` — ``autoharness/worldmodel/objective.py`` (issue 20);
* ``policy`` — ``autoharness/policy/objective.py`` (issue 18: the harness as the player);
* further ones are added with ``register(name, "module:ATTRIBUTE")``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT = "legality"


@dataclass(frozen=True)
class Objective:
    name: str
    evaluate: Callable  # (source, config, seeds, name=...) -> learn.evaluate.Evaluation
    prompt: Callable  # (game, rules, code, score, counts_text, examples, **context) -> messages
    select_examples: Callable  # (contradictions, k) -> the k shown
    summarise_counts: Callable  # (counts, figures) -> one line
    skeleton: str  # the root candidate's code when no --from harness is given
    describe: str = ""


def _legality() -> Objective:
    from autoharness.learn import critic
    from autoharness.learn.candidate import SKELETON
    from autoharness.learn.evaluate import evaluate
    from autoharness.learn.prompts import refinement_prompt

    return Objective(DEFAULT, evaluate, refinement_prompt, critic.select_examples,
                     critic.summarise_counts, SKELETON,
                     "propose_action/eval_action against the legality oracle")


_REGISTRY: dict[str, str | Callable[[], Objective]] = {
    DEFAULT: _legality,
    "world-model": "autoharness.worldmodel.objective:OBJECTIVE",
    "policy": "autoharness.policy.objective:OBJECTIVE",
}


def register(name: str, where: str | Callable[[], Objective]) -> None:
    """Make ``--objective name`` load ``where`` ("module:ATTRIBUTE", or a factory)."""
    _REGISTRY[name] = where


def names() -> list[str]:
    return sorted(_REGISTRY)


def get(name: str | None) -> Objective:
    """The objective called ``name`` (None: legality); ``ValueError`` naming the known ones."""
    where = _REGISTRY.get(name or DEFAULT)
    if where is None:
        raise ValueError(f"unknown objective {name!r}; known: {', '.join(names())}")
    if callable(where):
        return where()
    module, _, attribute = where.partition(":")
    return getattr(importlib.import_module(module), attribute)


def discarded_section(discarded: list[str]) -> list[str]:
    """The prompt section listing earlier replies that gave no usable program (none: empty)."""
    if not discarded:
        return []
    return ["## Earlier replies that gave no usable program\n"
            + "\n".join(f"- {reason}" for reason in discarded)]


def prompt_messages(system: str, parts: list[str]) -> list[dict[str, str]]:
    """The refiner's messages: the system text, and the user sections joined and redacted of
    known secrets (harness output is in them)."""
    from autoharness import secrets

    return [{"role": "system", "content": system},
            {"role": "user", "content": secrets.redact("\n\n".join(parts))}]
