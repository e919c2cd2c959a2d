"""Comparing world-model states: plain values (None/bool/int/float/str/bytes/list/tuple/dict).

Lists and tuples count as the same sequence (the sandbox keeps tuples, a parser may build lists).
``None`` is *unknown* where the comparison says so: a state parsed from one player's observation
leaves what that player cannot see as ``None``.
"""

from __future__ import annotations

import math
from typing import Any

_SEQUENCES = (list, tuple)
_MISSING = object()


Path = tuple  # the indices and keys from the root to a part of a state


def path_text(path: Path) -> str:
    """``[0]['board'][3]``, each key clipped (a path is formatted only where a difference is
    reported: building it as text at every element would be quadratic in a state's size, and
    states come from harness code)."""
    return "".join(f"[{brief(part, 40)}]" for part in path) or "state"


class Conflict(ValueError):
    """Two values that cannot describe the same state; ``path`` says where."""

    def __init__(self, path: Path, left: object, right: object) -> None:
        self.path = path_text(path)
        super().__init__(f"{self.path}: {brief(left)} vs {brief(right)}")


def _scalar_equal(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b or (math.isfinite(a) and math.isfinite(b)
                          and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9))
    return type(a) is type(b) and a == b


def same(a: object, b: object) -> bool:
    """Exact equality of two states (``None`` is a value like any other)."""
    return not differences(a, b, limit=1)


def covers(prediction: object, truth: object) -> bool:
    """Does ``prediction`` agree with everything ``truth`` knows (``None`` in ``truth`` matches
    anything; ``None`` in ``prediction`` matches only ``None``)?"""
    return not differences(prediction, truth, limit=1, unknown_right=True)


def differences(a: object, b: object, limit: int = 8, unknown_right: bool = False,
                unknown_left: bool = False) -> list[str]:
    """Where ``a`` and ``b`` differ (at most ``limit`` paths, each ``path: a vs b``)."""
    found: list[str] = []
    _walk(a, b, (), found, limit, unknown_left, unknown_right)
    return found


def _walk(a: object, b: object, path: Path, found: list[str], limit: int, unknown_left: bool,
          unknown_right: bool) -> None:
    if len(found) >= limit:
        return
    if (unknown_right and b is None) or (unknown_left and a is None):
        return
    if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        if len(a) != len(b):
            found.append(f"{path_text(path)}: length {len(a)} vs {len(b)}")
            return
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(x, y, (*path, index), found, limit, unknown_left, unknown_right)
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            x, y = a.get(key, _MISSING), b.get(key, _MISSING)
            if x is _MISSING or y is _MISSING:
                if (unknown_right and y is None) or (unknown_left and x is None):
                    continue
                found.append(f"{path_text((*path, key))}: "
                             f"{'missing' if x is _MISSING else brief(x)} vs "
                             f"{'missing' if y is _MISSING else brief(y)}")
            else:
                _walk(x, y, (*path, key), found, limit, unknown_left, unknown_right)
            if len(found) >= limit:
                return
        return
    if not _scalar_equal(a, b):
        found.append(f"{path_text(path)}: {brief(a)} vs {brief(b)}")


def merge(a: object, b: object, path: Path = ()) -> object:
    """One state from two partial ones (``None`` is unknown); ``Conflict`` where both know
    different things."""
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        if len(a) != len(b):
            raise Conflict(path, f"length {len(a)}", f"length {len(b)}")
        merged = [merge(x, y, (*path, i)) for i, (x, y) in enumerate(zip(a, b, strict=True))]
        return tuple(merged) if isinstance(a, tuple) else merged
    if isinstance(a, dict) and isinstance(b, dict):
        out = {}
        for key in list(a) + [k for k in b if k not in a]:
            out[key] = merge(a.get(key), b.get(key), (*path, key))
        return out
    if not _scalar_equal(a, b):
        raise Conflict(path, a, b)
    return a


def overlay(known: object, sample: object) -> object:
    """``sample`` with every part ``known`` knows replaced by ``known``'s value: a determinisation
    that agrees with the truth wherever some player sees it."""
    if known is None:
        return sample
    if isinstance(known, _SEQUENCES) and isinstance(sample, _SEQUENCES) and (
            len(known) == len(sample)):
        merged = [overlay(k, s) for k, s in zip(known, sample, strict=True)]
        return tuple(merged) if isinstance(sample, tuple) else merged
    if isinstance(known, dict) and isinstance(sample, dict):
        out = dict(sample)
        for key, value in known.items():
            out[key] = overlay(value, sample.get(key))
        return out
    return known


def holes(sample: object, truth: object, path: Path = (), limit: int = 4) -> list[str]:
    """Paths where ``sample`` is unknown (``None``) but ``truth`` is not."""
    found: list[str] = []
    _holes(sample, truth, path, found, limit)
    return found


def _holes(a: object, b: object, path: Path, found: list[str], limit: int) -> None:
    if len(found) >= limit or b is None:
        return
    if a is None:
        found.append(path_text(path))
    elif isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            _holes(x, y, (*path, index), found, limit)
    elif isinstance(a, dict) and isinstance(b, dict):
        for key, y in b.items():
            _holes(a.get(key), y, (*path, key), found, limit)


def project(sample: object, known: object) -> object:
    """``sample`` reduced to the parts ``known`` knows (the rest ``None``): what a determinisation
    says about things some player sees."""
    if known is None:
        return None
    if isinstance(known, _SEQUENCES) and isinstance(sample, _SEQUENCES) and (
            len(known) == len(sample)):
        return [project(s, k) for s, k in zip(sample, known, strict=True)]
    if isinstance(known, dict) and isinstance(sample, dict):
        return {key: project(sample.get(key), value) for key, value in known.items()}
    return sample


def unknowns(value: object) -> int:
    """How many ``None`` leaves ``value`` has."""
    if value is None:
        return 1
    if isinstance(value, _SEQUENCES):
        return sum(unknowns(v) for v in value)
    if isinstance(value, dict):
        return sum(unknowns(v) for v in value.values())
    return 0


def freeze(value: object) -> object:
    """A hashable, order-stable key for a state (for counting distinct samples)."""
    if isinstance(value, _SEQUENCES):
        return ("seq", tuple(freeze(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted(((repr(k), freeze(v)) for k, v in value.items()))))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def as_returns(value: Any, players: int) -> list[float] | None:
    """``returns``/``value`` output as one float per player, or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and players == 1:
        return [float(value)]
    if not isinstance(value, _SEQUENCES) or len(value) != players:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
               for v in value):
        return None
    return [float(v) for v in value]


def brief(value: object, chars: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= chars else text[: chars - 5] + " ...)"
