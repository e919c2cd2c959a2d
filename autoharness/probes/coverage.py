"""Is propose_action's randomness covering the legal actions, or is it a narrow proposer?

At each fully probed position the engine samples ``propose_action`` k times. Two tests, both
against a *covering* proposer (one that gives every legal action a fair chance), both with a
false-alarm probability below ``alpha`` per run for such a proposer:

* **stuck on one action** (every game): all k samples equal where at least n >= 2 actions are
  known to be legal. A covering proposer does that with probability <= n^-(k-1); the run flags
  when such positions are far more frequent than that (Poisson tail < alpha, at least 3) and
  make up at least half of the positions tested, once ``STUCK_POSITIONS`` are (a proposer
  that merely leans one way, as a Blackjack player standing on 19 does, is not narrow).
* **never produces a legal action** (where the legal set is known: the engine lists its moves,
  or the other probes already found every move the samples produced): a legal action a that a
  covering proposer would have produced at some of the positions where it was legal, yet never
  did. A covering proposer here gives a at least
  p = min(1/n, 1/(m·|C|)) per sample: uniform over the n legal actions, or uniform over the m
  shapes of action (digits blanked: ``[raise #]``) and then over the |C| actions of a's shape,
  whichever is smaller, so a proposer that picks a kind of move first and then its argument is not
  flagged for the arguments it rarely picks. Over the positions, the expected number of hits is
  c = sum(1 - (1 - p)^k); zero hits has probability <= e^-c, and a is flagged when that is below
  alpha / M (M: the legal actions tested so far). The same test runs on kinds of moves, two
  groupings: classes (``move_class``: the first word of the move, a pile, a verb, a
  from-square) and forms (``move_form``: the move with its numbers blanked, "c#" of "c5",
  "d# b#" of "d3 b4"), with p = min(|C|/n, 1/m) per sample (uniform over moves, or over the m
  kinds of the grouping), so a proposer that never takes from pile 1, or never fires at column
  c, is caught though every single move of the kind is rare.
* **misses what it should not, here** (the same units, position by position): a proposer that
  plays pile 1 only once pile 0 is empty produces every class somewhere, yet misses pile 1 at
  every position where pile 0 is not empty. A covering proposer may lean (a Blackjack player
  hits a 19 rarely) but gives each legal unit at least min(0.1, half the uniform chance) per
  sample; the count of positions where a unit was missed is held against that with a Chernoff
  bound (independent samples at different positions), below alpha / (units tested).

The bounds are exact where the engine lists the legal moves. Elsewhere the legal set is what the
probes found, taken as whole when it holds every move (or kind) the samples produced: a
heuristic, checked on every library harness (none is flagged on four seed sets:
``eval/signal_corpus/library_narrow.py``; tests/probes). Where a form's legal moves have no end
the game tells (``open_forms``: a LiarsDice bid of more dice than are in play), its moves past
the proposer's own range at a position are tested as kinds only: no proposer covers an endless
set one move at a time, but it must not skip moves inside the range it plays.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

_DIGITS = re.compile(r"\d+")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
_SPACE = re.compile(r"\s+")


def shape(action: str) -> str:
    return _DIGITS.sub("#", action.strip().lower())


_COMMA = re.compile(r"\s*,\s*")
_SEPARATORS = re.compile(r"[\s,:;]+")
_REPEATED = re.compile(r"(\[[^\[\]]*\])(?:\s*\1)+")
_CLASS = "class "


def move_key(action: str) -> str:
    """One spelling per move: "[E2E4]", "e2e4" and "[e2e4][e2e4]" are the same move to the
    engines (they read the first bracketed token, case-insensitively where it matters), and so
    are "[bid: 3, 4]" and "[bid 3 4]" (separators are one space), so a proposer need not
    produce every spelling the probes found legal."""
    match = _BRACKETED.search(action)
    core = (match.group(1) if match else action).lower()
    return _SEPARATORS.sub(" ", core).strip()


def move_text(action: str) -> str:
    """A move's whole text, for moves the first bracketed token does not tell apart
    ("[Propose] ABCDE"): from the first bracket on (a rationale before it is no part of the
    move), brackets dropped, lower case, spacing normalised."""
    text = _REPEATED.sub(r"\1", action.strip().lower())  # "[up][up]" is "[up]"
    text = text[max(0, text.find("[")):].replace("[", " ").replace("]", " ")
    return _SPACE.sub(" ", _COMMA.sub(",", text)).strip()


def move_class(key: str) -> str:
    """A move's first word ("raise" of "raise 40", the pile of "0 3", the square a piece leaves
    in "a5 b5"): a proposer that never plays a whole class is narrow even where each single
    move is rare."""
    return re.split(r"[ ,]", key, maxsplit=1)[0]


def open_forms(moves: list[str], observation: str) -> set[str]:
    """The forms (``move_form``) of which a legal move here has a number larger than any the
    observation shows: their legal moves have no end the game tells (LiarsDice takes a bid of
    more dice than are in play), so no proposer covers them one by one, and the probe engine
    tests them as kinds and forms only, for the rest of the run. Where the game bounds its
    numbers it shows the bound ("between 1 and 20"), and every move stays a unit; in an open
    form, the moves within the proposer's own range stay units too (``beyond_samples``)."""
    shown = max(map(int, _DIGITS.findall(observation)), default=-1)
    return {move_form(m) for m in moves if _largest(m) > shown}


def _largest(move: str) -> int:
    return max(map(int, _DIGITS.findall(move)), default=-1)


def beyond_samples(known: list[str], samples: list[str], forms: set[str]) -> frozenset[str]:
    """The known moves of open ``forms`` (``open_forms``) that lie beyond every sample of their
    form: past the largest number the proposer played in it here. A proposer may keep to a
    range where the moves have no end (bid no more dice than are in play), but not skip moves
    inside it (never the least raise)."""
    reach: dict[str, int] = {}
    for move in samples:
        form = move_form(move)
        reach[form] = max(reach.get(form, -1), _largest(move))
    return frozenset(m for m in known if (form := move_form(m)) in forms
                     and _largest(m) > reach.get(form, -1))


def move_form(key: str) -> str:
    """A move's form, its numbers blanked ("c#" of "c5", "d# b#" of "d3 b4"): a proposer that
    never fires at column c, or never moves from file d to file b, is narrow too, though no
    first word tells those moves apart."""
    return _DIGITS.sub("#", key)


_FORM = "form "
# Ways of grouping moves into kinds, each tested as a unit: a unit's name is prefix + group.
GROUPINGS = ((_CLASS, move_class), (_FORM, move_form))


def _grouping(unit: str):
    return next((g for g in GROUPINGS if unit.startswith(g[0])), None)


@dataclass(frozen=True)
class NarrowFinding:
    action: str  # a legal action the proposer did not produce here
    missing: tuple[str, ...]  # legal actions here it never produced
    produced: tuple[str, ...]  # its samples here
    why: str
    unit: str = ""  # which test found what: "stuck", "never: <unit>", "missed: <unit>"


def poisson_tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    term = math.exp(-expected)
    below = 0.0
    for j in range(observed):
        below += term
        term *= expected / (j + 1)
    return max(0.0, 1.0 - below)


# The stuck test waits for this many positions: a player that knows a pair in Memory, or sees a
# forced move, plays one move at a few positions, early in a run, without being narrow.
STUCK_POSITIONS = 10

FLOOR = 0.1  # the least per-sample chance a covering proposer gives a legal unit


def chernoff_tail(observed: int, expected: float) -> float:
    """A bound on P(X >= observed) for X a sum of independent Bernoullis with mean expected."""
    if observed <= expected:
        return 1.0
    return math.exp(-expected) * (math.e * expected / observed) ** observed


class CoverageTracker:
    def __init__(self, alpha: float = 1e-3, min_samples: int = 4) -> None:
        self.alpha = alpha
        self.min_samples = min_samples
        self.chances: dict[str, float] = {}  # unit -> expected positions a covering proposer hits
        self.hits: Counter[str] = Counter()  # unit -> positions (or lane moves) that did
        self.flagged: set[str] = set()
        self.eligible_positions = 0
        self.stuck_positions = 0
        self.stuck_expected = 0.0
        self.stuck_flagged = False
        self.misses: Counter[str] = Counter()  # unit -> positions where samples missed it
        self.miss_expected: dict[str, float] = {}  # ... that a covering proposer allows
        self.missed_flagged: set[str] = set()

    def _produced(self, action: str) -> None:
        self.hits[action] += 1
        for prefix, group in GROUPINGS:
            self.hits[prefix + group(action)] += 1

    def note_produced(self, action: str) -> None:
        """A proposal played in a lane (``move_key`` spelling): produced, though not part of a
        k-sample."""
        self._produced(action)

    def observe(self, known: list[str], samples: list[str], exact: bool,
                open_ended: frozenset[str] = frozenset()) -> list[NarrowFinding]:
        """One position: ``known`` the legal moves known here from other sources than these
        samples (``move_key`` spellings; the full set when ``exact``: the engine listed them),
        ``samples`` the proposer's legal answers here (same spelling). The never-produced test
        runs on moves where the set is exact or holds every sample (then it is likely whole),
        and on classes of moves (``move_class``) where the known classes hold every sample's.
        Moves in ``open_ended`` (``beyond_samples``) are tested only as part of their kinds.
        Returns what is newly found narrow."""
        k = len(samples)
        produced = set(samples)
        moves_whole = exact or produced <= set(known)
        whole = {prefix: exact or {group(a) for a in produced} <= {group(a) for a in known}
                 for prefix, group in GROUPINGS}
        known = list(dict.fromkeys([*known, *samples]))
        if k < self.min_samples or len(known) < 2:
            return []
        findings: list[NarrowFinding] = []
        for action in produced:
            self._produced(action)
        self.eligible_positions += 1
        if len(produced) == 1:
            self.stuck_positions += 1
        self.stuck_expected += len(known) ** -(k - 1)
        if (not self.stuck_flagged and len(produced) == 1 and self.stuck_positions >= 3
                and self.eligible_positions >= STUCK_POSITIONS
                and self.stuck_positions >= self.eligible_positions / 2
                and poisson_tail(self.stuck_positions, self.stuck_expected) < self.alpha):
            self.stuck_flagged = True
            others = tuple(a for a in known if a not in produced)
            findings.append(NarrowFinding(
                others[0], others[:12], tuple(samples),
                f"all {k} samples were the same action at {self.stuck_positions} positions with "
                f"other legal actions (a covering proposer: {self.stuck_expected:.2g} expected)",
                "stuck"))
        units: dict[str, list[str]] = {}  # unit -> its known members here
        if moves_whole:
            units.update((a, [a]) for a in known if a not in open_ended)
        partitions: set[frozenset[tuple[str, ...]]] = set()  # a grouping already tested
        for prefix, group in GROUPINGS:
            kinds: dict[str, list[str]] = {}
            for action in known:
                kinds.setdefault(group(action), []).append(action)
            partition = frozenset(tuple(members) for members in kinds.values())
            if whole[prefix] and 1 < len(kinds) < len(known) and partition not in partitions:
                partitions.add(partition)
                units.update((prefix + kind, members) for kind, members in kinds.items())
        if units:
            findings += self._never_produced(known, units, k)
            findings += self._missed_here(known, units, produced, k)
        return findings

    def _chance(self, unit: str, members: list[str], known: list[str], units) -> float:
        """The per-sample chance a covering proposer gives ``unit`` here, at least."""
        n = len(known)
        grouping = _grouping(unit)
        if grouping is not None:  # uniform over moves, or over its kinds: the smaller
            return min(len(members) / n, 1 / sum(u.startswith(grouping[0]) for u in units))
        shapes = Counter(shape(a) for a in known)  # uniform over moves, or over forms
        return min(1 / n, 1 / (len(shapes) * shapes[shape(unit)]))

    def _missed_here(self, known: list[str], units: dict[str, list[str]], produced: set[str],
                     k: int) -> list[NarrowFinding]:
        """Per unit, the positions where the samples missed it although it was legal, against
        what a covering proposer allows: it gives each unit at least FLOOR per sample (or half
        the uniform chance, when that is smaller), so it misses with probability <= q; a
        Chernoff bound on the count must fall below alpha / (units tested)."""
        produced_units = set(produced) | {prefix + group(a) for a in produced
                                          for prefix, group in GROUPINGS}
        kinds = Counter(g[0] for u in units if (g := _grouping(u)) is not None)
        fresh: list[str] = []
        for unit, members in units.items():
            grouping = _grouping(unit)
            if grouping is not None:
                p = min(FLOOR, len(members) / (2 * len(known)), 1 / (2 * kinds[grouping[0]]))
            else:
                p = min(FLOOR, 1 / (2 * len(known)))
            self.miss_expected[unit] = self.miss_expected.get(unit, 0.0) + (1 - p) ** k
            if unit not in produced_units:
                self.misses[unit] += 1
                if (unit not in self.missed_flagged and self.misses[unit] >= 3
                        and chernoff_tail(self.misses[unit], self.miss_expected[unit])
                        < self.alpha / len(self.miss_expected)):
                    fresh.append(unit)
        if not fresh:
            return []
        self.missed_flagged.update(fresh)
        unit = fresh[0]
        first = units[unit][0]
        return [NarrowFinding(
            first, tuple(dict.fromkeys(a for u in fresh for a in units[u]))[:12], (),
            f"its samples missed legal {_what(unit, first)} at {self.misses[unit]} positions; "
            f"a covering proposer would have missed it at {self.miss_expected[unit]:.1f} of "
            "them",
            f"missed: {unit}")]

    def _never_produced(self, known: list[str], units: dict[str, list[str]],
                        k: int) -> list[NarrowFinding]:
        for unit, members in units.items():
            p = self._chance(unit, members, known, units)
            self.chances[unit] = self.chances.get(unit, 0.0) + 1 - (1 - p) ** k
        threshold = math.log(len(self.chances) / self.alpha)
        fresh = [u for u in units if u not in self.flagged and not self.hits[u]
                 and self.chances[u] >= threshold]
        if not fresh:
            return []
        self.flagged.update(fresh)
        unit = fresh[0]
        never = [a for a in known if not self.hits[a]
                 or any(not self.hits[prefix + group(a)] for prefix, group in GROUPINGS)]
        first = units[unit][0]
        grouped = _grouping(unit) is not None
        return [NarrowFinding(
            first, tuple(dict.fromkeys([first, *never]))[:12], (),
            f"{_what(unit, first)} legal at positions where a covering proposer would have "
            f"produced {'one' if grouped else 'it'} {self.chances[unit]:.1f} times; it never did",
            f"never: {unit}")]


def _what(unit: str, first: str) -> str:
    """How a finding names its unit: the move, or the kind of moves."""
    if unit.startswith(_CLASS):
        return f"moves of the kind {unit[len(_CLASS):]!r}"
    if unit.startswith(_FORM):
        return f"moves of the form {unit[len(_FORM):]!r}"
    return first
