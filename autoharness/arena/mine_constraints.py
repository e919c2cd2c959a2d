"""Complete constraint propagation for a Minesweeper board: which hidden cells are proven.

The constraints are the revealed numbers (each equals the number of mines among its hidden
neighbours) and the cells known to be mines (hit earlier). A hidden cell is *proven* a mine when
every assignment satisfying all constraints puts a mine there, *proven safe* when none does;
otherwise it is undecided. The global mine count is not used: the observation never states it.

The search is exact: for each frontier cell both values are tried against a backtracking solver
with bounds pruning, and every solution found marks the values it shows possible, so each cell
needs at most one extra search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Cell = tuple[int, int]


@dataclass(frozen=True)
class Deductions:
    mines: frozenset[Cell]
    safe: frozenset[Cell]
    undecided: frozenset[Cell]


def neighbours(cell: Cell, rows: int, cols: int) -> Iterable[Cell]:
    r, c = cell
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if (dr or dc) and 0 <= r + dr < rows and 0 <= c + dc < cols:
                yield r + dr, c + dc


def deduce(numbers: dict[Cell, int], hidden: set[Cell], known_mines: set[Cell],
           rows: int, cols: int) -> Deductions:
    """``numbers``: revealed cells and their counts; ``hidden``: unrevealed cells (known mines
    among them)."""
    variables = sorted(hidden - known_mines)
    index = {cell: i for i, cell in enumerate(variables)}
    constraints: list[tuple[list[int], int]] = []
    for cell, count in numbers.items():
        around = [n for n in neighbours(cell, rows, cols) if n in hidden]
        need = count - sum(n in known_mines for n in around)
        free = [index[n] for n in around if n in index]
        constraints.append((free, need))
    mines, safe, undecided = set(known_mines & hidden), set(), set()
    constrained: set[int] = set()
    for component in _components(len(variables), constraints):
        constrained.update(component.variables)
        solver = _Solver(component)
        if not solver.solve({}):  # the board contradicts itself here: decide nothing
            undecided.update(variables[v] for v in component.variables)
            continue
        for v in component.variables:
            for value in (0, 1):
                if value not in solver.seen[v]:
                    solver.solve({v: value})
            values = solver.seen[v]
            (mines if values == {1} else safe if values == {0} else undecided).add(variables[v])
    undecided.update(cell for v, cell in enumerate(variables) if v not in constrained)
    return Deductions(frozenset(mines), frozenset(safe), frozenset(undecided))


@dataclass
class _Component:
    variables: list[int]  # in search order: each next to the ones before where possible
    constraints: list[tuple[list[int], int]]


def _components(size: int, constraints: list[tuple[list[int], int]]) -> list[_Component]:
    """Independent sub-problems: variables linked by a shared constraint, searched apart so a
    dead end in one never backtracks through another."""
    of_variable: list[list[int]] = [[] for _ in range(size)]
    for k, (free, _need) in enumerate(constraints):
        for v in free:
            of_variable[v].append(k)
    done_constraints: set[int] = set()
    placed: set[int] = set()
    found = []
    for k in range(len(constraints)):
        if k in done_constraints:
            continue
        order: list[int] = []
        members: list[int] = []
        queue = [k]
        done_constraints.add(k)
        while queue:
            current = queue.pop(0)
            members.append(current)
            for v in constraints[current][0]:
                if v in placed:
                    continue
                placed.add(v)
                order.append(v)
                for other in of_variable[v]:
                    if other not in done_constraints:
                        done_constraints.add(other)
                        queue.append(other)
        found.append(_Component(order, [constraints[m] for m in members]))
    return found


class _Solver:
    """DPLL over 0/1 variables with sum constraints: assignment with unit propagation (a
    constraint whose mines are all placed makes its other cells safe; one that needs all its
    unknown cells makes them mines), undone from a trail. Records the values each variable took
    in any solution found (``seen``)."""

    def __init__(self, component: _Component) -> None:
        self.free = [free for free, _need in component.constraints]
        self.need = [need for _free, need in component.constraints]
        self.order = component.variables
        self.of_variable: dict[int, list[int]] = {v: [] for v in self.order}
        for k, free in enumerate(self.free):
            for v in free:
                self.of_variable[v].append(k)
        self.seen: dict[int, set[int]] = {v: set() for v in self.order}

    def solve(self, fixed: dict[int, int]) -> bool:
        self.value: dict[int, int] = {}
        self.mines = [0] * len(self.free)
        self.unknown = [len(free) for free in self.free]
        self.trail: list[int] = []
        if any(not 0 <= need <= len(free)
               for free, need in zip(self.free, self.need, strict=True)):
            return False
        pending = list(range(len(self.free)))
        for v, value in fixed.items():
            if not self._assign(v, value, pending):
                return False
        if not self._propagate(pending) or not self._search():
            return False
        for v, value in self.value.items():
            self.seen[v].add(value)
        return True

    def _assign(self, v: int, value: int, pending: list[int]) -> bool:
        self.value[v] = value
        self.trail.append(v)
        ok = True
        for k in self.of_variable[v]:
            self.unknown[k] -= 1
            self.mines[k] += value
            if self.mines[k] > self.need[k] or self.mines[k] + self.unknown[k] < self.need[k]:
                ok = False
            pending.append(k)
        return ok

    def _propagate(self, pending: list[int]) -> bool:
        while pending:
            k = pending.pop()
            if not self.unknown[k]:
                continue
            if self.mines[k] == self.need[k]:
                forced = 0
            elif self.mines[k] + self.unknown[k] == self.need[k]:
                forced = 1
            else:
                continue
            for v in self.free[k]:
                if v not in self.value and not self._assign(v, forced, pending):
                    return False
        return True

    def _undo(self, mark: int) -> None:
        while len(self.trail) > mark:
            v = self.trail.pop()
            value = self.value.pop(v)
            for k in self.of_variable[v]:
                self.unknown[k] += 1
                self.mines[k] -= value

    def _search(self) -> bool:
        v = next((u for u in self.order if u not in self.value), None)
        if v is None:
            return True
        mark = len(self.trail)
        for value in (0, 1):
            pending: list[int] = []
            if (self._assign(v, value, pending) and self._propagate(pending)
                    and self._search()):
                return True
            self._undo(mark)
        return False
