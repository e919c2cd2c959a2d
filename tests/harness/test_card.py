"""Reading and writing the header card of harness files."""

from __future__ import annotations

import ast
import math

import pytest

from autoharness.harness.card import HarnessCard, format_literal, read_card, write_card
from autoharness.harness.errors import HarnessError

SOURCE = '''"""TicTacToe-v0 harness. Parses the board — «é» — and picks a free cell."""
GAMES = ["TicTacToe-v0"]  # ids served
PROVENANCE = {"method": "hand-written", "notes": "written by hand against the engine oracle"}
VERIFIED = {"TicTacToe-v0": {"command": "autoharness verify TicTacToe-v0 --seeds 10 --steps 1000",
                             "date": "2026-11-22", "legal_rate": 1.0, "actions": 10000,
                             "false_accepts": 0, "false_rejects": 0, "stress_checks": 30000,
                             "harness_failures": 0}}
import random, re   # after the card


def propose_action(obs: str) -> str:
    return "[0]"  # GAMES = ["not", "this"]


def eval_action(obs: str, action: str) -> bool:
    return True
'''


def test_read_card():
    card = read_card(SOURCE)
    assert card.games == ["TicTacToe-v0"]
    assert card.provenance == {"method": "hand-written",
                               "notes": "written by hand against the engine oracle"}
    assert card.verified["TicTacToe-v0"]["legal_rate"] == 1.0
    assert card.verified["TicTacToe-v0"]["stress_checks"] == 30000
    assert card.summary.startswith("TicTacToe-v0 harness.")
    assert card.serves("TicTacToe-v0") and not card.serves("TicTacToe")


def test_read_card_defaults_and_annotations():
    card = read_card('GAMES: list[str] = ("A-v0", "B-v0")\n')
    assert card == HarnessCard(["A-v0", "B-v0"], {}, {}, None)


@pytest.mark.parametrize(("source", "message"), [
    ("x = 1\n", "no GAMES constant"),
    ("GAMES = make_games()\n", "line 1: GAMES must be a plain literal"),
    ("GAMES = []\n", "line 1: GAMES must be a non-empty list"),
    ("GAMES = ['A-v0', 3]\n", "line 1: GAMES must be a list of game ids"),
    ("GAMES = [' A-v0']\n", "line 1: GAMES must be a list of game ids"),
    ("GAMES = ['A-v0']\nGAMES = ['B-v0']\n", "line 2: GAMES is assigned twice"),
    ("GAMES, X = ['A-v0'], 1\n", "line 1: GAMES must be assigned on its own"),
    ("GAMES = X = ['A-v0']\n", "line 1: GAMES must be assigned on its own"),
    ("GAMES = ['A-v0']\nVERIFIED = {'A-v0': 1.0}\n", "line 2: VERIFIED must be a dict"),
    ("GAMES = ['A-v0']\nPROVENANCE = 'learned'\n", "line 2: PROVENANCE must be a dict"),
    ("GAMES = ['A-v0'\n", "line 1: syntax error"),
])
def test_read_card_errors(source, message):
    with pytest.raises(HarnessError) as error:
        read_card(source)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_write_card_keeps_every_other_byte():
    card = read_card(SOURCE)
    card.verified["TicTacToe-v0"]["legal_rate"] = 0.99
    card.provenance = {"method": "learned", "model": "gemini/gemini-2.5-flash", "llm_calls": 12}
    written = write_card(SOURCE, card)
    assert read_card(written).verified == card.verified
    assert read_card(written).provenance == card.provenance
    head, tail = SOURCE.split("GAMES", 1)[0], SOURCE.split("}}\n", 1)[1]
    assert written.startswith(head) and written.endswith(tail)
    assert "GAMES = [\"TicTacToe-v0\"]  # ids served\n" in written  # trailing comment kept
    assert write_card(written, card) == written  # idempotent


def test_write_card_round_trips_exactly_when_unchanged():
    once = write_card(SOURCE, read_card(SOURCE))
    assert write_card(once, read_card(once)) == once
    ast.parse(once)


def test_write_card_inserts_missing_constants_in_order():
    source = '"""Doc."""\nfrom __future__ import annotations\nGAMES = ["A-v0"]\nimport re\n'
    card = HarnessCard(["A-v0"], {"method": "hand-written"}, {"A-v0": {"legal_rate": 1.0}})
    written = write_card(source, card)
    assert written == ('"""Doc."""\nfrom __future__ import annotations\nGAMES = ["A-v0"]\n'
                       'PROVENANCE = {"method": "hand-written"}\n'
                       'VERIFIED = {"A-v0": {"legal_rate": 1.0}}\nimport re\n')


def test_write_card_into_a_file_without_a_card():
    source = '"""Doc."""\nfrom __future__ import annotations\n\nimport re\n'
    written = write_card(source, HarnessCard(["A-v0"], {"method": "learned"}))
    assert written.startswith('"""Doc."""\nfrom __future__ import annotations\nGAMES = ["A-v0"]\n'
                              'PROVENANCE = {"method": "learned"}\n\nimport re\n')
    assert "VERIFIED" not in written  # empty: not inserted
    assert write_card("import re", HarnessCard(["A-v0"])) == 'GAMES = ["A-v0"]\nimport re'


def test_write_card_keeps_crlf_and_non_ascii():
    source = '"""Ü harness."""\r\nGAMES = ["Ü-v0"]\r\nX = "é"\r\n'
    card = HarnessCard(["Ü-v0", "Ö-v0"], {"notes": "naïve"}, {})
    written = write_card(source, card)
    assert written == ('"""Ü harness."""\r\nGAMES = ["Ü-v0", "Ö-v0"]\r\n'
                       'PROVENANCE = {"notes": "naïve"}\r\nX = "é"\r\n')


def test_long_values_are_wrapped_and_still_literals():
    figures = {f"figure_{i}": i * 1.5 for i in range(12)} | {"command": "autoharness verify x"}
    card = HarnessCard(["A-v0", "B-v0"], {}, {"A-v0": figures, "B-v0": dict(figures)})
    written = write_card('GAMES = ["A-v0"]\n', card)
    assert max(len(line) for line in written.splitlines()) <= 100
    assert read_card(written).verified == card.verified
    assert written.count("\n") > 3


def test_special_values():
    card = HarnessCard(["A-v0"], {"quote": "it's \"x\"", "inf": math.inf, "none": None,
                                  "flag": True, "tuple": (1,), "list": [1, [2]]})
    assert read_card(write_card('GAMES = ["A-v0"]\n', card)).provenance == card.provenance
    with pytest.raises(HarnessError, match="NaN"):
        write_card('GAMES = ["A-v0"]\n', HarnessCard(["A-v0"], {"x": math.nan}))
    with pytest.raises(HarnessError, match="cannot write a set"):
        write_card('GAMES = ["A-v0"]\n', HarnessCard(["A-v0"], {"x": {1}}))
    with pytest.raises(HarnessError, match="GAMES must be"):
        write_card('GAMES = ["A-v0"]\n', HarnessCard([]))


def test_format_literal():
    assert format_literal({"a": 1, "b": "x"}) == '{"a": 1, "b": "x"}'
    assert format_literal(["it's"]) == '["it\'s"]'
    wrapped = format_literal({"k" * 60: "v" * 60})
    assert wrapped.startswith("{\n    ") and ast.literal_eval(wrapped) == {"k" * 60: "v" * 60}
