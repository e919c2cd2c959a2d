"""A TextArena game as agents and harnesses see it: hint-free, with an exact legality oracle.

``GameEnv`` drives the unwrapped engine and rebuilds the observation string exactly as TextArena's
``LLMObservationWrapper`` would (the player's full message history), after removing
position-dependent legal-move lists (``hints.py``). Actions go through the same formatting as
``ActionFormattingWrapper`` (an action without brackets is wrapped in ``[...]``). Games whose
default wrappers are anything else are driven through their own wrapper stack, unstripped.

Every step reports whether the engine rejected the action, read at its source (``detect.py``).
``is_legal`` asks the same question of a copy, leaving this env and the global ``random`` state
untouched, so a chance game's next state is the one the real step produces.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import pickle
import random
from dataclasses import dataclass
from typing import Any

import textarena as ta
from textarena.envs.registration import ENV_REGISTRY

from autoharness.arena import detect, hints
from autoharness.arena.catalogue import num_players as default_num_players

_FAST_WRAPPERS = {"LLMObservationWrapper", "ActionFormattingWrapper"}
_UNPICKLABLE: set[type] = set()


@dataclass(frozen=True)
class Verdict:
    """The engine's judgement of one action: legal, or rejected with the engine's reason."""

    legal: bool
    reason: str | None = None
    engine_error: str | None = None  # the engine raised after (not instead of) judging


@dataclass(frozen=True)
class StepResult:
    player: int
    legal: bool
    reason: str | None
    done: bool
    engine_error: str | None = None  # the engine itself raised on this action


@dataclass(frozen=True)
class _Recipe:
    """How to build one game's engine, worked out once per process (``ta.make`` inspects and
    wraps on every call; an episode of TicTacToe is cheaper than that)."""

    game_id: str
    fast: bool
    formats_actions: bool
    players: int
    overrides: dict
    strip: hints.MessageFilter
    env_class: type | None  # the unwrapped class, built directly on the fast path

    def build(self) -> Any:
        if not self.fast:
            return ta.make(self.game_id, **self.overrides)
        spec = ENV_REGISTRY[self.game_id]
        env = self.env_class(**{**spec.kwargs, **self.overrides})
        env.env_id, env.entry_point = self.game_id, spec.entry_point
        return env


@functools.cache
def _recipe(game_id: str, strip_hints: bool) -> _Recipe:
    if game_id not in ENV_REGISTRY:
        raise ValueError(f"unknown TextArena id {game_id!r}")
    wrappers = {w.__name__ for w in (ENV_REGISTRY[game_id].default_wrappers or [])}
    overrides = hints.env_overrides(game_id, strip_hints)
    sample = _innermost(ta.make(game_id, **overrides))  # imports the env's module
    detect.install_hooks()  # now that its State subclasses exist
    return _Recipe(game_id, wrappers <= _FAST_WRAPPERS, "ActionFormattingWrapper" in wrappers,
                   default_num_players(game_id), overrides,
                   hints.message_filter(game_id, strip_hints), type(sample))


class GameEnv:
    """One episode of one game, seeded. Use a fresh GameEnv per episode."""

    def __init__(
        self,
        game_id: str,
        seed: int | None = None,
        players: int | None = None,
        keep_raw_text: bool = False,
        strip_hints: bool = True,
    ) -> None:
        recipe = _recipe(game_id, strip_hints)
        self.game_id = game_id
        self.seed = seed
        self.num_players = players or recipe.players
        self.fast = recipe.fast
        self.formats_actions = recipe.formats_actions
        self.keep_raw_text = keep_raw_text
        self._engine = recipe.build()
        self.raw_env = _innermost(self._engine)
        self._strip = recipe.strip
        self._death_key = detect.death_watch(self.raw_env)
        self._history: dict[int, str] = {}
        self._raw_history: dict[int, list[str]] = {}
        self._observation: str = ""
        self.done = False
        self.engine_error: str | None = None
        with contextlib.redirect_stdout(io.StringIO()):  # puzzle generators print their retries
            self._engine.reset(num_players=self.num_players, seed=seed)
        self._pull_observation()

    # -- what the current player sees -------------------------------------------------------
    @property
    def state(self) -> Any:
        return self.raw_env.state

    @property
    def current_player(self) -> int:
        return self.raw_env.state.current_player_id

    def observation(self) -> str:
        """The current player's observation: full history, legal-move lists removed."""
        return self._observation

    def raw_observation(self, player: int | None = None) -> str:
        """The unstripped history (needs ``keep_raw_text=True``); for checking the stripping."""
        if not self.keep_raw_text:
            raise RuntimeError("GameEnv(keep_raw_text=True) keeps the unstripped text")
        return "".join(self._raw_history.get(self.current_player if player is None else player, []))

    def _pull_observation(self) -> None:
        player, messages = self._engine.get_observation()
        if not self.fast:
            self._observation = messages  # the wrapper stack already made the string
            return
        roles = self.raw_env.state.role_mapping
        new: list[str] = []
        for sender, message, _kind in messages:
            name = "GAME" if sender == ta.GAME_ID else roles.get(sender, f"Player {sender}")
            kept = self._strip(message)
            if kept is not None:
                new.append(f"\n[{name}] {kept}")
            if self.keep_raw_text:
                self._raw_history.setdefault(player, []).append(f"\n[{name}] {message}")
        # Appending to the player's string keeps each step linear in what is new.
        self._history[player] = self._observation = self._history.get(player, "") + "".join(new)

    # -- acting ---------------------------------------------------------------------------
    def format_action(self, action: str) -> str:
        """What the engine receives, as TextArena's ActionFormattingWrapper would send it."""
        if self.fast and self.formats_actions and "[" not in action and "]" not in action:
            return f"[{action}]"
        return action

    def step(self, action: str) -> StepResult:
        if self.done:
            raise RuntimeError(f"{self.game_id} episode is over")
        player = self.current_player
        reason, done, error = _apply(self._engine, self.raw_env, self.format_action(action),
                                     player, self._death_key)
        self.done = done or error is not None
        self.engine_error = error
        if not self.done:
            self._pull_observation()
        return StepResult(player, reason is None, reason, self.done, error)

    def is_legal(self, action: str) -> Verdict:
        """Would the engine accept ``action`` from the current player now? Changes nothing."""
        if self.done:
            return Verdict(False, "the game is over")
        rng = random.getstate()
        try:
            twin = self._copy_engine()
            reason, _done, error = _apply(twin, _innermost(twin), self.format_action(action),
                                          self.current_player, self._death_key)
        finally:
            random.setstate(rng)
        return Verdict(reason is None, reason, error)

    def close(self) -> tuple[dict[int, float] | None, dict]:
        """Rewards and game info, as ``env.close()`` gives them."""
        return self._engine.close()

    # -- copies ---------------------------------------------------------------------------
    def _copy_engine(self, for_trial: bool = True) -> Any:
        """A private copy of the engine. For a trial step (the oracle) copy only what decides
        legality: not the logs, which grow with the game and which the engine never reads, and
        not whatever ``_LIGHTER`` drops for the env's class."""
        engine, state = self._engine, self.raw_env.state
        logs, state.logs = state.logs, []
        lighten = _LIGHTER.get(type(self.raw_env).__name__) if for_trial else None
        restore = lighten(self.raw_env) if lighten else None
        try:
            if type(engine) not in _UNPICKLABLE:
                try:
                    return pickle.loads(pickle.dumps(engine, pickle.HIGHEST_PROTOCOL))
                except Exception:  # lambdas, generators, locks: fall back to deepcopy
                    _UNPICKLABLE.add(type(engine))
            return copy.deepcopy(engine)
        finally:
            state.logs = logs
            if restore is not None:
                restore()

    def clone(self) -> GameEnv:
        """An independent copy of this episode, observation history included."""
        twin = copy.copy(self)
        twin._engine = self._copy_engine(for_trial=False)
        twin._engine.state.logs = list(self.raw_env.state.logs)
        twin.raw_env = _innermost(twin._engine)
        twin._history = dict(self._history)
        twin._raw_history = {p: list(v) for p, v in self._raw_history.items()}
        return twin


def _chess_without_history(raw_env: Any):
    """python-chess keeps one saved board per move played; legality needs only the position
    (castling rights and the en-passant square are part of it), so the trial copy takes a
    stackless board. Repetition draws can differ on the copy; acceptance cannot."""
    game_state = raw_env.state.game_state
    board = game_state["board"]
    game_state["board"] = board.copy(stack=False)

    def restore() -> None:
        game_state["board"] = board

    return restore


_LIGHTER = {"ChessEnv": _chess_without_history}


def _innermost(env: Any) -> Any:
    while isinstance(env, ta.Wrapper):
        env = env.env
    return env


def _apply(engine: Any, raw_env: Any, action: str, player: int,
           death_key: str | None) -> tuple[str | None, bool, str | None]:
    """Step ``engine`` with ``action``: (engine's rejection reason or None, done, engine error)."""
    state = raw_env.state
    detect.clear_rejection(state)
    killed_before = death_key is not None and detect.killed_for_invalid_move(raw_env, death_key,
                                                                             player)
    try:
        done, info = engine.step(action)
    except Exception as exc:  # an engine bug (Stratego's winner check, ...): the episode is over
        # Whether the engine had rejected the action before breaking is still known.
        return detect.rejection_of(state), True, f"engine raised {type(exc).__name__}: {exc}"
    reason = detect.rejection_of(state)
    if (reason is None and death_key is not None and not killed_before
            and detect.killed_for_invalid_move(raw_env, death_key, player)):
        reason = "invalid move (the player dies)"
    if reason is None and isinstance(info, dict) and info.get("invalid_move"):
        reason = str(info.get("reason", "invalid move"))
    return reason, bool(done or state.done), None
