"""The engine's side of the dynamics checks: which actions it accepts, which of them are the same
move, what its chance could have produced, and every player's view of a position."""

from __future__ import annotations

import contextlib
import functools
import random
from collections.abc import Iterable
from typing import Any

from autoharness.arena.env import GameEnv
from autoharness.worldmodel.derive import DERIVED_FUNCTIONS
from autoharness.worldmodel.values import Conflict, merge

_NORMAL_TRANSLATE = str.maketrans("", "", " \t\n")


def normal(action: str, env: GameEnv) -> str:
    """An action as the engine receives it, spacing and case ignored (for cheap membership)."""
    return env.format_action(action.strip()).translate(_NORMAL_TRANSLATE).lower()


def signature(env: GameEnv) -> str:
    """The engine's position after a step, for telling whether two actions are the same move
    (the observation text cannot: it repeats the action as typed)."""
    state = env.raw_env.state
    return repr((getattr(state, "game_state", None), state.current_player_id, state.done,
                 getattr(state, "rewards", None), _env_fields(env.raw_env)))


def _env_fields(raw_env: Any) -> Any:
    # Some envs keep the position on the env rather than in game_state (Othello's board).
    return {k: v for k, v in vars(raw_env).items()
            if k not in ("state", "env_id", "entry_point") and not callable(v)}


def views(env: GameEnv) -> list[str]:
    """Every player's observation as it stands (``GameEnv.view``)."""
    return [env.view(p) or "" for p in range(env.num_players)]


def merged(states: list[Any]) -> tuple[Any, str | None]:
    """One state from every player's parsed view, and the conflict if two of them disagree."""
    truth = states[0]
    for other in states[1:]:
        try:
            truth = merge(truth, other)
        except Conflict as conflict:
            return states[0], str(conflict)
    return truth, None


class Oracle:
    """Legality and move identity at one engine position, cached."""

    def __init__(self, env: GameEnv) -> None:
        self.env = env
        self.verdicts: dict[str, bool] = {}
        self.signatures: dict[str, str | None] = {}

    def legal(self, action: str) -> bool:
        key = self.env.format_action(action)
        if key not in self.verdicts:
            self.verdicts[key] = bool(self.env.is_legal(action).legal)
        return self.verdicts[key]

    def signature_after(self, action: str) -> str | None:
        key = self.env.format_action(action)
        if key not in self.signatures:
            saved = random.getstate()
            try:
                twin = self.env.clone()
                result = twin.step(action)
                self.signatures[key] = signature(twin) if result.legal else None
            except Exception:  # noqa: BLE001 - the engine broke: no identity to compare
                self.signatures[key] = None
            finally:
                random.setstate(saved)
        return self.signatures[key]

    def same_move_as_one_of(self, action: str, listed: Iterable[str]) -> bool:
        """Does the legal ``action`` lead where one of ``listed`` leads?"""
        target = self.signature_after(action)
        return target is not None and any(self.signature_after(a) == target for a in listed)


def probe_actions(env: GameEnv, harness: Any, obs: str, listed: list[str], vocabulary: list[str],
                  rng: random.Random, limit: int) -> list[str]:
    """Candidate actions to test ``legal_actions`` for completeness: the engine's own move list
    where it has one, actions the model listed elsewhere in the run, the file's own proposals
    (when it has its own ``propose_action``), and small mutations of the listed actions."""
    from autoharness.arena.movelists import listed_moves

    found: list[str] = []
    with contextlib.suppress(Exception):  # a game the move-list reader does not know
        found.extend(listed_moves(env) or [])
    found.extend(rng.sample(vocabulary, min(len(vocabulary), limit)))
    if getattr(harness, "source", None) is not None and _own_proposer(harness.source):
        proposals = harness.propose_many([obs] * 3)
        found.extend(p for p in proposals if isinstance(p, str))
    for action in rng.sample(listed, min(len(listed), 3)):
        found.extend(_mutations(action, rng))
    seen: set[str] = set()
    unique = []
    for action in found:
        if action not in seen:
            seen.add(action)
            unique.append(action)
    rng.shuffle(unique)
    return unique[: max(limit, 0) * 3]


@functools.lru_cache(maxsize=8)
def _own_proposer(source: str) -> bool:
    from autoharness.worldmodel.derive import defined_functions

    return DERIVED_FUNCTIONS[0] in defined_functions(source.split(
        "\n# ---- derived by autoharness", 1)[0])


def _mutations(action: str, rng: random.Random) -> list[str]:
    try:
        from autoharness.harness.verify import mutations
    except ImportError:  # the probe engine moved it: a few of our own
        mutations = None
    if mutations is not None:
        try:
            return list(mutations(action, rng))[:4]
        except Exception:  # noqa: BLE001 - a changed signature: fall back
            pass
    digits = [i for i, ch in enumerate(action) if ch.isdigit()]
    out = [action.upper(), action.strip("[]")]
    if digits:
        i = rng.choice(digits)
        out.append(action[:i] + str((int(action[i]) + 1) % 10) + action[i + 1:])
    return out
