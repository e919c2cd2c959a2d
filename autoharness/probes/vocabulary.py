"""The run's vocabulary: every action the engine accepted anywhere in the run (any seat, seed or
lane), probed in turn at the fully probed positions within a budget.

Every other word of a turn comes round the forms of move (``move_form``: "[O 3]" is of the
form "o #", "[c5]" of "c#"), then round the moves of each form (``move_text``: its whole text,
for the first bracketed token need not tell moves apart); the others come round all the moves
in turn. Each move's spellings take turns, and a position gets one spelling of a move. So a
form few moves have (the letter a proposer never assigns, found once by a stress probe) is
probed at every other position, not once in a few hundred, and sixteen words are sixteen
moves, not "[15]", "15" and "[15][15]"."""

from __future__ import annotations

import re

from autoharness.probes.coverage import move_form, move_text

MAX_WORDS = 5000
_NUMBER = re.compile(r"\d+")


class _Ring:
    """Items in the order they came, handed out in turn."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.items: list = []
        self.next = 0

    def take(self):
        item = self.items[self.next % len(self.items)]
        self.next += 1
        return item


class Vocabulary:
    def __init__(self, budget: int) -> None:
        self.words: list[str] = []  # in the order the engine accepted them
        self._known: set[str] = set()
        self._forms = _Ring()  # of forms; each a _Ring of moves; each a _Ring of spellings
        self._moves = _Ring()  # of every move's _Ring of spellings, in the order they came
        self._form: dict[str, _Ring] = {}
        self._move: dict[str, _Ring] = {}
        self.budget = budget
        self.spent = 0
        self.numbers: list[int] = []  # small numbers seen in accepted actions (rules' templates)

    def learn(self, action: str) -> None:
        if action not in self._known and len(self.words) < MAX_WORDS:
            self._known.add(action)
            self.words.append(action)
            key = move_text(action)
            if key not in self._move:
                self._move[key] = _Ring(key)
                form = move_form(key)
                if form not in self._form:
                    self._form[form] = _Ring()
                    self._forms.items.append(self._form[form])
                self._form[form].items.append(self._move[key])
                self._moves.items.append(self._move[key])
            self._move[key].items.append(action)
            for number in map(int, _NUMBER.findall(action)):
                if number < 100 and number not in self.numbers:
                    self.numbers.append(number)

    def first_moves(self, count: int) -> list[str]:
        """The first spelling of each of the first ``count`` moves the engine accepted."""
        return [move.items[0] for move in self._moves.items[:count]]

    def turn(self, count: int, skip: set[str]) -> list[str]:
        """The next ``count`` words in turn (not in ``skip``, one a move), a form at a time,
        within what is left of the budget."""
        room = min(count, self.budget - self.spent)
        taken = {move_text(a) for a in skip}
        picked: list[str] = []
        tries = 0
        while len(picked) < room and tries < 2 * len(self._move):
            # Turns alternate: a form's next move, then the next move of all (a form of many
            # moves, Poker's bets, still has each of them probed every so many positions).
            spellings = self._forms.take().take() if tries % 2 == 0 else self._moves.take()
            tries += 1
            word = spellings.take()
            if spellings.name not in taken and word not in skip:
                taken.add(spellings.name)
                picked.append(word)
        self.spent += len(picked)
        return picked
