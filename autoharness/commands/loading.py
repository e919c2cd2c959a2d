"""Finding and opening a game's harness for a command, with one-line errors for the user."""

from __future__ import annotations

from pathlib import Path

from autoharness.cli_support import fail, sandbox_when_needed


def harness_path(game_id: str, explicit: str | None) -> Path:
    from autoharness.harness.library import find_harness

    if explicit:
        path = Path(explicit)
        if path.is_dir():
            fail(f"{explicit} is a folder, not a harness file")
        if not path.is_file():
            fail(f"no harness file at {explicit}")
        return path
    try:
        found = find_harness(game_id)
    except Exception as error:  # two files claim the game, an unreadable card, ...
        fail(str(error).splitlines()[0])
    if found is None:
        fail(f"no harness serves {game_id}; write one, learn one (`autoharness learn "
             f"{game_id}`), or pass --harness PATH")
    return found


def open_harness(game_id: str, explicit: str | None, timeout: float = 1.0, seed: int = 0,
                 engine: str = "stock"):
    """(path, sandboxed harness) after the static checks; a failed check exits with its reason.
    ``engine``: the profile the harness's ``ENGINE_PROFILE`` constant names."""
    from autoharness.harness.checks import check_source
    from autoharness.harness.runtime import SandboxedHarness

    path = harness_path(game_id, explicit)
    source = harness_source(path)
    problems = check_source(source)
    if problems:
        fail(f"{path}: {problems[0]}")
    sandbox_when_needed()  # the input is fine: now say which layers the harness code gets
    return path, SandboxedHarness(source, name=path.name, timeout=timeout, seed=seed,
                                  engine=engine)


def harness_source(path: Path) -> str:
    """The text of a harness file, or a one-line error (missing, a folder, binary)."""
    from autoharness.harness.errors import HarnessError
    from autoharness.harness.library import read_source

    try:
        return read_source(path)
    except HarnessError as error:
        fail(str(error))
