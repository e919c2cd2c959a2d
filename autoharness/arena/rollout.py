"""Playing many episodes fast: E envs in lockstep, one batched policy call per round.

A rollout lane is one seed: it plays up to ``steps`` actions, starting a fresh episode (a fresh
env: TextArena's observation history never resets) whenever one ends. All lanes advance together
so a policy backed by a harness worker answers a whole round in one round trip. Seeded runs are
reproducible: same seeds and same policy give the same records. Parallelism is by processes
(``play_parallel``): the engine keeps its randomness in the global ``random`` module.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from autoharness.arena.env import GameEnv
from autoharness.arena.profiles import DEFAULT_PROFILE


class PolicyFailure(Exception):
    """A policy could not produce an action (a harness timed out or crashed)."""


Request = tuple[str, int]  # (observation, player id)


class BatchPolicy(Protocol):
    def __call__(self, requests: Sequence[Request]) -> list[str | PolicyFailure]: ...


def batched(policy: Callable[[str, int], str]) -> BatchPolicy:
    """Adapt a one-at-a-time policy ``(observation, player) -> action``."""

    def run(requests: Sequence[Request]) -> list[str | PolicyFailure]:
        answers: list[str | PolicyFailure] = []
        for observation, player in requests:
            try:
                answers.append(policy(observation, player))
            except PolicyFailure as failure:
                answers.append(failure)
        return answers

    return run


@dataclass(frozen=True)
class StepRecord:
    game: str
    seed: int
    episode: int
    step: int  # action index within the lane, over all its episodes
    player: int
    action: str | None  # None when the policy failed
    legal: bool
    reason: str | None  # the engine's reason for rejecting, or the policy's failure
    policy_failed: bool = False
    episode_done: bool = False
    observation: str | None = None  # kept only with keep_observations=True
    engine_error: str | None = None  # the engine crashed on this action (so it is illegal)
    # With ``classify_illegal``, for an illegal action: was the position stuck (no legal action
    # known among the probes), was the verdict one the observation could not decide?
    stuck: bool | None = None
    undecidable: bool | None = None


@dataclass(frozen=True)
class IllegalKind:
    """What ``classify_illegal`` says of an illegal action, judged at the position before it."""

    stuck: bool = False
    undecidable: bool = False


IllegalClassifier = Callable[["GameEnv", str, int, str], IllegalKind]


def episode_seed(seed: int, episode: int) -> int:
    """The seed of a lane's ``episode``-th game: the lane's own seed first."""
    return seed + 100_003 * episode


# Puzzles whose engine spends long generating a start position (measured per reset: Sokoban-v0-
# medium ~14 s, Sudoku-v0-hard ~2 s, Sokoban-v0 ~0.2 s, RushHour-v0 ~0.16 s; every other benchmark
# game < 0.03 s). A lane of such a game replays copies of its own first start position instead of
# paying that every episode; random play still makes each episode different. A fixed list, not a
# timing threshold, so that runs stay reproducible.
SLOW_RESET_GAMES = frozenset({"Sokoban-v0-medium", "Sudoku-v0-hard", "Sokoban-v0", "RushHour-v0"})


@dataclass
class _Lane:
    seed: int
    episode: int = 0
    actions: int = 0
    env: GameEnv | None = None
    finished: bool = False
    start: GameEnv | None = None  # a fresh copy of the first episode, for slow-reset games

    def new_episode(self, game_id: str, players: int | None, engine: str) -> None:
        if self.start is not None:
            self.env = self.start.clone()
            return
        self.env = GameEnv(game_id, seed=episode_seed(self.seed, self.episode), players=players,
                           engine=engine)
        if game_id in SLOW_RESET_GAMES:
            self.start = self.env.clone()


def play(
    game_id: str,
    seeds: Sequence[int],
    steps: int,
    policy: BatchPolicy,
    *,
    stop_on_illegal: bool = False,
    keep_observations: bool = False,
    players: int | None = None,
    before_step: Callable[[GameEnv, str, int, str], None] | None = None,
    classify_illegal: IllegalClassifier | None = None,
    engine: str = DEFAULT_PROFILE,
) -> Iterator[StepRecord]:
    """Yield one record per action for every lane, until each lane played ``steps`` actions.

    ``before_step(env, observation, player, action)`` sees each position before its action is
    played (``verify`` probes the harness's verifier there with the oracle).
    ``classify_illegal(env, observation, player, action)`` is asked about each illegal action,
    with ``env`` at the position before it (a snapshot is kept before every step: ~10% of a
    cheap game's rollout); its answer fills the record's ``stuck`` and ``undecidable``.
    ``engine`` is the engine profile every env is built with.

    With ``stop_on_illegal`` a lane stops at its first rejected action or policy failure (the
    learning loop's evaluation); otherwise the engine's rules apply (a game may end on repeated
    invalid moves) and the lane goes on with a fresh episode.
    """
    lanes = [_Lane(seed) for seed in seeds]
    for lane in lanes:
        lane.new_episode(game_id, players, engine)
    while True:
        active = [lane for lane in lanes if not lane.finished]
        if not active:
            return
        requests = [(lane.env.observation(), lane.env.current_player) for lane in active]
        answers = policy(requests)
        for lane, (observation, player), answer in zip(active, requests, answers, strict=True):
            kept = observation if keep_observations else None
            if isinstance(answer, PolicyFailure):
                record = StepRecord(game_id, lane.seed, lane.episode, lane.actions, player, None,
                                    False, str(answer), policy_failed=True, episode_done=True,
                                    observation=kept)
                done = True
            else:
                if before_step is not None:
                    before_step(lane.env, observation, player, answer)
                before = lane.env.snapshot() if classify_illegal is not None else None
                result = lane.env.step(answer)
                done = result.done
                kind = (classify_illegal(before(), observation, player, answer)
                        if before is not None and not result.legal else None)
                record = StepRecord(game_id, lane.seed, lane.episode, lane.actions, player, answer,
                                    result.legal, result.reason, episode_done=done,
                                    observation=kept, engine_error=result.engine_error,
                                    stuck=None if kind is None else kind.stuck,
                                    undecidable=None if kind is None else kind.undecidable)
            lane.actions += 1
            yield record
            if (stop_on_illegal and not record.legal) or lane.actions >= steps:
                lane.finished = True
            elif done:
                lane.episode += 1
                lane.new_episode(game_id, players, engine)


PolicyFactory = Callable[[str], BatchPolicy]  # game id -> policy, built inside the worker process


def _play_chunk(game_id: str, seeds: list[int], steps: int, factory: PolicyFactory,
                options: dict) -> list[StepRecord]:
    return list(play(game_id, seeds, steps, factory(game_id), **options))


def play_parallel(
    game_id: str,
    seeds: Sequence[int],
    steps: int,
    factory: PolicyFactory,
    *,
    jobs: int = 2,
    lanes_per_job: int | None = None,
    **options,
) -> Iterator[StepRecord]:
    """``play`` split over processes: each builds its own policy with ``factory`` (picklable)."""
    seeds = list(seeds)
    per_job = lanes_per_job or max(1, -(-len(seeds) // jobs))
    chunks = [seeds[i:i + per_job] for i in range(0, len(seeds), per_job)]
    if jobs <= 1 or len(chunks) == 1:
        for chunk in chunks:
            yield from play(game_id, chunk, steps, factory(game_id), **options)
        return
    context = multiprocessing.get_context("forkserver")
    with futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = [pool.submit(_play_chunk, game_id, chunk, steps, factory, options)
                   for chunk in chunks]
        for done in futures.as_completed(pending):
            yield from done.result()
