"""The run's vocabulary: every action the engine accepted anywhere in the run (any seat, seed or
lane), probed in turn at the fully probed positions within a budget."""

from __future__ import annotations

import re

MAX_WORDS = 5000
_NUMBER = re.compile(r"\d+")


class Vocabulary:
    def __init__(self, budget: int) -> None:
        self.words: list[str] = []  # in the order the engine accepted them
        self._known: set[str] = set()
        self._next = 0  # the next word to probe: round robin, so each gets its turn
        self.budget = budget
        self.spent = 0
        self.numbers: list[int] = []  # small numbers seen in accepted actions (rules' templates)

    def learn(self, action: str) -> None:
        if action not in self._known and len(self.words) < MAX_WORDS:
            self._known.add(action)
            self.words.append(action)
            for number in map(int, _NUMBER.findall(action)):
                if number < 100 and number not in self.numbers:
                    self.numbers.append(number)

    def turn(self, count: int, skip: set[str]) -> list[str]:
        """The next ``count`` words in turn (not in ``skip``), within what is left of the
        budget."""
        room = min(count, self.budget - self.spent)
        picked: list[str] = []
        tries = 0
        while len(picked) < room and tries < len(self.words):
            word = self.words[self._next % len(self.words)]
            self._next += 1
            tries += 1
            if word not in skip:
                picked.append(word)
        self.spent += len(picked)
        return picked
