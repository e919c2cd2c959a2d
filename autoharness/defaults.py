"""Defaults shared by the commands and the packages, importable without loading TextArena (so
``autoharness --help`` stays fast)."""

DEFAULT_STRESS_POSITIONS = 300  # positions per game where verify/bench probe eval_action
