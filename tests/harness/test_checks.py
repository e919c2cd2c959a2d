"""Static checks on harness sources."""

from __future__ import annotations

import pytest

from autoharness.harness.checks import check_source, imported_modules, validate_source
from autoharness.harness.errors import HarnessError

GOOD = '''"""A fine harness."""
from __future__ import annotations

GAMES = ["Chess-v0"]
PROVENANCE = {"method": "hand-written"}
VERIFIED = {"Chess-v0": {"legal_rate": 1.0}}
import collections.abc
import re
from dataclasses import dataclass
from typing import Optional

import chess
import chess.pgn
import numpy as np


@dataclass
class Cache:
    last: Optional[str] = None


def propose_action(obs: str, _cache=Cache()) -> str:
    board = chess.Board()
    return f"[{next(iter(board.legal_moves)).uci()}]" if np.int64(1) else ""


def eval_action(obs, action, *extra):
    return re.fullmatch(r"\\[[a-h][1-8][a-h][1-8]\\]", action) is not None
'''


def test_good_source_passes():
    assert check_source(GOOD) == []
    validate_source(GOOD)


def replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(("source", "expected"), [
    (replace("import re\n", "import re\nimport os\n"),
     "line 9: import of 'os' is not allowed (allowed: "),
    (replace("import re\n", "import re, socket\n"), "line 8: import of 'socket' is not allowed"),
    (replace("import chess.pgn", "import chess.engine"),
     "line 13: import of 'chess.engine' is not allowed"),
    (replace("from typing import Optional", "from subprocess import run"),
     "line 10: import from 'subprocess' is not allowed"),
    (replace("from typing import Optional", "from numpy import ctypeslib"),
     "line 10: import from 'numpy' of a module that is not allowed"),
    (replace("def propose_action(obs: str, _cache=Cache())", "def propose_action(obs, extra)"),
     "line 22: propose_action must take 1 positional parameter (obs), not 2"),
    (replace("def eval_action(obs, action, *extra)", "def eval_action(obs)"),
     "line 27: eval_action must take 2 positional parameters (obs, action), not 1"),
    (replace("def eval_action(obs, action, *extra)", "def eval_action(obs, action, *, strict)"),
     "line 27: eval_action has a required keyword-only parameter"),
    (replace("def eval_action(", "async def eval_action("),
     "line 27: eval_action must be a plain `def`"),
    (replace("def eval_action(", "def evaluate_action("),
     "line 1: no module-level `def eval_action(obs, action)`"),
    (replace('GAMES = ["Chess-v0"]\n', ""), "line 1: no GAMES constant"),
    (replace('{"Chess-v0": {"legal_rate"', '{"Chess-v1": {"legal_rate"'),
     "line 1: VERIFIED has figures for 'Chess-v1', which GAMES does not list"),
    (replace("return re.fullmatch", "return eval"), "line 28: use of 'eval' is not allowed"),
    (replace("board = chess.Board()", "board = getattr(chess, '__builtins__')"),
     "line 23: the string '__builtins__' is not allowed"),
    (replace("board = chess.Board()", "board = propose_action.__globals__"),
     "line 23: access to .__globals__ is not allowed"),
    (replace("    last: Optional", "    def open(self):\n        pass\n    last: Optional"),
     "line 19: defining 'open' is not allowed"),
    (replace("import re\n", "import re\nfrom .sibling import x\n"),
     "line 9: relative imports are not allowed"),
    (replace("return re.fullmatch(", "return re.fullmatch(("),
     "line 28: syntax error: '(' was never closed"),
])
def test_problems_are_one_line_with_the_line_number(source, expected):
    problems = check_source(source)
    assert problems
    assert str(problems[0]).startswith(expected), problems
    assert all("\n" not in str(p) for p in problems)
    with pytest.raises(HarnessError) as error:
        validate_source(source)
    assert str(error.value).startswith(expected)


def test_all_problems_are_listed():
    source = replace("import re\n", "import os, sys\n__import__('subprocess')\n")
    codes = [p.code for p in check_source(source)]
    assert codes.count("import") == 2 and "name" in codes
    with pytest.raises(HarnessError, match=r"\(and 2 more\)"):
        validate_source(source)


def test_oversized_source():
    assert check_source(GOOD + "#" * 3_000_000)[0].code == "size"


def test_imported_modules():
    assert imported_modules(GOOD) == [
        "__future__", "__future__.annotations", "collections.abc", "re", "dataclasses",
        "dataclasses.dataclass", "typing", "typing.Optional", "chess", "chess.pgn", "numpy"]
    assert imported_modules("def f(:") == []
