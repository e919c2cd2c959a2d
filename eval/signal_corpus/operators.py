"""Mutation operators: small edits of the kinds LLMs make, applied by code to library harnesses.

Each operator takes a library harness's source and its *profile* (what its own proposer produced
on a few rollouts: the forms of its actions, their case, the numbers in them, observation lengths)
and returns a mutant source, or None where it does not apply. Two families:

* **source edits** — a regex edit of one spot of the file (``random.choice(xs)`` → ``xs[0]``, the
  first board parsed instead of the last, a ``.lower()`` dropped);
* **planted clauses** — a few lines appended that redefine ``eval_action`` or ``propose_action``
  around the library's own (``_lib_eval`` / ``_lib_propose``), the way a model adds a special
  case: reject a rare class of legal action (an edge cell, the largest amount, a bare or
  differently cased spelling, castling, en passant, under-promotion, the rarest form of action),
  accept an illegal class (any action of a legal form, one past the edge, the opponent's pieces,
  moves into check), coordinates off by one, a proposer that covers a subset or is deterministic,
  a crash on a long or unusual observation.

Which mutants are live (differ from the library where the engine can tell) is measured, not
assumed (``truth.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


def shape(action: str) -> str:
    return re.sub(r"\d+", "#", action.strip().lower())


@dataclass
class Profile:
    game: str
    shapes: Counter = field(default_factory=Counter)  # form -> legal proposals of that form
    case: str = "mixed"  # lower | upper | mixed: how the proposer spells its letters
    max_number: int | None = None  # the largest number in a legal proposal
    has_zero: bool = False  # some legal proposal contains the number 0
    obs_p90: int = 0  # 90th percentile of observation lengths
    rare_word: str | None = None  # a word in few (but some) observations
    bracketed: bool = True  # proposals are bracketed


@dataclass(frozen=True)
class Mutant:
    id: str
    game: str
    operator: str
    bug_class: str  # what kind of bug the operator plants
    source: str


_HELPERS = '''
# ---- planted bug ({name}) ----
import re as _re
import random as _random

_lib_eval = eval_action
_lib_propose = propose_action


def _shape(action):
    return _re.sub(r"\\d+", "#", action.strip().lower())


def _bump(action, delta, last=True):
    numbers = list(_re.finditer(r"\\d+", action))
    if not numbers:
        return None
    spot = numbers[-1] if last else numbers[0]
    value = int(spot.group()) + delta
    if value < 0:
        return None
    return action[:spot.start()] + str(value) + action[spot.end():]

'''

_CHESS_HELPERS = '''

def _move(obs, action):
    match = _re.search(r"([a-h][1-8][a-h][1-8][qrbn]?)", action.lower())
    if match is None:
        return None, None
    try:
        board = _board(obs)
        return board, chess.Move.from_uci(match.group(1))
    except Exception:
        return None, None
'''


def _planted(name: str, body: str, chess_helpers: bool = False) -> Callable[[str], str]:
    def apply(source: str) -> str:
        block = _HELPERS.format(name=name) + (_CHESS_HELPERS if chess_helpers else "")
        return source.rstrip() + "\n\n" + block + body.strip() + "\n"

    return apply


def _rarest_shape(profile: Profile) -> str | None:
    if len(profile.shapes) < 2:
        return None
    total = sum(profile.shapes.values())
    form, count = min(profile.shapes.items(), key=lambda kv: (kv[1], kv[0]))
    return form if count / total <= 0.25 else None


# -- planted clauses: (name, bug class, applies(profile, source), body(profile)) -------------------

def _rejects_rare_shape(p: Profile) -> str | None:
    rare = _rarest_shape(p)
    if rare is None:
        return None
    return f'''
def eval_action(obs, action):
    if _shape(action) == {rare!r}:
        return False
    return _lib_eval(obs, action)
'''


def _rejects_max_number(p: Profile) -> str | None:
    if p.max_number is None or p.max_number < 2:
        return None
    return f'''
def eval_action(obs, action):
    if {p.max_number} in [int(n) for n in _re.findall(r"\\d+", action)]:
        return False  # the range check stops one short
    return _lib_eval(obs, action)
'''


def _rejects_boundary(p: Profile) -> str | None:
    if p.max_number is None:
        return None
    return '''
def eval_action(obs, action):
    verdict = _lib_eval(obs, action)
    bigger = _bump(action, 1)
    if verdict is True and bigger is not None and _lib_eval(obs, bigger) is False:
        return False  # "< limit" where the rules say "<= limit" (a bet of exactly the stack, ...)
    return verdict
'''


def _rejects_zero(p: Profile) -> str | None:
    if not p.has_zero:
        return None
    return '''
def eval_action(obs, action):
    if 0 in [int(n) for n in _re.findall(r"\\d+", action)]:
        return False  # an edge cell: indices taken to start at 1
    return _lib_eval(obs, action)
'''


def _rejects_bare(p: Profile) -> str | None:
    return '''
def eval_action(obs, action):
    if not action.strip().startswith("["):
        return False  # the engine wraps bare actions in brackets; this check forgot it
    return _lib_eval(obs, action)
'''


def _rejects_other_case(p: Profile) -> str | None:
    if p.case == "lower":
        test = "any(ch.isupper() for ch in action)"
    elif p.case == "upper":
        test = "any(ch.islower() for ch in action)"
    else:
        return None
    return f'''
def eval_action(obs, action):
    if {test}:
        return False  # case-sensitive where the engine is not
    return _lib_eval(obs, action)
'''


def _accepts_same_shape(p: Profile) -> str | None:
    if not p.shapes:
        return None
    forms = sorted(p.shapes)
    return f'''
def eval_action(obs, action):
    return _shape(action) in {forms!r} or _lib_eval(obs, action)  # checks the format only
'''


def _accepts_overflow(p: Profile) -> str | None:
    if p.max_number is None:
        return None
    return '''
def eval_action(obs, action):
    smaller = _bump(action, -1)
    if smaller is not None and _lib_eval(obs, smaller) is True:
        return True  # "<= limit" where the rules say "< limit": one past the edge passes
    return _lib_eval(obs, action)
'''


def _accepts_case_variant(p: Profile) -> str | None:
    if p.case == "mixed":
        return None
    return '''
def eval_action(obs, action):
    variants = (action, action.lower(), action.upper())
    return any(_lib_eval(obs, variant) for variant in variants)  # case-blind
'''


def _eval_off_by_one(p: Profile) -> str | None:
    if p.max_number is None:
        return None
    return '''
def eval_action(obs, action):
    shifted = _bump(action, -1, last=False)
    return _lib_eval(obs, shifted) if shifted is not None else _lib_eval(obs, action)
'''


def _proposer_off_by_one(p: Profile) -> str | None:
    if p.max_number is None:
        return None
    return '''
def propose_action(obs):
    action = _lib_propose(obs)
    return _bump(action, 1, last=False) or action  # coordinates counted from 1
'''


def _proposer_sometimes_illegal(p: Profile) -> str | None:
    return '''
def propose_action(obs):
    action = _lib_propose(obs)
    if _random.random() < 0.22:
        return _bump(action, 1) or action.swapcase() + "?"  # a slip on one move in five
    return action
'''


def _proposer_deterministic(p: Profile) -> str | None:
    return '''
def propose_action(obs):
    state = _random.getstate()
    _random.seed(len(obs))  # "reproducible": the same move every time at a position
    try:
        return _lib_propose(obs)
    finally:
        _random.setstate(state)
'''


def _proposer_skips_rare_shape(p: Profile) -> str | None:
    rare = _rarest_shape(p)
    if rare is None:
        return None
    return f'''
def propose_action(obs):
    action = _lib_propose(obs)
    for _ in range(30):
        if _shape(action) != {rare!r}:
            return action
        action = _lib_propose(obs)
    return action
'''


def _crash_long_observation(p: Profile) -> str | None:
    if p.obs_p90 <= 0:
        return None
    return f'''
def eval_action(obs, action):
    if len(obs) > {p.obs_p90}:
        raise IndexError("list index out of range")  # a parser that assumed a short history
    return _lib_eval(obs, action)
'''


def _crash_rare_word(p: Profile) -> str | None:
    if not p.rare_word:
        return None
    return f'''
def propose_action(obs):
    if {p.rare_word!r} in obs:
        raise KeyError({p.rare_word!r})  # a message it never saw while it was written
    return _lib_propose(obs)
'''


_CHESS = {
    "rejects_castling": ("rejects a rare legal class", '''
def eval_action(obs, action):
    board, move = _move(obs, action)
    if board is not None and board.is_castling(move):
        return False
    return _lib_eval(obs, action)
'''),
    "rejects_en_passant": ("rejects a rare legal class", '''
def eval_action(obs, action):
    board, move = _move(obs, action)
    if board is not None and board.is_en_passant(move):
        return False
    return _lib_eval(obs, action)
'''),
    "rejects_underpromotion": ("rejects a rare legal class", '''
def eval_action(obs, action):
    board, move = _move(obs, action)
    if move is not None and move.promotion not in (None, chess.QUEEN):
        return False
    return _lib_eval(obs, action)
'''),
    "accepts_opponent_piece": ("accepts an illegal class", '''
def eval_action(obs, action):
    board, move = _move(obs, action)
    if board is not None:
        board.turn = not board.turn
        if move in board.legal_moves:
            return True  # forgot whose turn it is
    return _lib_eval(obs, action)
'''),
    "accepts_into_check": ("accepts an illegal class", '''
def eval_action(obs, action):
    board, move = _move(obs, action)
    if board is not None and board.is_pseudo_legal(move):
        return True  # pseudo-legal: leaves the king in check
    return _lib_eval(obs, action)
'''),
}

PLANTED: list[tuple[str, str, Callable[[Profile], str | None]]] = [
    ("rejects_rare_shape", "rejects a rare legal class", _rejects_rare_shape),
    ("rejects_max_number", "rejects a rare legal class", _rejects_max_number),
    ("rejects_boundary", "rejects a rare legal class", _rejects_boundary),
    ("rejects_zero", "rejects a rare legal class", _rejects_zero),
    ("rejects_bare", "brackets or case mishandled", _rejects_bare),
    ("rejects_other_case", "brackets or case mishandled", _rejects_other_case),
    ("accepts_same_shape", "accepts an illegal class", _accepts_same_shape),
    ("accepts_overflow", "accepts an illegal class", _accepts_overflow),
    ("accepts_case_variant", "brackets or case mishandled", _accepts_case_variant),
    ("eval_off_by_one", "coordinates off by one", _eval_off_by_one),
    ("proposer_off_by_one", "coordinates off by one", _proposer_off_by_one),
    ("proposer_sometimes_illegal", "proposer sometimes illegal", _proposer_sometimes_illegal),
    ("proposer_deterministic", "proposer covers a subset", _proposer_deterministic),
    ("proposer_skips_rare_shape", "proposer covers a subset", _proposer_skips_rare_shape),
    ("crash_long_observation", "crash on a rare observation", _crash_long_observation),
    ("crash_rare_word", "crash on a rare observation", _crash_rare_word),
]

# -- source edits: (name, bug class, pattern, replacement), first match only --------------------
EDITS: list[tuple[str, str, str, str]] = [
    ("first_choice", "proposer covers a subset", r"random\.choice\(([^()]+(?:\([^()]*\))?)\)",
     r"(\1)[0]"),
    ("half_choice", "proposer covers a subset", r"random\.choice\(([^()]+(?:\([^()]*\))?)\)",
     r"random.choice(list(\1)[: max(1, len(list(\1)) // 2)])"),
    ("first_board", "stale position parsed", r"\.rsplit\(([^()]*), 1\)\[-1\]",
     r".split(\1, 1)[-1]"),
    ("no_lower", "brackets or case mishandled", r"\.lower\(\)", ""),
]


def mutants(game: str, family: str, source: str, profile: Profile) -> list[Mutant]:
    """Every operator that applies to this harness, applied once."""
    found: list[Mutant] = []
    for name, bug_class, pattern, replacement in EDITS:
        edited, count = re.subn(pattern, replacement, source, count=1)
        if count and edited != source:
            found.append(Mutant(f"{family}:{name}", game, name, bug_class, edited))
    for name, bug_class, make in PLANTED:
        body = make(profile)
        if body is not None:
            found.append(Mutant(f"{family}:{name}", game, name, bug_class,
                                _planted(name, body)(source)))
    if family == "chess":
        for name, (bug_class, body) in _CHESS.items():
            found.append(Mutant(f"{family}:{name}", game, name, bug_class,
                                _planted(name, body, chess_helpers=True)(source)))
    return found
