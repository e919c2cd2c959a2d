"""Running per-game work on this machine's processes or on a Ray cluster (``--ray``), for
``bench`` and ``learn --games``: ``executor`` (where tasks run), ``tasks`` (what they run),
``options`` (the ``--ray [ADDRESS]`` flag)."""

from autoharness.scale.executor import (
    RAY_HELP,
    RAY_INSTALL,
    Executor,
    ExecutorError,
    LocalExecutor,
    RayExecutor,
    make_executor,
)

__all__ = ["RAY_HELP", "RAY_INSTALL", "Executor", "ExecutorError", "LocalExecutor",
           "RayExecutor", "make_executor"]
