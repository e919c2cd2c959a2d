"""Static checks on harness source, run before it is ever executed.

These are defense in depth and a fast, readable verdict for the LLM that wrote the code ("line 12:
import of 'socket' is not allowed ..."). They are not the security boundary: a determined harness
can build names at run time. The sandboxed runtime (``runtime.py``) is the real barrier.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from autoharness.harness.card import parse_source, read_card
from autoharness.harness.errors import HarnessError
from autoharness.worldmodel.derive import DERIVES_LEGALITY as _WORLD_MODEL_DERIVES
from autoharness.worldmodel.derive import WORLD_MODEL_FUNCTIONS as _WORLD_MODEL_FUNCTIONS

#: Top-level modules a harness may import: pure standard-library modules, numpy, python-chess.
ALLOWED_IMPORTS = frozenset({
    "__future__", "abc", "array", "bisect", "cmath", "collections", "copy", "dataclasses",
    "decimal", "difflib", "enum", "fractions", "functools", "graphlib", "hashlib", "heapq",
    "itertools", "json", "keyword", "math", "numbers", "operator", "pprint", "random", "re",
    "reprlib", "statistics", "string", "struct", "textwrap", "typing", "unicodedata",
    "numpy", "chess",
})
#: Submodules of allowed packages that reach for the OS (ctypes, compilers, engines, test runners).
DENIED_MODULES = frozenset({
    "numpy.ctypeslib", "numpy.f2py", "numpy.distutils", "numpy.testing", "chess.engine",
})
#: Names a harness may not mention at all.
BANNED_NAMES = frozenset({
    "__import__", "__builtins__", "__loader__", "__spec__", "eval", "exec", "compile", "open",
    "breakpoint", "input",
})
#: Attributes that lead from any object to interpreter internals (the classic escape routes).
BANNED_ATTRIBUTES = frozenset({
    "__subclasses__", "__globals__", "__builtins__", "__code__", "__closure__", "__bases__",
    "__base__", "__mro__", "__self__", "__import__", "__loader__", "__spec__", "__reduce__",
    "__reduce_ex__", "f_globals", "f_locals", "f_back", "f_builtins", "f_code", "gi_frame",
    "gi_code", "cr_frame", "ag_frame", "tb_frame", "co_code", "func_globals",
})
MAX_SOURCE_CHARS = 2_000_000
REQUIRED_FUNCTIONS = {"propose_action": ("obs",), "eval_action": ("obs", "action")}
#: The optional world-model functions, arity-checked when present; a file with the
#: ``WORLD_MODEL_DERIVES`` ones needs no propose/eval (the runtime derives them).
WORLD_MODEL_FUNCTIONS = _WORLD_MODEL_FUNCTIONS
#: The optional policy (the harness as the player): arity-checked when present.
POLICY_FUNCTIONS = {"choose_action": ("obs",)}
WORLD_MODEL_DERIVES = _WORLD_MODEL_DERIVES


@dataclass(frozen=True)
class Problem:
    """One reason a harness source is unusable. ``str()`` is the one-line message."""

    line: int
    code: str  # syntax | card | missing | arity | import | name | attribute | size
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def module_allowed(module: str, allowed: frozenset[str] = ALLOWED_IMPORTS) -> bool:
    """Whether ``import module`` (a dotted name) is allowed."""
    if module.split(".", 1)[0] not in allowed:
        return False
    return not any(module == denied or module.startswith(denied + ".")
                   for denied in DENIED_MODULES)


def _allowed_list() -> str:
    return ", ".join(sorted(ALLOWED_IMPORTS - {"__future__"}))


def _arity_problem(fn: ast.FunctionDef | ast.AsyncFunctionDef,
                   params: tuple[str, ...]) -> str | None:
    wanted = ", ".join(params)
    if isinstance(fn, ast.AsyncFunctionDef):
        return f"{fn.name} must be a plain `def`, not `async def`"
    args = fn.args
    positional = args.posonlyargs + args.args
    required = len(positional) - len(args.defaults)
    takes = len(positional) >= len(params) or args.vararg is not None
    if required > len(params) or not takes:
        return (f"{fn.name} must take {len(params)} positional parameter"
                f"{'s' if len(params) > 1 else ''} ({wanted}), not {len(positional)}")
    if any(default is None for default in args.kw_defaults):
        return (f"{fn.name} has a required keyword-only parameter; it is called as "
                f"{fn.name}({wanted})")
    return None


def _card_problem(error: HarnessError) -> Problem:
    message = str(error)
    match = re.match(r"line (\d+): (.*)", message)
    if match:
        return Problem(int(match.group(1)), "card", match.group(2))
    return Problem(1, "card", message)


def check_source(source: str) -> list[Problem]:
    """Every static problem of a harness source (empty list: it passes). See the module doc."""
    if len(source) > MAX_SOURCE_CHARS:
        return [Problem(1, "size", f"source is {len(source)} characters; the limit is "
                                   f"{MAX_SOURCE_CHARS}")]
    try:
        tree = parse_source(source)
    except HarnessError as error:
        problem = _card_problem(error)
        return [Problem(problem.line, "syntax", problem.message)]
    problems: list[Problem] = []

    try:
        card = read_card(source)
    except HarnessError as error:
        problems.append(_card_problem(error))
    else:
        for game in card.verified:
            if game not in card.games:
                problems.append(Problem(1, "card", f"VERIFIED has figures for {game!r}, which "
                                                   f"GAMES does not list"))

    defs = {stmt.name: stmt for stmt in tree.body
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)}
    # A world model (parse_state + legal_actions) stands in for propose/eval: the runtime derives
    # the missing ones from it (autoharness/worldmodel/derive.py).
    world_model = all(name in defs for name in WORLD_MODEL_DERIVES)
    for name, params in {**REQUIRED_FUNCTIONS, **WORLD_MODEL_FUNCTIONS,
                         **POLICY_FUNCTIONS}.items():
        fn = defs.get(name)
        if fn is None and (world_model or name not in REQUIRED_FUNCTIONS):
            continue
        if fn is None:
            signature = f"{name}({', '.join(params)})"
            problems.append(Problem(1, "missing", f"no module-level `def {signature}`"))
        elif (message := _arity_problem(fn, params)) is not None:
            problems.append(Problem(fn.lineno, "arity", message))

    for node in ast.walk(tree):
        line = getattr(node, "lineno", 1)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not module_allowed(alias.name):
                    problems.append(Problem(line, "import", f"import of {alias.name!r} is not "
                                            f"allowed (allowed: {_allowed_list()})"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                problems.append(Problem(line, "import", "relative imports are not allowed"))
            elif not module_allowed(node.module or ""):
                problems.append(Problem(line, "import", f"import from {node.module!r} is not "
                                                        f"allowed (allowed: {_allowed_list()})"))
            elif any(not module_allowed(f"{node.module}.{alias.name}") for alias in node.names):
                problems.append(Problem(line, "import", f"import from {node.module!r} of a "
                                                        f"module that is not allowed"))
        elif isinstance(node, ast.Name) and node.id in BANNED_NAMES:
            problems.append(Problem(line, "name", f"use of {node.id!r} is not allowed"))
        elif isinstance(node, ast.Attribute) and node.attr in BANNED_ATTRIBUTES:
            problems.append(Problem(line, "attribute", f"access to .{node.attr} is not allowed"))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and (node.value in BANNED_ATTRIBUTES or node.value in BANNED_NAMES)
              and node.value.startswith("__")):
            problems.append(Problem(line, "name", f"the string {node.value!r} is not allowed"))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
                node.name in BANNED_NAMES):
            problems.append(Problem(line, "name", f"defining {node.name!r} is not allowed"))
    problems.sort(key=lambda p: p.line)
    return problems


def validate_source(source: str) -> None:
    """Raise ``HarnessError`` with the first problem's one-line message if any check fails."""
    problems = check_source(source)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise HarnessError(f"{problems[0]}{more}")


def imported_modules(source: str) -> list[str]:
    """Every module the source imports anywhere (dotted names; ``from m import x`` gives ``m``
    and ``m.x``, since ``x`` may be a submodule), in order of appearance, without duplicates."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return []
    found: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.name] = None
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found[node.module] = None
            for alias in node.names:
                if alias.name != "*":
                    found[f"{node.module}.{alias.name}"] = None
    return list(found)
