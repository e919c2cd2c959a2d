"""Comparing world-model states is linear in their size: the path to a part is formatted only
where a difference is reported (states come from harness code; a quadratic comparison in the
host would be a way to stall it)."""

import time

from autoharness.worldmodel.values import Conflict, differences, holes, merge, same


def _wide(n: int) -> dict:
    return {"k" * n: [None] * n}


def _seconds(n: int) -> float:
    a, b = _wide(n), _wide(n)
    best = float("inf")
    for _ in range(7):  # the least of several: a busy machine only ever adds time
        began = time.perf_counter()
        assert same(a, b)
        best = min(best, time.perf_counter() - began)
    return best


def test_comparing_grows_linearly_with_the_state():
    small, large = _seconds(2_000), _seconds(16_000)
    assert large < 32 * small  # linear: about 8x; building paths as text: about 64x


def test_paths_still_read_as_before():
    assert differences({"board": [1, 2]}, {"board": [1, 3]}) == ["['board'][1]: 2 vs 3"]
    assert differences([1], [1, 2]) == ["state: length 1 vs 2"]
    assert holes({"a": None}, {"a": 1}) == ["['a']"]
    try:
        merge({"a": [1]}, {"a": [2]})
    except Conflict as conflict:
        assert conflict.path == "['a'][0]" and "1 vs 2" in str(conflict)
    else:
        raise AssertionError("no conflict")
    long_key = "k" * 500
    [report] = differences({long_key: 1}, {long_key: 2})
    assert len(report) < 80
