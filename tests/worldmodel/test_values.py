from autoharness.worldmodel.values import (
    Conflict,
    as_returns,
    covers,
    differences,
    holes,
    merge,
    overlay,
    project,
    same,
)


def test_lists_and_tuples_are_the_same_sequence_and_none_is_a_value():
    assert same(("a", [1, 2]), ["a", (1, 2)])
    assert not same(("a", None), ("a", 1))
    assert differences({"x": 1, "y": [1, 2]}, {"x": 1, "y": [1, 3]}) == ["['y'][1]: 2 vs 3"]


def test_covers_treats_none_as_unknown_only_on_the_truth_side():
    assert covers((1, "K", 5), (1, None, 5))
    assert not covers((1, None, 5), (1, "K", 5))
    assert not covers((1, "Q", 4), (1, None, 5))


def test_merge_unifies_views_and_reports_conflicts():
    assert merge((0, None, (1, None)), (0, "K", (None, 2))) == (0, "K", (1, 2))
    try:
        merge((0, "J"), (0, "K"))
    except Conflict as conflict:
        assert "[1]" in str(conflict)
    else:
        raise AssertionError("no conflict")


def test_overlay_project_and_holes():
    truth, sample = (3, None, ("X", None)), (3, 7, ("O", "B"))
    assert overlay(truth, sample) == (3, 7, ("X", "B"))
    assert project(sample, truth) == [3, None, ["O", None]]
    assert holes((3, None, ("X", None)), (3, 1, ("X", None))) == ["[1]"]


def test_returns_shape():
    assert as_returns([1, -1], 2) == [1.0, -1.0]
    assert as_returns(0.5, 1) == [0.5]
    assert as_returns([1], 2) is None and as_returns([True, False], 2) is None
    assert as_returns([float("nan"), 0], 2) is None
