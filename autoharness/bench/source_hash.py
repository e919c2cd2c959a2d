"""A hash of autoharness's own code, for the benchmark's cache key.

The version string does not change when the sandbox, the oracle or the runner is edited between
releases, so a cached row would survive a change in the code that measured it. Hashing every
file of the package (Python source and data, not byte code) catches that; it is computed once
per process (about 150 small files, a few milliseconds).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

_SKIPPED_DIRS = {"__pycache__"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def tree_hash(root: Path) -> str:
    """sha256 over the relative path and bytes of every file under ``root``, in sorted order
    (caches and byte code left out): any edit, added or removed file changes it."""
    digest = hashlib.sha256()
    files = sorted(path for path in root.rglob("*")
                   if path.is_file() and path.suffix not in _SKIPPED_SUFFIXES
                   and not _SKIPPED_DIRS.intersection(path.relative_to(root).parts))
    for path in files:
        name = path.relative_to(root).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(name).to_bytes(4, "big") + name + len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@functools.cache
def package_source_hash() -> str:
    """``tree_hash`` of the installed ``autoharness`` package (once per process)."""
    import autoharness

    return tree_hash(Path(autoharness.__file__).resolve().parent)
