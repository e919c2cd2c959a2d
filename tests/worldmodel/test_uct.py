"""The planner on toy models given as plain functions (no sandbox)."""

from autoharness.worldmodel.uct import AutoharnessMCTS


def nim_model():
    # state: (pile, player); take 1-3; taking the last object wins
    def legal(s):
        return [f"[{k}]" for k in (1, 2, 3) if k <= s[0]] if s[0] else []

    def apply(s, a):
        return (s[0] - int(a[1]), 1 - s[1])

    def returns(s):
        if s[0]:
            return [0.0, 0.0]
        winner = 1 - s[1]
        return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]

    return AutoharnessMCTS(legal, apply, lambda s: s[1], lambda s: s[0] == 0, returns)


def test_uct_finds_the_winning_move_in_subtraction_nim():
    for pile, best in ((5, "[1]"), (6, "[2]"), (7, "[3]"), (9, "[1]")):
        result = nim_model().search(root=(pile, 0), simulations=3000, seed=1)
        assert result["action"] == best, (pile, result)


def test_ismcts_with_determinisations_and_a_value():
    # a guessing game: the hidden card is 0 or 1; guessing right pays 1
    def legal(s):
        return [] if s[1] is not None else ["[0]", "[1]"]

    def apply(s, a):
        return (s[0], int(a[1]))

    def returns(s):
        return [1.0 if s[1] == s[0] else 0.0]

    planner = AutoharnessMCTS(legal, apply, lambda s: 0, lambda s: s[1] is not None, returns,
                              players=1)
    always_one = planner.search(sample=lambda rng: (1, None), simulations=200, seed=3)
    assert always_one["action"] == "[1]"
    coin = planner.search(sample=lambda rng: (rng.randrange(2), None), simulations=400, seed=3)
    assert 0.3 < coin["values"]["[0]"] < 0.7
    assert coin["simulations"] == 400
