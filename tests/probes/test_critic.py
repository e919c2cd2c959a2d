"""The critic: patterns with placeholders, every kind a slot before any kind a second."""

from autoharness.learn import critic
from autoharness.learn.prompts import refinement_prompt
from autoharness.probes import (
    FALSE_ACCEPT,
    FALSE_REJECT,
    HARNESS_FAILURE,
    ILLEGAL_PROPOSAL,
    NARROW_PROPOSER,
    Contradiction,
)


def item(kind: str, action: str | None, reason: str | None = None, failure: str | None = None,
         **extra) -> Contradiction:
    legal = {FALSE_REJECT: True, NARROW_PROPOSER: True}.get(kind, False)
    verdict = {FALSE_ACCEPT: True, FALSE_REJECT: False}.get(kind)
    return Contradiction(kind, "TicTacToe-v0", 0, 1, 0, "obs " + (action or ""), action, legal,
                         reason, verdict, failure, **extra)


def test_reasons_differing_only_in_numbers_cards_or_squares_are_one_pattern() -> None:
    assert critic.normalise("cell 4 is already occupied.") == \
        critic.normalise("cell 5 is already occupied.")
    assert critic.normalise("You cannot play Q♣ on 10♥") == \
        critic.normalise("You cannot play 7♠ on A♦")
    assert critic.normalise("no piece on e2 to move to e4") == \
        critic.normalise("no piece on b7 to move to b5")
    assert critic.normalise("Cell (3, 4) is off the board") == \
        critic.normalise("Cell (0, 12) is off the board")
    assert critic.normalise("cell 4 is occupied") != critic.normalise("cell 4 is off the board")


def test_every_kind_gets_a_slot_before_any_kind_gets_a_second() -> None:
    occupied = [item(ILLEGAL_PROPOSAL, f"[{i}]", f"cell {i} is already occupied.")
                for i in range(9)]
    found = occupied + [
        item(FALSE_ACCEPT, "[4]", "cell 4 is already occupied."),
        item(FALSE_REJECT, "[8]"),
        item(HARNESS_FAILURE, None, failure="Traceback...\nIndexError: list index out of range"),
        item(NARROW_PROPOSER, "[8]", missing=("[8]", "[7]")),
    ]
    chosen = critic.select_examples(found, 5)
    assert {c.kind for c in chosen} == {ILLEGAL_PROPOSAL, FALSE_ACCEPT, FALSE_REJECT,
                                        HARNESS_FAILURE, NARROW_PROPOSER}
    assert critic.pattern_counts(found)[ILLEGAL_PROPOSAL] == 1  # nine copies of one mistake
    two = critic.select_examples(found, 2)
    assert len({c.kind for c in two}) == 2


def test_patterns_of_a_kind_are_dealt_before_a_pattern_repeats() -> None:
    found = ([item(ILLEGAL_PROPOSAL, f"[{i}]", f"cell {i} is already occupied.")
              for i in range(6)] + [item(ILLEGAL_PROPOSAL, "[9]", "cell 9 is off the board.")])
    reasons = [c.engine_reason for c in critic.select_examples(found, 2)]
    assert "cell 9 is off the board." in reasons


def test_the_prompt_names_the_function_to_fix_both_numbers_and_the_counts() -> None:
    found = [item(FALSE_ACCEPT, "[4]", "cell 4 is already occupied."), item(FALSE_REJECT, "[8]"),
             item(NARROW_PROPOSER, "[8]", missing=("[8]", "[7]"), produced=("[0]",) * 8)]
    counts = {FALSE_ACCEPT: 3, FALSE_REJECT: 12, NARROW_PROPOSER: 1}
    figures = {"proposer_legal_rate": 0.78, "verifier_agreement": 0.95, "proposals": 900,
               "stress_checks": 4000, "patterns": critic.pattern_counts(found)}
    messages = refinement_prompt("TicTacToe-v0", "rules", "code", 0.741,
                                 critic.summarise_counts(counts, figures), found,
                                 figures=figures)
    text = messages[1]["content"]
    assert "h = 0.741" in text and "p = 0.780" in text and "v = 0.950" in text
    assert "3 false accepts in 1 pattern (fix propose_action and eval_action)" in text
    assert "12 false rejects in 1 pattern (fix eval_action)" in text
    assert "1 narrow proposer in 1 pattern (fix propose_action)" in text
    assert "Fix: propose_action and eval_action" in text and "Fix: eval_action" in text
    assert "never produced by propose_action: '[8]', '[7]'" in text


def test_the_card_entry_states_the_score_its_formula_and_the_probe_budget() -> None:
    from autoharness.commands.verify_cmd import card_figures
    from autoharness.probes import SCORE_FORMULA

    figures = {"game": "TicTacToe-v0", "legal_rate": 1.0, "actions": 300, "h": 0.75,
               "proposer_legal_rate": 0.75, "verifier_agreement": 1.0, "narrow_proposer": 0}
    entry = card_figures(figures, [0, 1, 2], 100, 300)
    assert entry["h"] == 0.75 and entry["proposer_legal_rate"] == 0.75
    assert entry["score_formula"] == SCORE_FORMULA and "h = p * v" in SCORE_FORMULA
    assert entry["probe_budget"]["positions"] == 300
    assert entry["probe_budget"]["vocabulary_probes"] == 300 * 16


def test_unshown_patterns_of_any_kind_come_before_repeats_and_spots_are_not_shown_twice() -> None:
    occupied = [item(ILLEGAL_PROPOSAL, f"[{i}]", f"cell {i} is already occupied.")
                for i in range(6)]
    # the same actions at the same observations are also false accepts
    accepted = [item(FALSE_ACCEPT, f"[{i}]", f"cell {i} is already occupied.") for i in range(6)]
    rejects = [item(FALSE_REJECT, "[8]"), item(FALSE_REJECT, "8"), item(FALSE_REJECT, "[7]")]
    chosen = critic.select_examples(occupied + accepted + rejects, 4)
    kinds = [c.kind for c in chosen]
    assert set(kinds) == {ILLEGAL_PROPOSAL, FALSE_ACCEPT, FALSE_REJECT}
    assert {c.action for c in chosen if c.kind == FALSE_REJECT} == {"[8]", "8"}  # 2 patterns
    shown = [(c.observation, c.action) for c in chosen]
    assert len(set(shown)) == len(shown)  # no observation and action shown twice
