"""Turning an LLM reply into a harness source: extract the code, add the card, check it."""

from __future__ import annotations

import ast
import re

from autoharness.harness.checks import check_source

_CARD = {"GAMES", "PROVENANCE", "VERIFIED"}
_BLOCK = re.compile(r"```(?:python|py)?[ \t]*\n(.*?)```", re.DOTALL)

SKELETON = '''\
import random
import re


def propose_action(obs: str) -> str:
    """Return one action the engine accepts in the position shown at the end of obs."""
    raise NotImplementedError


def eval_action(obs: str, action: str) -> bool:
    """Return True exactly when the engine would accept action now."""
    raise NotImplementedError
'''


class CandidateError(ValueError):
    """A reply that yields no usable program; the message says why, in one line."""


def extract_code(reply: str) -> str:
    """The python block with both functions (the last such block), else the longest block."""
    blocks = _BLOCK.findall(reply)
    if not blocks:
        raise CandidateError("the reply has no ```python code block")
    complete = [b for b in blocks if "def propose_action" in b and "def eval_action" in b]
    return (complete[-1] if complete else max(blocks, key=len)).strip() + "\n"


def compose_source(game: str, code: str, provenance: dict) -> str:
    """A full harness file: docstring and card constants, then the LLM's code unchanged."""
    header = (
        f'"""{game} harness, written by an LLM in an `autoharness learn` run."""\n\n'
        f"GAMES = [{game!r}]\n"
        f"PROVENANCE = {provenance!r}\n"
        "VERIFIED = {}\n\n"
    )
    return header + _drop_card(code)


def _drop_card(code: str) -> str:
    """Remove card constants an LLM copied from the current program (the header owns them)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code  # the static checks will name the syntax error
    lines = code.splitlines(keepends=True)
    for node in reversed(tree.body):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id in _CARD for t in targets):
            del lines[node.lineno - 1:node.end_lineno]
    return "".join(lines)


def checked_source(game: str, reply: str, provenance: dict) -> str:
    """A source that passed the static checks, or CandidateError naming the first problem."""
    source = compose_source(game, extract_code(reply), provenance)
    problems = check_source(source)
    if problems:
        raise CandidateError(str(problems[0]))
    return source


def code_part(source: str) -> str:
    """What the LLM is shown of a candidate: the program without our header."""
    marker = "VERIFIED = {}\n\n"
    return source.split(marker, 1)[1] if marker in source else source
