"""``autoharness verify GAME --world-model``: a harness's world model against the real engine.

Three tiers (GameCWM's, minus its game-specific scenarios), each a 0–1 score with its
contradictions, each gating the next (``report.py``):

* **static** — the source passes the static checks; the world-model functions exist; on every
  seed's first observation (each player's) they answer with the right kinds of value: a state, a
  list of distinct strings, a player index, a bool, one finite number per player.
* **dynamics** — along engine trajectories: transitions, legal sets, the player to move, the end
  and the rewards agree with the engine; nothing changes its input; answers repeat
  (``dynamics.py``).
* **information** — files with ``sample_state``: determinisations are consistent with the
  observation and legal under it (``dynamics.py``). Without ``sample_state`` the tier has nothing
  to check and scores 1.000 once reached (a game with hidden information or chance then fails its
  dynamics: no exact transition can match).

The model runs in the sandbox with the planner tools appended (for the purity probe, which must run
next to the model); the engine is the one ``GameEnv`` profile given.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from autoharness.arena.catalogue import num_players
from autoharness.arena.env import GameEnv
from autoharness.harness.checks import check_source
from autoharness.harness.runtime import SandboxedHarness
from autoharness.worldmodel import report as R
from autoharness.worldmodel.calls import ModelCalls, action_list, failed
from autoharness.worldmodel.derive import REQUIRED, with_planner
from autoharness.worldmodel.dynamics import Lane, never_true
from autoharness.worldmodel.probing import views
from autoharness.worldmodel.values import as_returns, brief

DEFAULT_SETTINGS = {
    "sound_checks": 12,  # listed actions the oracle judges per position
    "probes": 8,  # completeness probes per position
    "purity_every": 5,  # positions between purity probes
    "samples": 16,  # determinisations drawn per position
    "max_samples": 2048,  # determinisations searched for a rare chance outcome
    "reroll_every": 3,  # transitions between re-runs of the engine's chance
    "max_rerolls": 2048,
    "support_draws": 128,  # determinisations drawn to follow up a small hidden space
    "support_distinct": 12,  # ... and at most this many distinct values to call it one
}

MAX_VALUE_BYTES = 1 << 26  # observations of long games pass 1 MiB (Battleship-v0-extreme)
Progress = Callable[[int], None]  # called with the actions played so far, over all seeds


def verify_world_model(game: str, source: str, seeds: list[int], steps: int, *,
                       engine: str = "stock", timeout: float = 5.0,
                       settings: dict[str, int] | None = None, progress: Progress | None = None,
                       max_contradictions: int = 200) -> R.WorldModelReport:
    """Measure the world model of ``source`` on ``game`` (see the module doc)."""
    began = time.perf_counter()
    report = R.WorldModelReport(game, list(seeds), steps, engine=engine,
                                max_contradictions=max_contradictions)
    config = {**DEFAULT_SETTINGS, **(settings or {})}
    players = num_players(game)
    problems = check_source(source)
    report.check("static")
    if problems:
        _static_fail(report, game, R.API, "the source passes the static checks",
                     "; ".join(str(p) for p in problems[:3]))
        return _finish(report, began)
    with SandboxedHarness(with_planner(source), name="world-model", timeout=timeout,
                          seed=0, budget=None, max_value_bytes=MAX_VALUE_BYTES,
                          engine=engine) as harness:  # the model's ENGINE_PROFILE
        model = ModelCalls(harness)
        report.defines = [name for name in (*REQUIRED, "sample_state", "value")
                          if model.defines(name)]
        report.determinised = "sample_state" in report.defines
        static(report, model, game, seeds, players, engine)
        if not _gate(report, "static", "dynamics"):
            return _finish(report, began)
        for index, seed in enumerate(seeds):
            lane = Lane(game, seed, steps, model, report, engine=engine, players=players,
                        settings=config)
            if progress is not None:
                lane.on_step = lambda done, base=index * steps: progress(base + done)
            lane.run()
        if _gate(report, "dynamics", "information") and report.determinised:
            never_true(report, game)
    return _finish(report, began)


def _gate(report: R.WorldModelReport, tier: str, following: str) -> bool:
    if report.tiers[tier].score == 1.0 and not report.tiers[tier].gated:
        return True
    for later in R.TIERS[R.TIERS.index(following):]:
        report.tiers[later].gated = True
    return False


def _finish(report: R.WorldModelReport, began: float) -> R.WorldModelReport:
    if report.tiers["static"].score < 1.0:
        for later in R.TIERS[1:]:
            report.tiers[later].gated = True
    report.seconds = time.perf_counter() - began
    return report


def _static_fail(report: R.WorldModelReport, game: str, kind: str, engine: str, model: str,
                 obs: str = "", seed: int | None = None) -> None:
    report.fail("static", R.ModelContradiction("static", kind, game, seed, 0, None, obs, None,
                                               engine, model))


def static(report: R.WorldModelReport, model: ModelCalls, game: str, seeds: list[int],
           players: int, engine: str) -> None:
    """The API and the kinds of value on every seed's first observations."""
    for name in REQUIRED:
        report.check("static")
        if name not in report.defines:
            _static_fail(report, game, R.API, f"a module-level def {name}", "not defined")
    if report.tiers["static"].failures:
        return
    for seed in seeds:
        env = GameEnv(game, seed=seed, engine=engine)
        for obs in views(env):
            _first_observation(report, model, game, seed, obs, players,
                               to_move=obs == env.observation())


def _first_observation(report: R.WorldModelReport, model: ModelCalls, game: str, seed: int,
                       obs: str, players: int, to_move: bool) -> None:
    def expect(ok: bool, kind: str, wanted: str, got: str) -> bool:
        report.check("static")
        if not ok:
            _static_fail(report, game, kind, wanted, got, obs, seed)
        return ok

    state = model.parse(obs)
    if not expect(not failed(state), R.FAILURE, "parse_state(obs) returns a state",
                  str(state)):
        return
    mover = model.one("current_player", state)
    expect(isinstance(mover, int) and not isinstance(mover, bool) and 0 <= mover < players,
           R.TYPE, f"current_player(state) is an int in 0..{players - 1}", brief(mover))
    end = model.one("is_terminal", state)
    expect(end is False, R.TYPE, "is_terminal(state) is the bool False at the start",
           brief(end))
    paid = model.one("returns", state)
    expect(as_returns(paid, players) is not None, R.TYPE,
           f"returns(state) is a list of {players} numbers", brief(paid))
    if "value" in report.defines:
        estimate = model.one("value", state)
        expect(as_returns(estimate, players) is not None, R.TYPE,
               f"value(state) is a list of {players} numbers", brief(estimate))
    if "sample_state" in report.defines:
        sample = model.one("sample_state", obs, 12345)
        expect(not failed(sample), R.FAILURE, "sample_state(obs, seed) returns a state",
               str(sample))
    if not to_move:
        return
    legal = model.legal(state)
    listed = action_list(legal)
    if not expect(listed is not None and len(listed) > 0, R.TYPE,
                  "legal_actions(state) is a non-empty list of str at the start", brief(legal)):
        return
    after = model.apply(state, listed[0])
    expect(not failed(after), R.FAILURE, f"apply(state, {listed[0]!r}) returns a state",
           str(after))
