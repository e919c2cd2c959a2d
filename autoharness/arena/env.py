"""A TextArena game as agents and harnesses see it: hint-free, with an exact legality oracle.

``GameEnv`` drives the unwrapped engine and rebuilds the observation string exactly as TextArena's
``LLMObservationWrapper`` would (the player's full message history), after removing
position-dependent legal-move lists (``hints.py``). Actions go through the same formatting as
``ActionFormattingWrapper`` (an action without brackets is wrapped in ``[...]``). Games whose
default wrappers are anything else are driven through their own wrapper stack, unstripped.

Every step reports whether the engine rejected the action, read at its source (``detect.py``).
``is_legal`` asks the same question of a copy, leaving this env and the global ``random`` state
untouched, so a chance game's next state is the one the real step produces. An action on which
the engine raises is illegal (reason ``"engine error: ..."``): it is no move the game can go on
from. ``engine=`` picks the engine profile (``profiles.py``: ``stock`` 0.7.4 or ``fixed``).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import io
import itertools
import pickle
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import textarena as ta
from textarena.envs.registration import ENV_REGISTRY

from autoharness.arena import detect, hints, profiles
from autoharness.arena.catalogue import num_players as default_num_players

_FAST_WRAPPERS = {"LLMObservationWrapper", "ActionFormattingWrapper"}
_UNPICKLABLE: set[type] = set()


ENGINE_ERROR = "engine error: "  # the reason's prefix for an action on which the engine raised


@dataclass(frozen=True)
class Verdict:
    """The engine's judgement of one action: legal, or illegal with the engine's reason.

    An action on which the engine raises is not a legal move: it is illegal with the reason
    ``"engine error: <exception>"`` (or the engine's own rejection, when it rejected the action
    before raising), and ``engine_error`` holds the exception so that it can be counted apart.
    """

    legal: bool
    reason: str | None = None
    engine_error: str | None = None  # set when the engine raised on the action
    # With ``is_legal(action, outcome=True)``, for a legal action: a key of the game state it
    # leads to (``state_key``), and whether it ends the game with the mover not among the best.
    after: str | None = None
    loses: bool = False


@dataclass(frozen=True)
class StepResult:
    player: int
    legal: bool  # False also when the engine raised (``engine_error`` says so); the episode ends
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
    env_class: type  # the unwrapped class under the engine profile

    def build(self) -> Any:
        spec = ENV_REGISTRY[self.game_id]
        env = self.env_class(**{**spec.kwargs, **self.overrides})
        env.env_id, env.entry_point = self.game_id, spec.entry_point
        if not self.fast:  # the env's own wrapper stack, as ``ta.make`` applies it
            for wrapper in spec.default_wrappers or []:
                env = wrapper(env)
        return env


@functools.cache
def _recipe(game_id: str, strip_hints: bool, engine: str) -> _Recipe:
    if game_id not in ENV_REGISTRY:
        raise ValueError(f"unknown TextArena id {game_id!r}")
    wrappers = {w.__name__ for w in (ENV_REGISTRY[game_id].default_wrappers or [])}
    overrides = hints.env_overrides(game_id, strip_hints)
    sample = _innermost(ta.make(game_id, **overrides))  # imports the env's module
    env_class = profiles.env_class(engine, type(sample))
    detect.install_hooks()  # now that its State subclasses exist
    return _Recipe(game_id, wrappers <= _FAST_WRAPPERS, "ActionFormattingWrapper" in wrappers,
                   default_num_players(game_id), overrides,
                   hints.message_filter(game_id, strip_hints), env_class)


class GameEnv:
    """One episode of one game, seeded. Use a fresh GameEnv per episode."""

    def __init__(
        self,
        game_id: str,
        seed: int | None = None,
        players: int | None = None,
        keep_raw_text: bool = False,
        strip_hints: bool = True,
        engine: str = profiles.DEFAULT_PROFILE,
    ) -> None:
        recipe = _recipe(game_id, strip_hints, profiles.check_profile(engine))
        self.game_id = game_id
        self.engine = engine
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
        # Oracle-side only, never shown to a harness: (raw, kept) for each message of the latest
        # observation pull that the hint stripping changed (movelists.py reads the lists in it).
        self.hidden: list[tuple[str, str | None]] = []
        self.done = False
        self.engine_error: str | None = None
        # The random state every trial at this position starts from (``is_legal``): where a
        # move's outcome is random (Snake's apples, a LiarsDice call's new roll), two spellings
        # of one move must not reach two states because a harness drew in between.
        self._trial_random: tuple | None = None
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
        self.hidden = []
        for sender, message, _kind in messages:
            name = "GAME" if sender == ta.GAME_ID else roles.get(sender, f"Player {sender}")
            kept = self._strip(message)
            if kept is not None:
                new.append(f"\n[{name}] {kept}")
            if kept != message:
                self.hidden.append((message, kept))
            if self.keep_raw_text:
                self._raw_history.setdefault(player, []).append(f"\n[{name}] {message}")
        # Appending to the player's string keeps each step linear in what is new.
        self._history[player] = self._observation = self._history.get(player, "") + "".join(new)

    def view(self, player: int) -> str | None:
        """What ``player`` would see if asked to move now (its history and the messages waiting
        for it, legal-move lists removed), without consuming anything; also after the game
        ended. None for games driven through their own wrapper stack."""
        if not self.fast:
            return None
        roles = self.raw_env.state.role_mapping
        pending = self.raw_env.state.observations.get(player, [])
        new = []
        for sender, message, _kind in pending:
            name = "GAME" if sender == ta.GAME_ID else roles.get(sender, f"Player {sender}")
            kept = self._strip(message)
            if kept is not None:
                new.append(f"\n[{name}] {kept}")
        return self._history.get(player, "") + "".join(new)

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
        self._trial_random = None
        if not self.done:
            self._pull_observation()
        return StepResult(player, reason is None and error is None, _reason(reason, error),
                          self.done, error)

    def is_legal(self, action: str, outcome: bool = False,
                 replies: Sequence[str] = ()) -> Verdict:
        """Would the engine accept ``action`` from the current player now? Changes nothing.
        With ``outcome``, a legal verdict also says where the action leads (``Verdict.after``);
        where the engine holds the move until the others have moved (Surround, Snake),
        ``replies`` are their answers tried to finish the round (``_round_outcome``)."""
        if self.done:
            return Verdict(False, "the game is over")
        rng = random.getstate()
        if self._trial_random is None:
            self._trial_random = rng
        random.setstate(self._trial_random)
        player = self.current_player
        try:
            twin = self._copy_engine()
            raw = _innermost(twin)
            reason, done, error = _apply(twin, raw, self.format_action(action), player,
                                         self._death_key)
            legal = reason is None and error is None
            if not (outcome and legal):
                return Verdict(legal, _reason(reason, error), error)
            if replies and _holds_move(raw, player):
                if done:  # the game ended with the move still held: it changed nothing
                    raw.pending_actions[player] = None
                else:
                    after, loses = self._round_outcome(twin, player, replies)
                    if after is not None:
                        return Verdict(True, after=after, loses=loses)
            return Verdict(True, after=state_key(raw), loses=done and _not_best(raw, player))
        finally:
            random.setstate(rng)

    def _round_outcome(self, twin: Any, player: int, replies: Sequence[str]
                       ) -> tuple[str | None, bool]:
        """Where the engine holds a move until the others have moved: (the state once the round
        is over, under the first answer the others accept; whether the move loses). The
        answers tried are each of ``replies``, from every player still to move. A move loses
        if the round ends the game under every accepted answer, with the mover beaten under one
        of them: a snake turning into a wall dies whatever the other snake does. (The held text
        is no part of the move: "[w]" and "[up]" lead to one state once the round is over.)"""
        after: str | None = None
        beaten, ends = False, True
        thaw = _frozen(twin)  # frozen once, thawed for each answer
        for reply in replies:
            trial = thaw()
            raw = _innermost(trial)
            done = accepted = False
            while not done and raw.state.current_player_id != player:
                mover = raw.state.current_player_id
                reason, done, error = _apply(trial, raw, self.format_action(reply), mover,
                                             self._death_key)
                accepted = reason is None and error is None
                if not accepted:
                    break
            if not accepted:
                continue  # an answer the engine rejects says nothing of the move
            if after is None:
                after = state_key(raw)
            ends = ends and done
            beaten = beaten or (done and _not_best(raw, player))
        return after, after is not None and ends and beaten

    def state_key(self) -> str:
        """A key of the game state now (``state_key``), taken on a trial copy as ``is_legal``'s
        ``after`` is, so that the two compare (the trial copy drops what legality ignores)."""
        return state_key(_innermost(self._copy_engine()))

    def close(self) -> tuple[dict[int, float] | None, dict]:
        """Rewards and game info, as ``env.close()`` gives them."""
        return self._engine.close()

    # -- copies ---------------------------------------------------------------------------
    def _copy_engine(self, for_trial: bool = True) -> Any:
        """A private copy of the engine. For a trial step (the oracle) copy only what decides
        legality: not the logs, which grow with the game and which the engine never reads, and
        not whatever ``_LIGHTER`` drops for the env's class."""
        return self._freeze_engine(for_trial)()

    def _freeze_engine(self, for_trial: bool) -> Callable[[], Any]:
        """The engine as it is now, kept as pickled bytes where it pickles (half the price of a
        copy); calling the result makes a copy from them."""
        engine, state = self._engine, self.raw_env.state
        logs, state.logs = state.logs, []
        lighten = _lighter(type(self.raw_env)) if for_trial else None
        restore = lighten(self.raw_env) if lighten else None
        try:
            return _frozen(engine)
        finally:
            state.logs = logs
            if restore is not None:
                restore()

    def snapshot(self) -> Callable[[], GameEnv]:
        """This position, kept for probing later: calling the result gives a GameEnv at it whose
        oracle (``is_legal``) and observation work; it shares this env's message history up to
        now, so it is for judging actions, not for playing on (use ``clone`` for that)."""
        thaw = self._freeze_engine(for_trial=True)
        fields = dict(self.__dict__)

        def at_position() -> GameEnv:
            twin = object.__new__(GameEnv)
            twin.__dict__.update(fields)
            twin._engine = thaw()
            twin.raw_env = _innermost(twin._engine)
            return twin

        return at_position

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


def _lighter(env_class: type):
    """The env class's trial-copy lightener, found by class name along the MRO (so an engine
    profile's subclass of ChessEnv is lightened like ChessEnv)."""
    return next((_LIGHTER[c.__name__] for c in env_class.__mro__ if c.__name__ in _LIGHTER), None)


def _innermost(env: Any) -> Any:
    while isinstance(env, ta.Wrapper):
        env = env.env
    return env


# What a position is, apart from bookkeeping: whose turn, the turn counter, messages, logs and the
# last step's notes differ between two spellings of one move, or after a move that changes nothing.
# The end of the game is left out too, so that a move that changes nothing is seen as such on the
# last turn (Verdict.loses says how a move ends the game).
_BOOKKEEPING = frozenset({"current_player_id", "turn", "observations", "logs", "step_info",
                          "error_count", "made_invalid_move", "game_info", "role_mapping",
                          "done", "rewards"})


_UNKEYED = itertools.count()


def state_key(raw_env: Any) -> str:
    """A key of the engine's game state: equal for two actions that lead to the same position
    ("[A, B]" and "[a b]", "[w]" and "[up]") and, before and after, for a move that changes
    nothing ("[A A]" in Tower of Hanoi). A heuristic (it compares pickled bytes): states that
    are equal but pickle differently get different keys, never the reverse."""
    state = raw_env.state
    fields = [(k, v) for k, v in raw_env.__dict__.items() if k != "state"]
    fields += [(f"state.{k}", v) for k, v in state.__dict__.items()
               if k not in _BOOKKEEPING and not k.startswith("_autoharness")]
    digest = hashlib.blake2b(digest_size=12)
    try:  # value by value: one pickle of all would differ where objects happen to be shared
        for name, value in sorted(fields, key=lambda item: item[0]):
            parts = ([value] if not isinstance(value, dict)
                     else sorted(value.items(), key=lambda item: repr(item[0])))
            digest.update(name.encode())
            for part in parts:
                digest.update(pickle.dumps(part, pickle.HIGHEST_PROTOCOL))
    except Exception:  # an unpicklable engine: every state its own
        return f"unkeyed-{next(_UNKEYED)}"
    return digest.hexdigest()


def _holds_move(raw_env: Any, player: int) -> bool:
    """Does the engine hold ``player``'s move until the others have moved?"""
    pending = getattr(raw_env, "pending_actions", None)
    return isinstance(pending, dict) and pending.get(player) is not None


def _frozen(engine: Any) -> Callable[[], Any]:
    """``engine`` as it is now, kept as pickled bytes where it pickles (half the price of a
    copy); calling the result makes a copy from them."""
    if type(engine) not in _UNPICKLABLE:
        try:
            frozen = pickle.dumps(engine, pickle.HIGHEST_PROTOCOL)
            return functools.partial(pickle.loads, frozen)
        except Exception:  # lambdas, generators, locks: fall back to deepcopy
            _UNPICKLABLE.add(type(engine))
    kept = copy.deepcopy(engine)
    return functools.partial(copy.deepcopy, kept)


def _not_best(raw_env: Any, player: int) -> bool:
    rewards = getattr(raw_env.state, "rewards", None)
    if not isinstance(rewards, dict) or player not in rewards:
        return False
    return rewards[player] < max(rewards.values())


def _reason(rejection: str | None, error: str | None) -> str | None:
    if rejection is None and error is not None:
        return ENGINE_ERROR + error
    return rejection


class _Discard(io.TextIOBase):
    """A stdout that drops what the engine prints while it judges an action."""

    def write(self, text: str) -> int:
        return len(text)


_DISCARD = _Discard()


def _apply(engine: Any, raw_env: Any, action: str, player: int,
           death_key: str | None) -> tuple[str | None, bool, str | None]:
    """Step ``engine`` with ``action``: (engine's rejection reason or None, done, engine error)."""
    state = raw_env.state
    detect.clear_rejection(state)
    killed_before = death_key is not None and detect.killed_for_invalid_move(raw_env, death_key,
                                                                             player)
    try:
        with contextlib.redirect_stdout(_DISCARD):  # NewRecruit prints every offer it parses
            done, info = engine.step(action)
    except Exception as exc:  # an engine bug (Stratego's winner check, ...): the episode is over
        # Whether the engine had rejected the action before breaking is still known.
        return detect.rejection_of(state), True, f"{type(exc).__name__}: {exc}"
    reason = detect.rejection_of(state)
    if (reason is None and death_key is not None and not killed_before
            and detect.killed_for_invalid_move(raw_env, death_key, player)):
        reason = "invalid move (the player dies)"
    if reason is None and isinstance(info, dict) and info.get("invalid_move"):
        reason = str(info.get("reason", "invalid move"))
    return reason, bool(done or state.done), None
