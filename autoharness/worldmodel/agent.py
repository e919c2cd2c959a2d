"""The planner agents: ``mcts[:SIMS|:Ns]`` over the harness's world model, ``mcts-engine[:...]``
over the engine itself.

``mcts`` runs UCT (perfect information) or determinised ISMCTS (the file defines
``sample_state``) inside the harness's own sandbox worker: the planner's source is appended to the
harness (``derive.with_planner``) and each move is one ``call("plan", obs, request)``; a seconds
budget is spent in chunks of simulations (the worker has no clock). ``mcts-engine`` runs the same
planner on the host over copies of the engine being played (``engine_model``), with the harness
naming the candidate actions; it needs the live env, which ``play`` provides. Both leave retries
to the wrapper: after a rejection they play their next most visited action.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from autoharness.play.agents import AgentSpecError, PlayAgent, Proposal, Rejection

DEFAULT_SIMULATIONS = 200
PLAN_TIMEOUT = 600.0  # seconds for one call of the planner in the worker
_CHUNK_SECONDS = 0.1  # a seconds budget is spent in calls of about this long
_BUDGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Budget:
    simulations: int | None = DEFAULT_SIMULATIONS
    seconds: float | None = None

    def __str__(self) -> str:
        return f"{self.seconds:g}s" if self.seconds is not None else str(self.simulations)


def parse_budget(text: str, spec: str) -> Budget:
    """``200`` (simulations per move) or ``2s`` / ``0.5s`` (seconds per move)."""
    if not text.strip():
        return Budget()
    match = _BUDGET.match(text)
    if not match:
        raise AgentSpecError(f"{spec}: the budget is SIMS (e.g. 200) or SECONDS with an s "
                             f"(e.g. 2s), not {text!r}")
    number, seconds = float(match.group(1)), match.group(2) is not None
    if seconds:
        if number <= 0:
            raise AgentSpecError(f"{spec}: the seconds budget must be above 0")
        return Budget(simulations=None, seconds=number)
    if number < 1 or not number.is_integer():
        raise AgentSpecError(f"{spec}: the simulations budget must be a whole number >= 1")
    return Budget(simulations=int(number))


def parse_mcts_spec(raw: str) -> tuple[str, Budget] | None:
    """``("mcts" | "mcts-engine", budget)`` for an MCTS spec, None for any other spec."""
    head, _, rest = raw.strip().partition(":")
    kind = head.strip().lower()
    if kind not in ("mcts", "mcts-engine"):
        return None
    return kind, parse_budget(rest, raw.strip())


def _players(source: str) -> int:
    from autoharness.arena.catalogue import num_players
    from autoharness.harness.card import read_card

    try:
        games = read_card(source).games
        return num_players(games[0]) if games else 2
    except Exception:  # noqa: BLE001 - an unknown game id: the usual two players
        return 2


def _pick(result: dict, history: Sequence[Rejection]) -> str | None:
    """The most visited action not yet rejected. The planner ran in the harness's worker, so
    its actions are harness output: held to the host's action-length cap like a proposal."""
    from autoharness.harness.runtime import DEFAULT_MAX_ACTION_LEN

    rejected = {r.action for r in history if r.action is not None}
    visits = result.get("visits")
    ranked = [a for a in (visits if isinstance(visits, dict) else {})
              if isinstance(a, str) and len(a) <= DEFAULT_MAX_ACTION_LEN]
    for action in ranked:
        if action not in rejected:
            return action
    return ranked[0] if ranked else None


class _PlannerAgent(PlayAgent):
    takes_feedback = True

    def __init__(self, budget: Budget, players: int, seed: int, name: str,
                 options: dict | None) -> None:
        self.budget = budget
        self.players = players
        self.name = name
        self.options = dict(options or {})
        self._seeds = itertools.count(seed * 1_000_003)
        self.simulations = 0  # over all moves
        self.search_seconds = 0.0
        self.moves = 0

    @property
    def simulations_per_second(self) -> float:
        return self.simulations / self.search_seconds if self.search_seconds else 0.0

    def _proposal(self, result: Any, began: float, history: Sequence[Rejection],
                  what: str) -> Proposal:
        latency = time.perf_counter() - began
        if not isinstance(result, dict):
            return Proposal(None, failure=f"{what} failed: {result}", latency_s=latency)
        self.moves += 1
        simulations = result.get("simulations", 0)  # the worker's figure: harness output
        if isinstance(simulations, int) and not isinstance(simulations, bool):
            self.simulations += max(0, simulations)
        self.search_seconds += latency
        action = _pick(result, history)
        if action is None:
            return Proposal(None, failure=f"{what} found no legal action", latency_s=latency)
        return Proposal(action, raw=action, latency_s=latency)


class MCTSAgent(_PlannerAgent):
    """MCTS over the world model of a harness source, run inside its own sandbox worker."""

    def __init__(self, source: str, budget: Budget = Budget(), *, seed: int = 0,
                 players: int | None = None, name: str | None = None,
                 options: dict | None = None, harness_name: str = "world-model",
                 engine: str = "stock") -> None:
        from autoharness.harness.runtime import SandboxedHarness
        from autoharness.worldmodel.derive import REQUIRED, defined_functions, with_planner

        missing = [f for f in REQUIRED if f not in defined_functions(source)]
        if missing:
            raise AgentSpecError(f"the mcts agent plans on the harness's world model, and "
                                 f"{harness_name} does not define {', '.join(missing)}")
        super().__init__(budget, players or _players(source), seed,
                         name or f"mcts:{budget}", options)
        self.harness = SandboxedHarness(with_planner(source), name=harness_name,
                                        timeout=PLAN_TIMEOUT, seed=seed, budget=None,
                                        max_value_bytes=1 << 26,
                                        engine=engine)  # the model's ENGINE_PROFILE
        self.harness.defines("plan")  # wait for the worker: a seconds budget is for searching

    def _request(self, simulations: int, key: int | None = None, resume: bool = False) -> dict:
        return {"op": "search", "simulations": simulations, "players": self.players,
                "seed": next(self._seeds), "key": key, "resume": resume, **self.options}

    def search(self, observation: str) -> Any:
        if self.budget.seconds is None:
            return self.harness.call("plan", observation,
                                     self._request(self.budget.simulations or 1))
        deadline = time.perf_counter() + self.budget.seconds
        key, chunk, result, resume = next(self._seeds), 16, None, False
        while result is None or time.perf_counter() < deadline:
            began = time.perf_counter()
            result = self.harness.call("plan", observation, self._request(chunk, key, resume))
            if not isinstance(result, dict):
                return result
            resume = True
            spent = max(time.perf_counter() - began, 1e-4)
            chunk = max(1, min(chunk * 4, int(chunk * _CHUNK_SECONDS / spent)))
        return result

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        began = time.perf_counter()
        return self._proposal(self.search(observation), began, history, "the mcts planner")

    def close(self) -> None:
        self.harness.close()


class EngineMCTSAgent(_PlannerAgent):
    """The same planner over copies of the live engine (``play`` provides it)."""

    def __init__(self, harness: Any, budget: Budget = Budget(), *, seed: int = 0,
                 players: int | None = None, name: str | None = None,
                 options: dict | None = None) -> None:
        source = getattr(harness, "source", None)
        if not isinstance(source, str):
            raise AgentSpecError("mcts-engine needs a loaded harness to name candidate actions")
        super().__init__(budget, players or _players(source), seed,
                         name or f"mcts-engine:{budget}", options)
        self.harness = harness
        self.chance = harness.defines("sample_state")
        self.has_value = harness.defines("value") and self.options.get("use_value", True)
        self.engine_steps = 0

    def _value(self, observation: str) -> Any:
        state = self.harness.call("parse_state", observation)
        estimate = self.harness.call("value", state) if not _failed(state) else state
        if _failed(estimate):
            return [0.0] * self.players
        return estimate

    def _legal(self, observation: str) -> list[str]:
        if self.harness.defines("parse_state") and self.harness.defines("legal_actions"):
            state = self.harness.call("parse_state", observation)
            actions = self.harness.call("legal_actions", state) if not _failed(state) else state
            if isinstance(actions, list):
                return [a for a in actions if isinstance(a, str)]
        proposal = self.harness.propose(observation)  # no world model: its proposer's moves
        return [proposal] if isinstance(proposal, str) else []

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        from autoharness.worldmodel.engine_model import engine_search
        from autoharness.worldmodel.live import current_env

        env = current_env()
        began = time.perf_counter()
        if env is None or env.observation() != observation:
            return Proposal(None, failure="mcts-engine plans on the live engine, which only "
                                          "`autoharness play` provides",
                            latency_s=time.perf_counter() - began)
        options = {k: v for k, v in self.options.items() if k != "use_value"}
        result = engine_search(env, self._legal, players=self.players,
                               simulations=self.budget.simulations, seconds=self.budget.seconds,
                               seed=next(self._seeds), chance=self.chance,
                               clock=time.perf_counter,
                               value=self._value if self.has_value else None, **options)
        self.engine_steps += result.get("engine_steps", 0)
        return self._proposal(result, began, history, "the mcts-engine planner")


def _failed(value: object) -> bool:
    from autoharness.harness.runtime import CallFailure

    return isinstance(value, CallFailure)
