"""``--total-cost``: one hard dollar budget shared by every game of a ``learn --games`` run.

Each game's loop asks ``reserve(worst_case)`` before an LLM call (the same worst case its own
``--max-cost`` uses: prompt estimate plus output cap, at the model's price) and ``settle(hold,
charged)`` once the call returned. A reservation is granted only while what was spent, plus
every call in flight at its worst case, plus this one fits; so the calls running at once can
never together cross the budget. A call that would fit once the calls in flight are settled
waits for them; one that cannot fit even then is refused, and that game stops on its budget
(resumable with a larger ``--total-cost``).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Hold:
    id: int
    worst_cost: float
    refusal: str | None = None  # set: the call may not be made


class TotalBudget:
    def __init__(self, limit: float, spent: float = 0.0) -> None:
        self.limit = limit
        self.spent = spent  # settled charges, including earlier sessions of the run
        self._in_flight: dict[int, float] = {}
        self._ids = itertools.count()
        self._changed = threading.Condition()

    @property
    def reserved(self) -> float:
        with self._changed:
            return sum(self._in_flight.values())

    def reserve(self, worst_cost: float | None) -> Hold:
        with self._changed:
            while True:
                if worst_cost is None:
                    return Hold(-1, 0.0, "total cost budget: the cost of the next call is "
                                         "unknown (give --price)")
                if self.spent + worst_cost > self.limit:
                    return Hold(-1, 0.0, f"total cost budget: the next call could cost "
                                         f"${worst_cost:.4f}; ${self.spent:.4f} of --total-cost "
                                         f"${self.limit:g} spent across the games")
                if self.spent + sum(self._in_flight.values()) + worst_cost <= self.limit:
                    hold = Hold(next(self._ids), worst_cost)
                    self._in_flight[hold.id] = worst_cost
                    return hold
                self._changed.wait()  # fits once a call in flight settles below its worst case

    def settle(self, hold: Hold, cost: float | None) -> None:
        """The call of ``hold`` returned and was charged ``cost`` (None: unknown, counted at its
        worst case)."""
        if hold.refusal is not None:
            return
        with self._changed:
            worst = self._in_flight.pop(hold.id, None)
            if worst is None:
                return
            self.spent += worst if cost is None else cost
            self._changed.notify_all()
