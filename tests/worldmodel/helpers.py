"""Shared bits of the world-model tests: library sources and small edits of them (mutants)."""

from __future__ import annotations

from pathlib import Path

HARNESSES = Path(__file__).resolve().parents[2] / "harnesses"
MARKER = "# ---- world model (hand-written"


def library(name: str) -> str:
    return (HARNESSES / f"{name}.py").read_text()


def mutant(name: str, old: str, new: str) -> str:
    """The library file with one edit inside its world-model section (which must contain it)."""
    source = library(name)
    head, marker, model = source.partition(MARKER)
    assert old in model, f"{old!r} is not in {name}'s world model"
    return head + marker + model.replace(old, new, 1)


def world_model_only(name: str) -> str:
    """The card, imports and helpers a world model uses, without propose_action/eval_action."""
    import ast

    source = library(name)
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in reversed(tree.body):
        if isinstance(node, ast.FunctionDef) and node.name in ("propose_action", "eval_action"):
            start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
            del lines[start:node.end_lineno]
    return "".join(lines)
