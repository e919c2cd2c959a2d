"""What every command shares: exit codes, one-line errors, range-checked flags, seeds and game ids,
progress bars, and keeping stdout clean for ``--json``.

Exit codes (every command): 0 ran and the result is clean; 1 ran, not clean; 2 the user's input is
wrong; 3 the environment or a provider failed.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

EXIT_CLEAN = 0
EXIT_NOT_CLEAN = 1
EXIT_INPUT = 2
EXIT_ENVIRONMENT = 3


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print one line to stderr and exit: bad input never ends in a traceback."""
    typer.echo(f"error: {_one_line(message)}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"warning: {_one_line(message)}", err=True)


def _one_line(message: str) -> str:
    return " ".join(str(message).split()) or "failed"


def exit_with(code: int) -> None:
    """End a command that ran with its exit code (0 returns normally)."""
    if code:
        raise typer.Exit(code)


# ---- usage errors as one line ----------------------------------------------------------------


class OneLineErrorsGroup(TyperGroup):
    """The app's group: click's usage errors (a flag that is not a number, a missing argument, an
    unknown option) are printed as one ``error: ...`` line with exit 2, not a boxed panel."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        from autoharness.scale.options import with_ray_values  # `--ray` may come without a value

        args = with_ray_values(sys.argv[1:] if args is None else list(args))
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as error:  # click's usage errors, vendored by typer
            context = getattr(error, "ctx", None)
            if type(error).__name__ == "NoArgsIsHelpError" and context is not None:
                typer.echo(context.get_help())
                code = 0
            else:
                hint = f" (see `{context.command_path} --help`)" if context is not None else ""
                message = error.format_message() if hasattr(error, "format_message") \
                    else str(error)
                typer.echo(f"error: {_one_line(message)}{hint}", err=True)
                code = getattr(error, "exit_code", EXIT_INPUT)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            code = 1
        code = code if isinstance(code, int) else 0
        if code == 130:  # typer turned a KeyboardInterrupt into Exit(130)
            typer.echo("error: interrupted", err=True)
        if standalone_mode:
            sys.exit(code)
        return code


# ---- range checks for numeric flags (use as ``typer.Option(..., callback=at_least(1))``) ------

RangeCheck = Callable[[typer.Context, typer.CallbackParam, Any], Any]


def _flag(param: typer.CallbackParam) -> str:
    names = [n for n in getattr(param, "opts", []) if n.startswith("--")]
    return names[0] if names else (param.name or "value")


def _range_check(test: Callable[[float], bool], wanted: str) -> RangeCheck:
    def check(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
        if value is None or ctx.resilient_parsing:
            return value
        if isinstance(value, float) and not math.isfinite(value):
            fail(f"{_flag(param)} must be a finite number, not {value}")
        if not test(value):
            fail(f"{_flag(param)} must be {wanted}, not {value:g}"
                 if isinstance(value, float) else f"{_flag(param)} must be {wanted}, not {value}")
        return value

    return check


def at_least(low: float) -> RangeCheck:
    """``value >= low`` (None passes: an optional flag left out)."""
    return _range_check(lambda v: v >= low, f"at least {low:g}")


def above(low: float) -> RangeCheck:
    """``value > low``, e.g. a timeout above 0."""
    return _range_check(lambda v: v > low, f"above {low:g}")


def between(low: float, high: float) -> RangeCheck:
    """``low <= value <= high``."""
    return _range_check(lambda v: low <= v <= high, f"between {low:g} and {high:g}")


# ---- ids and seeds ---------------------------------------------------------------------------


def game_or_exit(name: str) -> str:
    from autoharness.arena.catalogue import UnknownGameError, resolve_game

    try:
        return resolve_game(name)
    except UnknownGameError as error:
        fail(str(error))


def parse_seeds(text: str) -> list[int]:
    """``10`` → seeds 0–9; ``3,7,11`` → exactly those; ``5-9`` → 5..9. Seeds are >= 0."""
    text = text.strip()
    usage = f"--seeds takes a count (10), a list (1,5,9) or a range (0-9), not '{text}'"
    try:
        if "," in text:
            seeds = [int(part) for part in text.split(",") if part.strip()]
        elif "-" in text[1:]:
            low, high = (int(part) for part in text.split("-", 1))
            if high < low:
                fail(f"--seeds {text} is an empty range (write low-high, e.g. 3-5)")
            seeds = list(range(low, high + 1))
        else:
            count = int(text)
            if count < 1:
                fail(f"--seeds needs at least one seed, not {count}")
            seeds = list(range(count))
    except ValueError:
        fail(usage)
    if not seeds:
        fail(usage)
    if min(seeds) < 0:
        fail(f"--seeds are >= 0, not {min(seeds)}")
    return list(dict.fromkeys(seeds))


# ---- stdout for JSON only --------------------------------------------------------------------


@contextlib.contextmanager
def engine_output_to_stderr(enabled: bool = True) -> Iterator[None]:
    """Send everything written to stdout inside the block to stderr instead, at the file
    descriptor level too (engines and worker processes print): ``--json`` keeps stdout for JSON."""
    if not enabled:
        yield
        return
    _flush_stdout()
    try:
        saved: int | None = os.dup(1)
        os.dup2(2, 1)
    except OSError:  # no fd 1 or 2 (embedded use): the Python-level redirect still applies
        saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        if saved is not None:
            _flush_stdout()
            os.dup2(saved, 1)
            os.close(saved)


def _flush_stdout() -> None:
    for stream in (sys.stdout, sys.__stdout__):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()


def is_interactive() -> bool:
    return sys.stderr.isatty()


@contextlib.contextmanager
def progress_bar(total: int, description: str, quiet: bool = False):
    """A rich progress bar on stderr; yields ``advance_to(done, note=None)``, where ``note``
    replaces the default rate column (done per second). Silent when ``quiet``."""
    if quiet:
        yield lambda done, note=None: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[note]}"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(description, total=total, note="")
        started = time.perf_counter()

        def advance_to(done: int, note: str | None = None) -> None:
            if note is None and done % 50 and done != total:
                return  # redrawing every action would cost more than the action
            if note is None:
                note = f"{done / max(1e-9, time.perf_counter() - started):,.0f}/s"
            bar.update(task, completed=done, note=note)

        yield advance_to


def writable_or_exit(folder: Path) -> None:
    """One line (exit 2) unless files can be written in ``folder``: an existing folder that
    takes them, or one that could be created. Nothing is created (a start that fails later, on a
    key or a model, leaves nothing behind); a temporary file is written and removed."""
    import tempfile

    try:
        nearest = folder
        while not nearest.exists() and nearest.parent != nearest:
            nearest = nearest.parent
        if not nearest.is_dir():
            fail(f"cannot write to {folder}: {nearest} is not a folder")
        with tempfile.TemporaryFile(dir=nearest):
            pass
    except OSError as error:
        fail(f"cannot write to {folder}: {error.strerror or error}")


def data_dir() -> Path:
    """Where run directories and match logs go: ``$AUTOHARNESS_DATA`` or the XDG data dir."""
    configured = os.environ.get("AUTOHARNESS_DATA")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "autoharness"


# ---- the sandbox, said once ------------------------------------------------------------------

_sandbox_said: list[bool] = []
_sandbox_pending: list[bool] = []


def sandbox_layers(require_isolation: bool = False, *, defer: bool = False) -> None:
    """Say once per process, on stderr, which sandbox layers this machine gives harness code
    (and why any is missing). With ``require_isolation`` (``--require-isolation``) exit 3 when a
    kernel layer is missing, and make every worker this command starts refuse to run harness
    code without them. ``defer``: the requirement holds at once, but the line (and the check)
    wait for ``sandbox_when_needed()``, called just before harness code first runs, so a
    mistake in the input is the only line the user sees."""
    from autoharness.harness.sandbox import isolation

    if require_isolation:
        isolation.require(True)
    if defer:
        _sandbox_pending.append(True)
        return
    _sandbox_pending.clear()
    report = isolation.probe()
    if not _sandbox_said:
        _sandbox_said.append(True)
        typer.echo(report.summary(), err=True)
    if (require_isolation or isolation.required()) and report.missing:
        fail("--require-isolation: refusing to run harness code without "
             + "; ".join(f"{layer} ({reason})" for layer, reason in report.missing.items()),
             EXIT_ENVIRONMENT)


def sandbox_when_needed() -> None:
    """The deferred ``sandbox_layers`` line and check, if a command asked for one."""
    if _sandbox_pending:
        sandbox_layers()
