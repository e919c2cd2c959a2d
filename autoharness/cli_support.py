"""What every command shares: turning user input into ids and seeds, or one-line errors."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

import typer

from autoharness.arena.catalogue import UnknownGameError, resolve_game


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit: bad input never ends in a traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def game_or_exit(name: str) -> str:
    try:
        return resolve_game(name)
    except UnknownGameError as error:
        fail(str(error))


def parse_seeds(text: str) -> list[int]:
    """``10`` → seeds 0–9; ``3,7,11`` → exactly those; ``5-9`` → 5..9."""
    text = text.strip()
    try:
        if "," in text:
            return [int(part) for part in text.split(",") if part.strip()]
        if "-" in text[1:]:
            low, high = text.split("-", 1)
            return list(range(int(low), int(high) + 1))
        count = int(text)
    except ValueError:
        fail(f"--seeds takes a count (10), a list (1,5,9) or a range (0-9), not '{text}'")
    if count < 1:
        fail("--seeds needs at least one seed")
    return list(range(count))


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


def data_dir() -> Path:
    """Where run directories and match logs go: ``$AUTOHARNESS_DATA`` or the XDG data dir."""
    configured = os.environ.get("AUTOHARNESS_DATA")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "autoharness"
