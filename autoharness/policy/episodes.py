"""Episodes played by one harness function, every action judged by the engine.

The harness plays every seat. ``function`` is ``choose_action`` (the policy) or
``propose_action`` (the random legal sampler). A call that fails (timeout, exception, a value that
is not a string) is counted; the policy then falls back to ``propose_action`` for that move, as
the ``harness-policy`` agent does, so an episode always finishes. The engine's reward comes from
``env.close()``; an episode the engine ends by raising, or one cut off at ``max_turns``, has no
reward (``reward`` None) and counts 0 where means are taken. An illegal action that was a forced
guess — the observation proved no action legal and did not decide this one (a Minesweeper cell
that held a mine when no cell was provably safe: ``arena/decidability.py``) — is counted apart
as well (``illegal_undecidable``).
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from autoharness.arena.profiles import DEFAULT_PROFILE

POLICY = "choose_action"
PROPOSER = "propose_action"
MAX_TURNS = 5000  # actions per episode when no cap is given (2048 takes ~1,000 to win)
EXAMPLES_KEPT = 3  # illegal actions / failures kept per episode, with their observations
ENDING_CHARS = 1200  # characters of the last observation kept as the episode's ending


@dataclass
class Mistake:
    """An illegal action or a failed call, with the observation it answered."""

    kind: str  # illegal | failure
    step: int
    player: int
    observation: str
    action: str | None
    reason: str | None


@dataclass
class Episode:
    game: str
    seed: int
    function: str
    reward: float | None  # seat 0's reward from env.close(); None: no reward (see module doc)
    rewards: dict[int, float] | None
    turns: int
    illegal: int = 0
    illegal_undecidable: int = 0  # of which on a verdict the observation does not decide
    failures: int = 0  # calls of `function` that failed (fell back to propose_action)
    engine_error: str | None = None
    unfinished: bool = False  # cut off at max_turns
    reason: str | None = None  # the engine's word on how it ended
    ending: str = ""  # the end of the last observation
    call_seconds: list[float] = field(default_factory=list)  # wall time of every call
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def score(self) -> float:
        """The reward, 0 where there is none."""
        return self.reward if self.reward is not None else 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("call_seconds")
        return data


def _failure_text(result: object) -> str | None:
    from autoharness.harness.runtime import CallFailure

    if isinstance(result, CallFailure):
        return str(result)
    if not isinstance(result, str):
        return f"returned {type(result).__name__}, not str"
    return None


def play_episode(game_id: str, harness: Any, seed: int, function: str = POLICY, *,
                 max_turns: int = MAX_TURNS, engine: str = DEFAULT_PROFILE) -> Episode:
    """One episode of ``game_id`` on ``seed`` with ``harness.function`` in every seat."""
    from autoharness.arena import GameEnv
    from autoharness.arena.decidability import forced_guess, verdict_decided

    env = GameEnv(game_id, seed=seed, engine=engine)
    episode = Episode(game_id, seed, function, None, None, 0)
    observation = env.observation()
    while not env.done and episode.turns < max_turns:
        observation, player = env.observation(), env.current_player
        began = time.perf_counter()
        if function == PROPOSER:
            action = harness.propose(observation)
        else:
            action = harness.call(function, observation)
        episode.call_seconds.append(time.perf_counter() - began)
        failure = _failure_text(action)
        if failure is not None:
            episode.failures += 1
            _keep(episode, Mistake("failure", episode.turns, player, observation, None,
                                   f"{function} failed: {failure}"))
            action = harness.propose(observation) if function != PROPOSER else ""
            if not isinstance(action, str):
                action = ""
        result = env.step(action)
        if not result.legal:
            episode.illegal += 1
            if (result.engine_error is None and forced_guess(env, observation)
                    and not verdict_decided(env, observation, action)):
                episode.illegal_undecidable += 1  # a forced Minesweeper guess that found a mine
            _keep(episode, Mistake("illegal", episode.turns, player, observation, action,
                                   result.reason))
        if result.engine_error is not None:
            episode.engine_error = result.engine_error
        episode.turns += 1
    episode.unfinished = not env.done
    episode.ending = (env.observation() if not env.done else observation)[-ENDING_CHARS:]
    try:
        rewards, info = env.close()
    except Exception as error:  # noqa: BLE001 - an engine bug at the very end
        rewards, info = None, {}
        episode.engine_error = episode.engine_error or f"close raised {type(error).__name__}"
    if rewards and env.done and episode.engine_error is None:
        episode.rewards = {int(k): float(v) for k, v in rewards.items()}
        episode.reward = episode.rewards.get(0)
    if isinstance(info, dict):
        seat = info.get(0) or next(iter(info.values()), None)
        if isinstance(seat, dict) and seat.get("reason") is not None:
            episode.reason = str(seat["reason"])
    if episode.engine_error is not None and episode.reason is None:
        episode.reason = f"engine error: {episode.engine_error}"
    return episode


def _keep(episode: Episode, mistake: Mistake) -> None:
    if len(episode.mistakes) < EXAMPLES_KEPT:
        episode.mistakes.append(mistake)


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile (0..1) by the nearest-rank rule; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))
    return ordered[rank]
