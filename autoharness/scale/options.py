"""``--ray [ADDRESS]``: an option whose value may be left out.

Click options always take a value, so the command line is rewritten before parsing: a ``--ray``
followed by nothing, by another option or by a word that is no Ray address gets the empty value,
which means "start a local Ray". Ray addresses are ``auto``, ``local``, ``HOST:PORT`` and
``ray://HOST:PORT`` (anything with a colon).
"""

from __future__ import annotations

from collections.abc import Sequence

RAY_FLAG = "--ray"


def is_ray_address(word: str) -> bool:
    return word in ("auto", "local") or ":" in word


def with_ray_values(args: Sequence[str]) -> list[str]:
    """``args`` with an empty value after every bare ``--ray`` (up to a ``--``)."""
    out: list[str] = []
    for index, arg in enumerate(args):
        out.append(arg)
        if arg == "--":
            out.extend(args[index + 1:])
            break
        if arg == RAY_FLAG:
            following = args[index + 1] if index + 1 < len(args) else None
            if following is None or not is_ray_address(following):
                out.append("")
    return out
