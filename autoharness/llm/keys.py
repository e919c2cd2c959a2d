"""API keys: read from the environment, then scrubbed from it once a client holds them.

``make_llm`` calls ``scrub()`` after building a client: every secret-looking variable
(``autoharness.secrets.is_secret_name``) leaves ``os.environ`` and its value stays registered for
redaction, so nothing started later (a harness worker, a subprocess) inherits it. The values are
kept here, in this process only, so a second client built later (an opponent, a resumed run in
the same process) still finds its key: ``env_first`` looks in ``os.environ`` first, then here.
``restored()`` puts them back for code that reads the environment itself (TextArena's agent
classes) and scrubs again afterwards.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

from autoharness import secrets

_lock = threading.Lock()
_kept: dict[str, str] = {}


def env_first(*names: str) -> str | None:
    """The first of ``names`` set to a non-blank value in the environment (or scrubbed from it
    by this process)."""
    for name in names:
        value = os.environ.get(name)
        if value is None:
            with _lock:
                value = _kept.get(name)
        if value and value.strip():
            return value.strip()
    return None


def scrub() -> list[str]:
    """Keep every secret variable's value here, then remove them all from ``os.environ``."""
    with _lock:
        for name, value in os.environ.items():
            if secrets.is_secret_name(name):
                _kept[name] = value
    return secrets.scrub_environment()


@contextlib.contextmanager
def restored() -> Iterator[None]:
    """The scrubbed keys back in ``os.environ`` for the block (then scrubbed again)."""
    with _lock:
        missing = {k: v for k, v in _kept.items() if k not in os.environ}
    os.environ.update(missing)
    try:
        yield
    finally:
        scrub()


def forget() -> None:
    """Drop the kept values (tests that need a key to be missing)."""
    with _lock:
        _kept.clear()
