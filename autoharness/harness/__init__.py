"""Harness files and running them: the header card (``card``), static checks (``checks``), the
library lookup (``library``) and the sandboxed runtime (``runtime``; its implementation, with the
kernel layers, in ``sandbox/``).

A harness is a self-contained Python file defining ``propose_action(obs) -> str`` and
``eval_action(obs, action) -> bool``, with a ``GAMES`` / ``PROVENANCE`` / ``VERIFIED`` card.
Harness code is untrusted: run it through ``SandboxedHarness`` (or ``load_harness``).
"""

from autoharness.harness.card import HarnessCard, read_card, write_card
from autoharness.harness.checks import ALLOWED_IMPORTS, Problem, check_source, validate_source
from autoharness.harness.errors import HarnessError
from autoharness.harness.library import find_harness, list_harnesses
from autoharness.harness.runtime import (
    CallFailure,
    HarnessStats,
    InProcessHarness,
    SandboxedHarness,
    load_harness,
)

__all__ = [
    "ALLOWED_IMPORTS",
    "CallFailure",
    "HarnessCard",
    "HarnessError",
    "HarnessStats",
    "InProcessHarness",
    "Problem",
    "SandboxedHarness",
    "check_source",
    "find_harness",
    "list_harnesses",
    "load_harness",
    "read_card",
    "validate_source",
    "write_card",
]
