"""Every numeric flag of every command is range-checked when parsed: one line, exit 2, flag named.

The flags come from the typer app itself, so a flag added later is covered without touching this
file: a new int/float option that accepts -5 (or 0 without being listed in ``ZERO_OK``) fails here.
"""

from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from autoharness.cli import app

# What each command needs besides the flag: a game that does not exist, so a value the range
# check wrongly lets through ends in "unknown game" (no work is done) and the test sees it.
PREFIX = {
    "verify": ["NoSuchGame-v9"],
    "bench": ["--games", "NoSuchGame-v9"],
    "play": ["NoSuchGame-v9", "--agent", "harness"],
    "learn": ["NoSuchGame-v9", "--model", "openai/gpt-4o-mini"],
}
# Flags for which 0 is a meaningful value (0 cores = all, 0 retries, no cap, seed 0, ...).
ZERO_OK = {
    ("verify", "--stress-positions"), ("verify", "--show"),
    ("bench", "--jobs"), ("bench", "--stress-positions"),
    ("play", "--seed"), ("play", "--max-retries"), ("play", "--max-turns"),
    ("play", "--thinking-budget"),
    ("learn", "--probe-positions"), ("learn", "--exploration"), ("learn", "--temperature"),
    ("learn", "--seed"), ("learn", "--thinking-budget"), ("learn", "--jobs"),
}


def _annotation(param) -> type | None:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:
        return descriptor.annotation
    name = getattr(getattr(param, "type", None), "name", "")
    return {"integer": int, "float": float}.get(name)


def numeric_flags() -> list[tuple[str, str, type]]:
    group = get_command(app)
    found = []
    for name, command in sorted(group.commands.items()):
        for param in command.params:
            flags = [o for o in getattr(param, "opts", []) if o.startswith("--")]
            kind = _annotation(param)
            if flags and kind in (int, float) and not getattr(param, "is_flag", False):
                found.append((name, flags[0], kind))
    return found


FLAGS = numeric_flags()


def test_the_flag_list_comes_from_the_app() -> None:
    names = {(command, flag) for command, flag, _ in FLAGS}
    for expected in [("verify", "--steps"), ("bench", "--jobs"), ("play", "--timeout"),
                     ("learn", "--envs"), ("learn", "--max-cost"), ("learn", "--temperature")]:
        assert expected in names
    assert names >= ZERO_OK, ZERO_OK - names  # no stale entries


def _bad_values(command: str, flag: str, kind: type) -> list[str]:
    values = ["-5", "abc", "1.5.3"]
    if kind is float:
        values += ["nan", "inf", "-inf", "-0.5"]
    if (command, flag) not in ZERO_OK:
        values.append("0")
    return values


@pytest.mark.parametrize(("command", "flag", "kind"), FLAGS,
                         ids=[f"{c} {f}" for c, f, _ in FLAGS])
def test_bad_values_are_one_line_errors(command: str, flag: str, kind: type) -> None:
    runner = CliRunner()
    for value in _bad_values(command, flag, kind):
        result = runner.invoke(app, [command, *PREFIX.get(command, []), flag, value])
        shown = f"{command} {flag} {value}: exit {result.exit_code}\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), shown
        assert "Traceback" not in result.output, shown
        assert result.exit_code == 2, shown
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), shown
        assert flag in lines[0], f"the error does not name the flag: {shown}"
