"""2048's world model caches its slides for the planner: cached answers equal fresh ones."""

from __future__ import annotations

import random

from autoharness.harness.library import find_harness


def _model() -> dict:
    namespace: dict = {}
    exec(compile(find_harness("2048-v0").read_text(), "game2048", "exec"), namespace)  # noqa: S102
    return namespace


def test_known_slides() -> None:
    model = _model()
    cells = (2, 2, 4, 0, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0)
    assert model["_wm_slide"](4, cells, "left") == (
        (4, 4, 0, 0, 0, 0, 0, 0, 4, 2, 0, 0, 0, 0, 0, 0), 8)
    assert model["_wm_slide"](4, cells, "left") == model["_wm_slide"](4, cells, "left")
    assert model["_wm_direction"]("[up] then [Left]") == "left"
    assert model["_wm_direction"]("[up] then [Left]") == "left"  # the cached answer


def test_cached_slides_equal_fresh_ones() -> None:
    model = _model()
    rng = random.Random(0)
    boards = [tuple(rng.choice((0, 0, 2, 4, 8)) for _ in range(16)) for _ in range(300)]
    first = {(b, d): model["_wm_slide"](4, b, d) for b in boards
             for d in ("up", "down", "left", "right")}
    for cache in ("_WM_SLIDE_CACHE", "_WM_ROW_CACHE", "_WM_LINE_CACHE", "_WM_ACTIONS"):
        model[cache].clear()
    assert {key: model["_wm_slide"](4, *key) for key in first} == first


def test_legal_actions_agree_with_the_legality_code() -> None:
    # ``_legal_moves`` is the harness's separate legality code (no caches).
    model = _model()
    rng = random.Random(1)
    for _ in range(300):
        cells = tuple(rng.choice((0, 2, 2, 4, 8, 16)) for _ in range(16))
        rows = [list(cells[r * 4:r * 4 + 4]) for r in range(4)]
        state = (4, cells, 0, 2048, None)
        expected = {d.lower() for d in model["_legal_moves"](rows)}
        assert {a.strip("[]") for a in model["legal_actions"](state)} == expected
