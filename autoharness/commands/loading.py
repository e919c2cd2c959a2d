"""Finding and opening a game's harness for a command, with one-line errors for the user."""

from __future__ import annotations

from pathlib import Path

from autoharness.cli_support import fail, sandbox_when_needed


def harness_path(game_id: str, explicit: str | None) -> Path:
    from autoharness.harness.library import find_harness

    if explicit is not None:
        if not explicit.strip():  # `--harness ""`, e.g. an unset variable: not the library's
            fail("--harness needs a harness file (or leave it out for the library's)")
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
    from autoharness.harness.runtime import SandboxedHarness

    path = harness_path(game_id, explicit)
    source = checked_source(path, [game_id])
    sandbox_when_needed()  # the input is fine: now say which layers the harness code gets
    return path, SandboxedHarness(source, name=path.name, timeout=timeout, seed=seed,
                                  engine=engine)


def checked_source(path: Path, games: list[str] | tuple[str, ...] = ()) -> str:
    """The text of a harness file after the static checks, which also serves each of
    ``games`` (its ``GAMES`` lists it); a one-line error (exit 2) otherwise."""
    from autoharness.harness.card import read_card
    from autoharness.harness.checks import check_source

    source = harness_source(path)
    problems = check_source(source)
    if problems:
        fail(f"{path}: {problems[0]}")
    served = read_card(source).games
    others = [game for game in games if game not in served]
    if others:
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        fail(f"{path} does not serve {', '.join(others[:3])}{more}: its GAMES lists "
             f"{', '.join(served)} (add a game there if the harness fits it)")
    return source


def harness_source(path: Path) -> str:
    """The text of a harness file, or a one-line error (missing, a folder, binary)."""
    from autoharness.harness.errors import HarnessError
    from autoharness.harness.library import read_source

    try:
        return read_source(path)
    except HarnessError as error:
        fail(str(error))
