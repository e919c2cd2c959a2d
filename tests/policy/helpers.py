"""Shared bits of the policy tests: library sources and harnesses with a planted policy bug."""

from __future__ import annotations

from pathlib import Path

HARNESSES = Path(__file__).resolve().parents[2] / "harnesses"
POLICY_MARKER = "# ---- policy: choose_action (hand-written)"


def library(name: str) -> str:
    return (HARNESSES / f"{name}.py").read_text()


def with_policy(name: str, body: str) -> str:
    """The library file with its choose_action replaced by ``def choose_action(obs): <body>``."""
    source = library(name)
    head = source.partition(POLICY_MARKER)[0]
    return f"{head}\ndef choose_action(obs):\n    {body}\n"


def without_policy(name: str) -> str:
    return library(name).partition(POLICY_MARKER)[0]
