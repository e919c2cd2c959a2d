"""The one exception type of the harness package."""

from __future__ import annotations


class HarnessError(Exception):
    """A harness file that cannot be used: unparsable card, a failed static check, two files
    claiming one game. The message is one line, naming the problem (and its line when known)."""
