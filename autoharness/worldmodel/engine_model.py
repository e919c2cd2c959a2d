"""The engine itself as the planner's model: copies of the real TextArena env, stepped.

The upper bound a code world model is compared against. Transitions, the end of the game and the
rewards are the engine's own (``GameEnv.clone`` + ``step``); the engine has no move generator, so
the candidate actions at a state come from the harness (``legal_actions(parse_state(obs))``, one
sandbox call), and every one of them is judged by the engine when it is played: an action the
engine rejects ends that line of play as a loss for the mover. For games with chance each search
iteration reseeds the global ``random`` module (where TextArena keeps its randomness), which is
restored afterwards; with hidden information the engine's copies know the hidden state, so this
planner is clairvoyant there — an upper bound, not a fair opponent.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from autoharness.arena.env import GameEnv


@dataclass
class EngineState:
    env: GameEnv
    rejected_by: int | None = None  # the player whose action the engine rejected
    actions: list[str] | None = field(default=None, repr=False)


class EngineModel:
    """Model functions for ``AutoharnessMCTS`` over engine copies; ``legal`` maps an observation
    to candidate actions (the harness's world model in the sandbox)."""

    def __init__(self, legal: Callable[[str], list[str]], players: int,
                 value: Callable[[str], Any] | None = None) -> None:
        self.legal = legal
        self.players = players
        self.estimate = value  # the harness's value(parse_state(obs)), when it has one
        self.steps = 0  # engine steps taken (copies included)
        self._known: dict[str, list[str]] = {}  # candidates by observation

    def legal_actions(self, state: EngineState) -> list[str]:
        if self.is_terminal(state):
            return []
        if state.actions is None:
            observation = state.env.observation()
            actions = self._known.get(observation)
            if actions is None:
                if len(self._known) > 50_000:
                    self._known.clear()
                actions = self._known[observation] = list(self.legal(observation))
            state.actions = actions
        return state.actions

    def apply(self, state: EngineState, action: str) -> EngineState:
        return self.step_in_place(EngineState(state.env.clone()), action)

    def step_in_place(self, state: EngineState, action: str) -> EngineState:
        result = state.env.step(action)
        self.steps += 1
        state.actions = None
        if not result.legal:
            state.rejected_by = result.player
        return state

    def current_player(self, state: EngineState) -> int:
        return state.env.current_player

    def is_terminal(self, state: EngineState) -> bool:
        return state.env.done or state.rejected_by is not None

    def value(self, state: EngineState) -> Any:
        return self.estimate(state.env.observation())  # type: ignore[misc]

    def returns(self, state: EngineState) -> list[float]:
        if state.rejected_by is not None:
            return [-1.0 if p == state.rejected_by else 1.0 for p in range(self.players)]
        try:
            rewards, _info = state.env.close()
        except Exception:  # noqa: BLE001 - an engine that breaks at the end: no one gains
            rewards = None
        rewards = rewards or {}
        return [float(rewards.get(p, 0.0)) for p in range(self.players)]


def engine_search(env: GameEnv, legal: Callable[[str], list[str]], *, players: int,
                  simulations: int | None, seconds: float | None, seed: int, chance: bool,
                  clock: Callable[[], float], value: Callable[[str], Any] | None = None,
                  **options: Any) -> dict:
    """One move's search over the engine from ``env`` (left untouched); the planner's result
    dict plus ``engine_steps``. ``value`` (observation -> estimated returns) scores leaves as
    the world-model planner's ``value`` does."""
    from autoharness.worldmodel.uct import AutoharnessMCTS

    model = EngineModel(legal, players, value)
    planner = AutoharnessMCTS(model.legal_actions, model.apply, model.current_player,
                              model.is_terminal, model.returns,
                              value=model.value if value is not None else None, players=players,
                              step_in_place=model.step_in_place, **options)
    saved = random.getstate()
    try:
        if chance:
            root = env.clone()

            def sample(rng: random.Random) -> EngineState:
                random.seed(rng.getrandbits(63))
                return EngineState(root)

            planner.start(sample=sample, seed=seed)
        else:
            planner.start(root=EngineState(env.clone()), seed=seed)
        deadline = clock() + seconds if seconds is not None else None
        planner.run(simulations if simulations else 10 ** 9, clock, deadline)
    finally:
        random.setstate(saved)
    result = planner.result()
    result["engine_steps"] = model.steps
    return result
