"""The header card of a harness file: ``GAMES``, ``PROVENANCE`` and ``VERIFIED``.

A harness file is self-contained Python. Its card is three module-level constants holding plain
literals, read with ``ast`` + ``ast.literal_eval`` — the file is never executed to read it::

    \"\"\"TicTacToe-v0 harness. <how it works>\"\"\"
    GAMES = ["TicTacToe-v0"]
    PROVENANCE = {"method": "hand-written", "notes": "..."}
    VERIFIED = {"TicTacToe-v0": {"command": "autoharness verify ...", "legal_rate": 1.0, ...}}

``write_card`` rewrites just those statements (inserting missing ones after the docstring) and
leaves every other byte of the file as it was.
"""

from __future__ import annotations

import ast
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

from autoharness.harness.errors import HarnessError

CARD_NAMES = ("GAMES", "PROVENANCE", "VERIFIED")
_WIDTH = 100


@dataclass
class HarnessCard:
    """What a harness file says about itself. ``doc`` is the module docstring (read-only:
    ``write_card`` never touches it)."""

    games: list[str]
    provenance: dict[str, Any] = field(default_factory=dict)
    verified: dict[str, dict[str, Any]] = field(default_factory=dict)
    doc: str | None = None

    @property
    def summary(self) -> str:
        """The docstring's first line, or ''."""
        return (self.doc or "").strip().split("\n", 1)[0].strip()

    def serves(self, game_id: str) -> bool:
        return game_id in self.games


def parse_source(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as error:
        raise HarnessError(f"line {error.lineno}: syntax error: {error.msg}") from None
    except (ValueError, MemoryError, RecursionError) as error:  # NUL bytes, absurd nesting
        raise HarnessError(f"cannot parse: {type(error).__name__}: {error}") from None


def card_statements(tree: ast.Module) -> dict[str, ast.stmt]:
    """The module-level statements that assign the card constants, by name."""
    found: dict[str, ast.stmt] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets = [stmt.target]
        else:
            continue
        for target in targets:
            names = [target] if isinstance(target, ast.Name) else (
                [t for t in target.elts if isinstance(t, ast.Name)]
                if isinstance(target, ast.Tuple | ast.List) else [])
            for name in names:
                if name.id not in CARD_NAMES:
                    continue
                if len(targets) != 1 or name is not target:
                    raise HarnessError(f"line {stmt.lineno}: {name.id} must be assigned on its "
                                       f"own (`{name.id} = <literal>`)")
                if name.id in found:
                    raise HarnessError(f"line {stmt.lineno}: {name.id} is assigned twice (also "
                                       f"on line {found[name.id].lineno})")
                found[name.id] = stmt
    return found


def _literal(name: str, stmt: ast.stmt) -> Any:
    try:
        return ast.literal_eval(stmt.value)  # type: ignore[attr-defined]
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise HarnessError(f"line {stmt.lineno}: {name} must be a plain literal "
                           f"(no names, calls or expressions)") from None


def _check_values(games: Any, provenance: Any, verified: Any, where: dict[str, str]) -> None:
    def fail(name: str, what: str) -> HarnessError:
        return HarnessError(f"{where.get(name, '')}{name} must be {what}")

    if not isinstance(games, list | tuple) or not games:
        raise fail("GAMES", "a non-empty list of game ids")
    for game in games:
        if not isinstance(game, str) or not game.strip() or game != game.strip():
            raise fail("GAMES", f"a list of game ids (got {game!r})")
    if not isinstance(provenance, dict) or not all(isinstance(k, str) for k in provenance):
        raise fail("PROVENANCE", "a dict with string keys")
    if not isinstance(verified, dict):
        raise fail("VERIFIED", "a dict {game id: {figure: value}}")
    for game, figures in verified.items():
        if not isinstance(game, str) or not isinstance(figures, dict) or not all(
                isinstance(k, str) for k in figures):
            raise fail("VERIFIED", f"a dict {{game id: {{figure: value}}}} (bad entry {game!r})")


def read_card(source: str) -> HarnessCard:
    """The card of a harness source, without executing it. Raises ``HarnessError`` (one line,
    with the line number) when GAMES is missing or a constant is not a well-formed literal."""
    tree = parse_source(source)
    statements = card_statements(tree)
    if "GAMES" not in statements:
        raise HarnessError('no GAMES constant (a module-level `GAMES = ["Game-v0", ...]`)')
    values = {name: _literal(name, stmt) for name, stmt in statements.items()}
    games = values["GAMES"]
    provenance = values.get("PROVENANCE", {})
    verified = values.get("VERIFIED", {})
    where = {name: f"line {stmt.lineno}: " for name, stmt in statements.items()}
    _check_values(games, provenance, verified, where)
    return HarnessCard(list(games), provenance, verified, ast.get_docstring(tree, clean=True))


# ---------------------------------------------------------------------------------------------
# writing


def _str_literal(text: str) -> str:
    literal = repr(text)
    if literal.startswith("'") and '"' not in text and "'" not in text:
        literal = '"' + literal[1:-1] + '"'
    return literal


def _one_line(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return _str_literal(value)
    if isinstance(value, numbers.Integral):
        return repr(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            raise HarnessError("cannot write NaN into a harness card")
        if math.isinf(number):
            return "1e999" if number > 0 else "-1e999"
        return repr(number)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_one_line(k)}: {_one_line(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_one_line(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_one_line(v) for v in value)
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    raise HarnessError(f"cannot write a {type(value).__name__} into a harness card")


def format_literal(value: Any, indent: int = 0, newline: str = "\n",
                   column: int | None = None) -> str:
    """A Python literal for ``value``: one line when it fits in 100 columns (it starts at
    ``column``, default ``indent``), else one item per line at ``indent`` + 4, recursively."""
    one = _one_line(value)
    start = indent if column is None else column
    if start + len(one) <= _WIDTH or not isinstance(value, dict | list | tuple) or not value:
        return one
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            key = f"{pad}{_one_line(k)}: "
            items.append(f"{key}{format_literal(v, indent + 4, newline, len(key))},")
        opening, closing = "{", "}"
    else:
        items = [f"{pad}{format_literal(v, indent + 4, newline)}," for v in value]
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
    return opening + newline + newline.join(items) + newline + " " * indent + closing


def _statement(name: str, value: Any, newline: str) -> str:
    return f"{name} = {format_literal(value, 0, newline, len(name) + 3)}"


def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    for index, byte in enumerate(data):
        if byte == 0x0A:
            starts.append(index + 1)
    return starts


def write_card(source: str, card: HarnessCard) -> str:
    """``source`` with its GAMES / PROVENANCE / VERIFIED statements replaced by ``card``'s values
    (missing ones inserted after the docstring and ``__future__`` imports; an empty PROVENANCE or
    VERIFIED is not inserted). Every other byte is kept. Raises ``HarnessError`` if the source
    does not parse or a value cannot be written as a literal."""
    _check_values(card.games, card.provenance, card.verified, {})
    tree = parse_source(source)
    statements = card_statements(tree)
    data = source.encode("utf-8")
    starts = _line_starts(data)
    newline = "\r\n" if "\r\n" in source else "\n"

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col

    header_end = 0  # just after the docstring and __future__ imports
    for index, stmt in enumerate(tree.body):
        is_doc = (index == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
                  and isinstance(stmt.value.value, str))
        is_future = isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"
        if not (is_doc or is_future):
            break
        end_line = stmt.end_lineno or stmt.lineno
        header_end = starts[end_line] if end_line < len(starts) else len(data)

    values = {"GAMES": list(card.games), "PROVENANCE": card.provenance, "VERIFIED": card.verified}
    edits: list[tuple[int, int, str]] = []  # (start, end, text) in bytes
    anchor = header_end
    for name in CARD_NAMES:
        stmt = statements.get(name)
        if stmt is not None:
            start = offset(stmt.lineno, stmt.col_offset)
            end = offset(stmt.end_lineno or stmt.lineno, stmt.end_col_offset or 0)
            edits.append((start, end, _statement(name, values[name], newline)))
            end_line = stmt.end_lineno or stmt.lineno
            anchor = starts[end_line] if end_line < len(starts) else len(data)
        elif name == "GAMES" or values[name]:
            prefix = newline if anchor == len(data) and data and not data.endswith(b"\n") else ""
            text = prefix + _statement(name, values[name], newline) + newline
            edits.append((anchor, anchor, text))
    order = sorted(range(len(edits)), key=lambda i: (edits[i][0], edits[i][1], i), reverse=True)
    for start, end, text in (edits[i] for i in order):  # back to front: offsets stay valid
        data = data[:start] + text.encode("utf-8") + data[end:]
    result = data.decode("utf-8")
    written = read_card(result)
    if (written.games, written.provenance, written.verified) != (
            list(card.games), card.provenance, card.verified):
        raise HarnessError("the card did not survive a write/read round trip")
    return result
