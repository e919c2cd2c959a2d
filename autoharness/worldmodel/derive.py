"""The world model in the harness format, and what autoharness derives from it.

A harness file may define, besides (or instead of) ``propose_action``/``eval_action``, a *world
model*: pure functions over a *state*, a plain value (nested None/bool/int/float/str/list/tuple/
dict) that crosses the sandbox boundary:

* ``parse_state(obs) -> state`` — the state as the observing player knows it. It must work on any
  player's observation at any time (also after the game ended). Parts the player cannot see are
  ``None``.
* ``legal_actions(state) -> list[str]`` — the actions the engine accepts, one string per distinct
  move, as the engine receives them (e.g. ``"[e2e4]"``); empty when the game is over. It must work
  on ``parse_state``'s result for the player to move.
* ``apply(state, action) -> state`` — the state after a legal action; never changes its argument.
* ``current_player(state) -> int``, ``is_terminal(state) -> bool``, ``returns(state) ->
  list[float]`` (one per player: the engine's rewards once terminal).
* for hidden information or chance, ``sample_state(obs, seed: int) -> state``: a determinisation,
  ``parse_state(obs)`` with every ``None`` filled in consistently with what the player has seen;
  chance to come is decided by a seed kept in the state, so ``apply`` stays deterministic.
* optionally ``value(state) -> list[float]``: a heuristic estimate of the returns.

``complete(source)`` gives a file that defines ``parse_state`` and ``legal_actions`` but not
``propose_action``/``eval_action`` the missing ones, derived from the world model (a random legal
action; membership in the legal set, after the engine's usual action formatting). The runtime
calls it on every harness it loads, so a world-model file needs no duplicate rules; a file with
its own ``propose_action`` and ``eval_action`` is returned unchanged. ``with_planner(source)``
also appends the MCTS planner (``uct.py``) and its entry point ``plan`` (``worker_tools.py``), so
the search runs inside the sandbox worker next to the model.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

# No autoharness imports here: the harness runtime and the static checks import this module.

#: The world-model functions and their parameters (arity-checked by harness/checks.py).
WORLD_MODEL_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "parse_state": ("obs",), "legal_actions": ("state",), "apply": ("state", "action"),
    "current_player": ("state",), "is_terminal": ("state",), "returns": ("state",),
    "sample_state": ("obs", "seed"), "value": ("state",),
}
#: Enough of a world model to derive ``propose_action`` and ``eval_action`` from.
DERIVES_LEGALITY = ("parse_state", "legal_actions")
#: What a world model must define (``sample_state`` only where the game hides or draws).
REQUIRED = ("parse_state", "legal_actions", "apply", "current_player", "is_terminal", "returns")
#: The derived functions; each is appended only when the file lacks it.
DERIVED_FUNCTIONS = ("propose_action", "eval_action")

_HEADER = ("\n\n# ---- derived by autoharness from this file's world model (not part of the "
           "file) ----\n")
_DERIVED = {
    "propose_action": '''
def propose_action(obs):
    import random as _autoharness_random
    actions = list(legal_actions(parse_state(obs)))
    return _autoharness_random.choice(actions) if actions else "[]"
''',
    "eval_action": '''
def _autoharness_normal(action):
    import re as _autoharness_re
    text = " ".join(str(action).split())
    return _autoharness_re.sub(r"\\[ ?(.*?) ?\\]", r"[\\1]", text).lower()


def eval_action(obs, action):
    import re as _autoharness_re
    text = action.strip()
    if "[" not in text and "]" not in text:
        text = "[" + text + "]"
    legal = {_autoharness_normal(a) for a in legal_actions(parse_state(obs))}
    first = _autoharness_re.search(r"\\[[^\\[\\]]*\\]", text)
    candidates = (text, first.group(0) if first else text)
    return any(_autoharness_normal(c) in legal for c in candidates)
''',
}


def defined_functions(source: str) -> set[str]:
    """Names of the module-level ``def``s in ``source`` (empty if it does not parse)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def has_world_model(source: str) -> bool:
    return set(DERIVES_LEGALITY) <= defined_functions(source)


def complete(source: str) -> str:
    """``source`` plus derived ``propose_action``/``eval_action`` where it defines a world model
    but not them; otherwise ``source`` itself."""
    if not isinstance(source, str):
        return source
    names = defined_functions(source)
    if not set(DERIVES_LEGALITY) <= names:
        return source
    missing = [name for name in DERIVED_FUNCTIONS if name not in names]
    if not missing:
        return source
    return source.rstrip("\n") + _HEADER + "".join(_DERIVED[name] for name in missing)


@functools.cache
def _planner_source() -> str:
    here = Path(__file__).parent
    return ("\n\n# ---- autoharness MCTS planner (appended; not part of the file) ----\n"
            + (here / "uct.py").read_text(encoding="utf-8")
            + "\n\n" + (here / "worker_tools.py").read_text(encoding="utf-8"))


def with_planner(source: str) -> str:
    """``complete(source)`` with the planner and its ``plan(obs, request)`` entry point appended
    (line numbers of the file itself are unchanged)."""
    return complete(source).rstrip("\n") + "\n" + _planner_source()
