"""Running harness code: in a sandboxed worker process (``SandboxedHarness``) or in this process
(``InProcessHarness``, for trusted code and for measuring the sandbox's overhead). The
implementation lives in ``autoharness/harness/sandbox/`` (its package doc describes the layers);
this module is the stable import path.

Both have one interface: ``propose(obs) -> str | CallFailure``, ``evaluate(obs, action) -> bool |
CallFailure``, ``propose_many`` and ``evaluate_many`` (one round trip, per-item results), the
generic ``defines(name)`` / ``call(name, *args)`` / ``call_many(name, [args, ...])`` for the
optional harness functions (plain values both ways), ``close()``, context manager,
``protections``, ``layer_details`` and ``stats``. A failed call never raises: it returns a
``CallFailure`` whose ``kind`` is one of ``timeout``, ``crash``, ``bad_return``, ``exception``,
``too_large``, ``blocked``, ``slow`` (over the cumulative time budget) or ``missing`` (the
harness does not define the function). ``CallFailure`` is falsy, so ``if harness.evaluate(...)``
rejects. Every string that comes out is redacted of known secrets (``autoharness.secrets``).
"""

from __future__ import annotations

import os
from pathlib import Path

from autoharness.harness.sandbox.budget import TimeBudget
from autoharness.harness.sandbox.common import (
    DEFAULT_MAX_ACTION_LEN,
    DEFAULT_MAX_VALUE_BYTES,
    CallFailure,
    HarnessStats,
)
from autoharness.harness.sandbox.inprocess import InProcessHarness
from autoharness.harness.sandbox.paths import library_paths
from autoharness.harness.sandbox.protocol import CALLABLE_FUNCTIONS
from autoharness.harness.sandbox.sandboxed import LAYERS, SandboxedHarness

__all__ = [
    "CALLABLE_FUNCTIONS",
    "DEFAULT_MAX_ACTION_LEN",
    "DEFAULT_MAX_VALUE_BYTES",
    "LAYERS",
    "CallFailure",
    "HarnessStats",
    "InProcessHarness",
    "SandboxedHarness",
    "TimeBudget",
    "library_paths",
    "load_harness",
]


def load_harness(path_or_source: str | os.PathLike[str], sandbox: bool = True,
                 **kwargs: object) -> SandboxedHarness | InProcessHarness:
    """A harness from a file path or from source text (a str with a newline, or not naming an
    existing ``.py`` file, is source). A file's name becomes the traceback name unless ``name``
    is given. ``sandbox=False`` runs it in this process."""
    source: str
    if isinstance(path_or_source, os.PathLike) or (
            "\n" not in path_or_source and (path_or_source.endswith(".py")
                                            or os.path.isfile(path_or_source))):
        path = Path(path_or_source)
        source = path.read_text(encoding="utf-8")
        kwargs.setdefault("name", path.name)
    else:
        source = path_or_source
    cls = SandboxedHarness if sandbox else InProcessHarness
    return cls(source, **kwargs)  # type: ignore[arg-type]
