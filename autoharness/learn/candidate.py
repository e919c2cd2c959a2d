"""Turning an LLM reply into a harness source: extract the code, add the card, check it.

Replies come as models write them: prose around the code, fences spelt ```` ```python ````,
```` ```Python ````, ```` ```py ````, ```` ```python3 ```` or bare ```` ``` ````, CRLF line ends,
the program split over two blocks, a closing fence that never came (the reply was cut off at the
output cap). A reply that yields no usable program raises ``CandidateError`` whose message is the
feedback the next refinement shows the LLM, with line numbers counted in the code it wrote (the
card header we add is not counted).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from autoharness.harness.checks import check_source

_CARD = {"GAMES", "PROVENANCE", "VERIFIED"}
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n`]*$")
_PYTHON_TAGS = re.compile(r"^(py|python|python3|py3|python\d[\d.]*)$", re.IGNORECASE)
_FUNCTIONS = ("def propose_action", "def eval_action")
_TRACEBACK_LINE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')

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
    """A reply that yields no usable program; the message says why, in one or two lines, for the
    LLM (line numbers in its own code)."""


@dataclass(frozen=True)
class Block:
    code: str
    tag: str  # the fence's language word, "" for a bare fence
    closed: bool


def code_blocks(reply: str) -> list[Block]:
    """Every fenced block of ``reply`` (CRLF or CR line ends accepted); a fence left open runs to
    the end of the reply."""
    lines = reply.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    opened: tuple[str, str] | None = None  # (fence, tag)
    body: list[str] = []
    for line in lines:
        match = _FENCE.match(line)
        if opened is None:
            if match:
                opened, body = (match.group(1), match.group(2)), []
            continue
        fence = opened[0]
        if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                and not match.group(2):
            blocks.append(Block("\n".join(body), opened[1], True))
            opened = None
        elif line.rstrip().endswith(fence) and line.strip() != fence:  # `return x```
            body.append(line.rstrip()[:-len(fence)])
            blocks.append(Block("\n".join(body), opened[1], True))
            opened = None
        else:
            body.append(line)
    if opened is not None:
        blocks.append(Block("\n".join(body), opened[1], False))
    return blocks


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def _is_python(block: Block) -> bool:
    if _PYTHON_TAGS.match(block.tag):
        return True
    return not block.tag and ("def " in block.code or "import " in block.code)


def _complete(code: str) -> bool:
    return all(f in code for f in _FUNCTIONS)


def extract_code(reply: str, truncated: bool = False) -> str:
    """The program in a reply: the last Python block with both functions (with earlier blocks
    that define helpers it uses); else the Python blocks joined, when together they have both;
    else the longest Python block; else the whole reply when it is bare Python. ``truncated``
    (the reply hit the output cap): an unclosed block loses its last, cut line."""
    text = reply.replace("\r\n", "\n").replace("\r", "\n")
    every = code_blocks(text)
    blocks = [b for b in every if _is_python(b)] or [  # a wrong tag on Python code
        b for b in every if "def " in b.code and _parses(b.code)]
    if truncated:
        blocks = [_without_cut_line(b) for b in blocks]
    if not blocks:
        if text.strip() and _parses(text) and "def " in text:
            return text.strip("\n") + "\n"
        cut = " before any code block began" if truncated else ""
        began = " ".join(text.split())[:80]
        raise CandidateError(f"no ```python code block in your reply{cut} (it began: "
                             f"{began!r})" if began else "your reply was empty")
    complete = [b.code for b in blocks if _complete(b.code)]
    if complete:
        code = _with_helpers(complete[-1], [b.code for b in blocks if b.code != complete[-1]])
    elif len(blocks) > 1 and _complete("\n".join(b.code for b in blocks)):
        code = "\n\n".join(b.code for b in blocks)
    else:
        code = max((b.code for b in blocks), key=len)
    return code.strip("\n") + "\n"


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _with_helpers(code: str, others: list[str]) -> str:
    """``code`` preceded by the other blocks that define names it uses but does not define (a
    program written as "first the helpers, then the two functions")."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return code
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    missing = used - _top_level_names(tree)
    helpers = []
    for other in others:
        try:
            defined = _top_level_names(ast.parse(other))
        except (SyntaxError, ValueError):
            continue
        if defined & missing:
            helpers.append(other)
            missing -= defined
    return "\n\n".join([*helpers, code]) if helpers else code


def _without_cut_line(block: Block) -> Block:
    if block.closed or block.code.endswith("\n"):
        return block
    return Block(block.code.rsplit("\n", 1)[0] if "\n" in block.code else "", block.tag, False)


def compose_source(game: str, code: str, provenance: dict) -> str:
    """A full harness file: docstring and card constants, then the LLM's code, whose line
    numbers are kept (card constants it copied are blanked, not removed)."""
    return header(game, provenance) + _blank_card(code)


def header(game: str, provenance: dict) -> str:
    return (
        f'"""{game} harness, written by an LLM in an `autoharness learn` run."""\n\n'
        f"GAMES = [{game!r}]\n"
        f"PROVENANCE = {provenance!r}\n"
        "VERIFIED = {}\n\n"
    )


def _blank_card(code: str) -> str:
    """Card constants an LLM copied from the current program become blank lines (the header owns
    the card; blank lines keep every other line where the LLM wrote it)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return code  # the static checks will name the syntax error
    lines = code.splitlines(keepends=True)
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id in _CARD for t in targets):
            for i in range(node.lineno - 1, node.end_lineno or node.lineno):
                lines[i] = "\n"
    return "".join(lines)


_MARKER = "VERIFIED = {}\n\n"


def code_offset(source: str) -> int:
    """Lines of our header before the LLM's code in ``source`` (0 for a file without one)."""
    at = source.find(_MARKER)
    return source[:at + len(_MARKER)].count("\n") if at >= 0 else 0


def code_part(source: str) -> str:
    """What the LLM is shown of a candidate: the program without our header."""
    at = source.find(_MARKER)
    return source[at + len(_MARKER):] if at >= 0 else source


def checked_source(game: str, reply: str, provenance: dict, *, truncated: bool = False,
                   output_cap: int | None = None) -> str:
    """A source that passed the static checks, or CandidateError naming the first problem with
    its line in the LLM's code. ``truncated``: the reply stopped at the output cap."""
    cut = (f"your reply was cut off at the output cap ({output_cap:,} tokens)"
           if output_cap else "your reply was cut off at the output cap")
    try:
        code = extract_code(reply, truncated)
    except CandidateError as error:
        raise CandidateError(f"{cut}: {error}" if truncated else str(error)) from None
    source = compose_source(game, code, provenance)
    problems = check_source(source)
    if not problems:
        return source
    offset = code_offset(source)
    problem = problems[0]
    if problem.code in ("missing", "card", "size"):
        text = problem.message
    else:
        line = problem.line - offset
        text = f"line {line}: {problem.message}"
        lines = code.splitlines()
        if 1 <= line <= len(lines) and lines[line - 1].strip():
            text += f"\n    {line} | {lines[line - 1].rstrip()[:160]}"
    if truncated:
        text = f"{cut} before the program was complete; write a shorter program ({text})"
    raise CandidateError(text)


def relative_traceback(text: str, filename: str, offset: int) -> str:
    """``File "node-3", line 13`` -> ``File "your program", line 7``: traceback lines of a
    candidate counted in the code the LLM wrote."""
    if not offset or not text:
        return text

    def shift(match: re.Match[str]) -> str:
        if match.group("file") != filename:
            return match.group(0)
        return f'File "your program", line {int(match.group("line")) - offset}'

    return _TRACEBACK_LINE.sub(shift, text)
