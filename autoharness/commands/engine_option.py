"""The ``--engine`` option shared by bench, verify, play and learn (profiles: arena/profiles.py)."""

from __future__ import annotations

from typing import Any

import typer

from autoharness.cli_support import fail

ENGINE_HELP = ("Engine profile: stock (textarena 0.7.4 as pinned) or fixed (0.7.4 with the "
               "upstream fixes of TextArena PRs #179-#183, patched in autoharness/arena/).")


def engine_profile(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """A typer callback: the profile name, or a one-line error (exit 2)."""
    if value is None or ctx.resilient_parsing:
        return value
    from autoharness.arena.profiles import UnknownProfileError, check_profile

    try:
        return check_profile(value.strip().lower())
    except UnknownProfileError as error:
        fail(f"--engine: {error}")
