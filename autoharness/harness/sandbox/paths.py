"""Which directories a worker sees: its module path, and what it may read.

The worker reads only the Python installation (the standard library and its extension modules)
and the allowlisted third-party packages (numpy, python-chess and their vendored libraries) —
not the rest of site-packages, not the project, not home.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import sys
import sysconfig
from pathlib import Path

from autoharness.harness.checks import ALLOWED_IMPORTS


def _prefixes() -> tuple[str, ...]:
    return tuple(os.path.join(os.path.realpath(p), "") for p in {
        sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix})


@functools.cache
def library_paths() -> tuple[str, ...]:
    """The worker's module path (``PYTHONPATH``): this interpreter's own entries of
    ``sys.path`` (stdlib, lib-dynload, site-packages) and the directories holding the
    allowlisted third-party packages — not the script's directory or anything else."""
    prefixes = _prefixes()
    # the scripts directory (``.venv/bin``) is sys.path[0] under a console script: not a library
    scripts = {os.path.realpath(os.path.dirname(sys.executable)),
               os.path.realpath(sysconfig.get_path("scripts"))}
    paths = [p for p in sys.path if p and os.path.isabs(p) and os.path.isdir(p)
             and os.path.join(os.path.realpath(p), "").startswith(prefixes)
             and os.path.realpath(p) not in scripts]
    for top in _package_locations():
        paths.append(str(Path(top).parent))
    return tuple(dict.fromkeys(paths))


@functools.cache
def _package_locations() -> tuple[str, ...]:
    """Where the allowlisted packages that live outside the standard library are (a package
    directory or a module file)."""
    stdlib = {os.path.realpath(p) for p in sys.path if "site-packages" not in p
              and "dist-packages" not in p}
    found = []
    for package in sorted(ALLOWED_IMPORTS):
        with contextlib.suppress(ImportError, ValueError):
            spec = importlib.util.find_spec(package)
            if spec is None or not spec.origin or not os.path.isabs(spec.origin):
                continue
            origin = Path(spec.origin)
            top = origin.parent if spec.submodule_search_locations else origin
            if os.path.realpath(top.parent) not in stdlib:
                found.append(str(top))
    return tuple(found)


@functools.cache
def readable_paths() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(readable, listable)``: the directories (and files) a worker may read beneath — the
    standard-library entries of its path, each allowlisted package and its vendored
    ``<name>.libs`` directory — and those it may only list (the site-packages directories,
    so the import system can find the packages in them)."""
    readable: list[str] = []
    listable: list[str] = []
    packages = _package_locations()
    homes = {os.path.realpath(Path(p).parent) for p in packages}
    for path in library_paths():
        if os.path.realpath(path) in homes or "site-packages" in path:
            listable.append(path)
        else:
            readable.append(path)
    for location in packages:
        readable.append(location)
        name = Path(location).name.removesuffix(".py")
        vendored = Path(location).parent / f"{name}.libs"
        if vendored.is_dir():
            readable.append(str(vendored))
    return tuple(dict.fromkeys(readable)), tuple(dict.fromkeys(listable))
