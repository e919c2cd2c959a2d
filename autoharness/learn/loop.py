"""The learning loop: evaluate, pick a node by Thompson sampling, ask the LLM to refine it.

    root (the seed harness, or a skeleton that raises) ─ evaluated against the engine
    repeat:  best node clean? → confirm it on fresh seeds → done if still clean
             budget left for this call's worst case? → choose a node (REx Thompson sampling,
             recorded before the call) → refinement prompt with its contradictions and why
             earlier replies to it were thrown away → LLM → child candidate → static checks →
             evaluate → store

Provider failures stop the run rather than burn it: a fatal one (wrong key, unknown model, bad
request) at once, transient ones (rate limits, 5xx, timeouts, no connection) once
``max_failed_calls`` calls in a row failed after their retries. Both leave a resumable run; the
call is asked again, from the same node, on ``--resume``.

Every step is written to the run directory before the next one starts (``rundir``), so a killed
run resumes without losing or repeating a finished LLM call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from autoharness.harness.verify import Contradiction
from autoharness.learn import objectives
from autoharness.learn.budget import Budget
from autoharness.learn.candidate import (
    CandidateError,
    checked_source,
    code_offset,
    code_part,
    compose_source,
    relative_traceback,
)
from autoharness.learn.config import LearnConfig
from autoharness.learn.evaluate import Evaluation
from autoharness.learn.rundir import RunDir
from autoharness.learn.total_budget import TotalBudget
from autoharness.learn.tree import Node, best_node, thompson_choice
from autoharness.llm import LLM, ExchangeRecord, LLMFailure, Usage

DISCARDED_SHOWN = 3  # reasons for thrown-away replies shown per prompt, newest


@dataclass(frozen=True)
class Stop:
    kind: str  # clean | budget | fatal | unavailable
    reason: str
    failure: LLMFailure | None = None


@dataclass
class LearnResult:
    run: Path
    stop_reason: str
    best: Node | None
    best_source: str | None
    llm_calls: int
    usage: Usage
    cost_usd: float | None  # what the budget counts: reported costs, worst cases for unknowns
    engine_steps: int
    eval_seconds: float  # time spent evaluating candidates against the engine
    nodes: int
    confirmed: bool
    confirmation: dict = field(default_factory=dict)
    stop_kind: str = "budget"  # clean | budget | fatal | unavailable
    failure: LLMFailure | None = None  # the provider's, when it stopped the run

    @property
    def steps_per_s(self) -> float:
        return self.engine_steps / self.eval_seconds if self.eval_seconds else 0.0


Progress = Callable[[dict], None]
#: runs an engine evaluation ``fn(*args, **kwargs)`` (a module-level function): in place by
#: default; ``learn --games`` sends it to a process pool or a Ray cluster (``autoharness.scale``)
RunTask = Callable[..., Any]


def run_in_place(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def provider_failed(exchange: ExchangeRecord) -> bool:
    """The call never got an answer from the model (fatal or transient failure): no candidate."""
    return exchange.error is not None and exchange.error.category in ("fatal", "transient")


class _Loop:
    def __init__(self, run: RunDir, llm: LLM, progress: Progress | None, *,
                 run_task: RunTask = run_in_place, total_budget: TotalBudget | None = None) -> None:
        self.run, self.llm, self.progress = run, llm, progress
        self.run_task, self.total_budget = run_task, total_budget
        self.config = run.config()
        self.objective = objectives.get(self.config.objective)  # what is learned (--objective)
        meta = run.meta()
        self.rules: str = meta.get("rules") or ""
        self.mid_game: str | None = meta.get("mid_game")
        self.nodes = {n.id: n for n in run.nodes()}
        self.exchanges = run.exchanges()
        self.budget = Budget(self.config, self.exchanges)
        self.engine_steps = int(meta.get("engine_steps", 0))
        self.eval_seconds = float(meta.get("eval_seconds", 0.0))
        self.started = time.perf_counter()
        self.previous_minutes = float(meta.get("minutes", 0.0))
        self.failed_in_a_row = 0

    # -- bookkeeping ----------------------------------------------------------------------
    @property
    def calls(self) -> int:
        return len(self.exchanges)

    def usage(self) -> Usage:
        total = Usage()
        for exchange in self.exchanges:
            total = total + exchange.usage
        return total

    def minutes(self) -> float:
        return self.previous_minutes + (time.perf_counter() - self.started) / 60

    def persist_counters(self) -> None:
        self.run.update_meta(engine_steps=self.engine_steps, eval_seconds=self.eval_seconds,
                             minutes=self.minutes(), llm_calls=self.calls)

    def report(self, stage: str) -> None:
        if self.progress is None:
            return
        best = best_node(list(self.nodes.values()))
        self.progress({
            "stage": stage, "iteration": self.calls, "nodes": len(self.nodes),
            "best": best.score if best else None, "calls": self.calls,
            "cost": self.budget.spent_cost,
            "steps_per_s": self.engine_steps / self.eval_seconds if self.eval_seconds else 0.0,
        })

    def provenance(self) -> dict:
        return {"method": "learned", "model": self.config.model, "run": self.run.path.name}

    # -- what every prompt shows ----------------------------------------------------------
    def prepare(self, seed_source: str | None) -> None:
        """The rules and a mid-game observation, computed once and kept in run.json."""
        if self.rules:
            return
        from autoharness.learn.position import rules_and_mid_game

        with _Proposer(self.config.game, seed_source) as proposer:
            self.rules, self.mid_game = rules_and_mid_game(self.config.game, self.config.seed,
                                                           propose=proposer)
        self.run.update_meta(rules=self.rules, mid_game=self.mid_game)

    # -- nodes ----------------------------------------------------------------------------
    def add_root(self, seed_source: str | None) -> None:
        if self.nodes:
            return
        source = seed_source or compose_source(self.config.game, self.objective.skeleton,
                                               self.provenance())
        root = Node(id=0, parent=None)
        self.run.save_node(root, source)
        self.nodes[0] = root
        self.run.event("root", seeded=seed_source is not None)

    def reconcile(self) -> None:
        """After a resume: children for exchanges whose node was not written yet."""
        made = {n.llm_call for n in self.nodes.values() if n.llm_call is not None}
        for call, exchange in enumerate(self.exchanges):
            parent = exchange.extra.get("parent")
            if call not in made and parent in self.nodes and not provider_failed(exchange):
                self.add_child(self.nodes[parent], call, exchange)
        for node in self.nodes.values():  # the refined count is what the log says
            node.refined = sum(1 for e in self.exchanges
                               if e.extra.get("parent") == node.id and not provider_failed(e))

    def add_child(self, parent: Node, call: int, exchange: ExchangeRecord) -> Node:
        child = Node(id=max(self.nodes) + 1, parent=parent.id, llm_call=call)
        self.nodes[child.id] = child
        error = exchange.error
        try:
            if error is not None and error.kind != "truncated":
                raise CandidateError(_reply_problem(error))
            source = checked_source(self.config.game, exchange.reply, self.provenance(),
                                    truncated=error is not None,
                                    output_cap=self.config.max_output_tokens)
        except CandidateError as problem:
            child.status, child.problem = "invalid", str(problem)
            self.run.save_node(child)
            self.run.event("invalid", node=child.id, problem=str(problem))
            return child
        self.run.save_node(child, source)
        return child

    def evaluate_node(self, node: Node, seeds: list[int]) -> Evaluation:
        source = self.run.source(node)
        began = time.perf_counter()
        result = self.run_task(self.objective.evaluate, source, self.config, seeds,
                               name=f"node-{node.id}")
        self.eval_seconds += time.perf_counter() - began
        self.engine_steps += result.engine_steps
        return result

    def score(self, node: Node) -> None:
        seeds = list(range(self.config.seed, self.config.seed + self.config.envs))
        result = self.evaluate_node(node, seeds)
        node.score, node.status = result.score, "evaluated"
        node.counts, node.figures = result.counts, result.figures
        self.run.save_examples(node, self.objective.select_examples(result.contradictions,
                                                                    self.config.examples))
        self.run.save_node(node)
        self.persist_counters()
        self.run.event("evaluated", node=node.id, score=node.score, counts=node.counts,
                       clean=result.clean)

    def confirm(self, node: Node) -> bool:
        first = self.config.confirm_seed + node.id * self.config.envs
        seeds = list(range(first, first + self.config.envs))
        result = self.evaluate_node(node, seeds)
        node.figures["confirmation"] = {**result.figures, "seeds": [seeds[0], seeds[-1]]}
        if result.clean:
            node.confirmed = True
        else:  # what the fresh seeds found becomes what its children must fix
            node.score = min(node.score or 0.0, result.score)
            node.counts = result.counts
            self.run.save_examples(node, self.objective.select_examples(
                result.contradictions, self.config.examples))
        self.run.save_node(node)
        self.persist_counters()
        self.run.event("confirmation", node=node.id, clean=result.clean, score=result.score)
        return result.clean

    # -- one refinement -------------------------------------------------------------------
    def out_of_budget(self) -> str | None:
        """Budgets that need no prompt to judge (calls, time); tokens and dollars: ``refine``."""
        c = self.config
        if self.calls >= c.max_llm_calls:
            return f"LLM-call budget ({c.max_llm_calls}) spent"
        if c.max_minutes is not None and self.minutes() >= c.max_minutes:
            return f"time budget ({c.max_minutes} min) spent"
        return None

    def next_parent(self, rng: np.random.Generator) -> Node:
        """The node to refine: the one recorded for this call before an interruption, else a
        Thompson draw, recorded (with the stream's state) before the call is made."""
        pending = self.run.meta().get("pending") or {}
        parent = self.nodes.get(pending.get("parent", -1))
        if pending.get("call") == self.calls and parent is not None \
                and parent.status == "evaluated":
            return parent
        parent = thompson_choice(list(self.nodes.values()), self.config.exploration, rng)
        self.run.update_meta(pending={"call": self.calls, "parent": parent.id},
                             rng=rng.bit_generator.state)
        return parent

    def prompt_for(self, parent: Node) -> list[dict]:
        source = self.run.source(parent) or ""
        offset = code_offset(source)
        examples: list[Contradiction] = [
            replace(e, failure=relative_traceback(e.failure, f"node-{parent.id}", offset))
            if e.failure else e for e in self.run.examples(parent)]
        discarded = [n.problem for n in sorted(self.nodes.values(), key=lambda n: n.id)
                     if n.parent == parent.id and n.status == "invalid" and n.problem]
        return self.objective.prompt(
            self.config.game, self.rules, code_part(source), parent.score or 0.0,
            self.objective.summarise_counts(parent.counts, parent.figures), examples,
            mid_game=self.mid_game, discarded=discarded[-DISCARDED_SHOWN:],
            figures=parent.figures)

    def refine(self, rng: np.random.Generator) -> Stop | None:
        parent = self.next_parent(rng)
        messages = self.prompt_for(parent)
        refusal = self.budget.refusal(messages)
        if refusal:
            return Stop("budget", refusal)
        hold = None  # the shared --total-cost budget of `learn --games` (total_budget.py)
        if self.total_budget is not None:
            hold = self.total_budget.reserve(self.budget.worst_case(messages)[1])
            if hold.refusal:
                return Stop("budget", hold.refusal)
        self.report("asking the LLM")
        try:
            reply = self.llm.complete(messages, max_tokens=self.config.max_output_tokens,
                                      temperature=self.config.temperature)
        except BaseException:
            if hold is not None:
                self.total_budget.settle(hold, None)  # counted at its worst case
            raise
        call = self.calls
        charge = self.budget.charge(messages, reply)
        if hold is not None:
            self.total_budget.settle(hold, charge.cost_usd)
        record = ExchangeRecord.from_reply(messages, reply, call=call, parent=parent.id,
                                           charged=charge.to_dict())
        self.run.append_exchange(record)  # before anything depends on it: never asked twice
        self.exchanges.append(record)
        self.budget.add(charge)
        self.budget.learn_ratio(record)
        failure = reply.failure
        if failure is not None and failure.category in ("fatal", "transient"):
            # no candidate; the same node is asked again next time (or on --resume)
            self.run.update_meta(pending={"call": self.calls, "parent": parent.id})
            self.persist_counters()
            self.run.event("provider_failure", call=call, failure=failure.kind,
                           message=failure.message)
            return self.provider_stop(failure)
        self.failed_in_a_row = 0
        self.run.update_meta(pending=None)
        parent.refined += 1
        self.run.save_node(parent)
        self.add_child(parent, call, record)
        self.persist_counters()
        return None

    def provider_stop(self, failure: LLMFailure) -> Stop | None:
        if failure.category == "fatal":
            return Stop("fatal", f"{self.llm.name}: {failure.describe()}", failure)
        self.failed_in_a_row += 1
        if self.failed_in_a_row >= self.config.max_failed_calls:
            return Stop("unavailable", f"{self.llm.name} failed {self.failed_in_a_row} calls in "
                                       f"a row, each after its retries (last: "
                                       f"{failure.describe()})", failure)
        return None

    # -- the loop -------------------------------------------------------------------------
    def stream(self) -> np.random.Generator:
        """The random stream, where the run left it (older runs: re-seeded per resume)."""
        state = self.run.meta().get("rng")
        if state is None:
            return np.random.default_rng([self.config.seed, self.calls])
        rng = np.random.default_rng(self.config.seed)
        rng.bit_generator.state = state
        return rng

    def run_loop(self) -> Stop:
        rng = self.stream()
        while True:
            for node in sorted(self.nodes.values(), key=lambda n: n.id):
                if node.status == "pending":
                    self.report(f"evaluating node {node.id}")
                    self.score(node)
            best = best_node(list(self.nodes.values()))
            if best is not None and best.confirmed:
                if self.objective.name == "policy":
                    return Stop("clean", "a candidate's policy played legally and earned the "
                                         "highest reward in every episode on fresh seeds")
                return Stop("clean", "a candidate played every action legally with no "
                                     "contradictions on fresh seeds")
            if (best is not None and best.score == 1.0 and not best.counts
                    and "confirmation" not in best.figures):
                self.report(f"confirming node {best.id}")
                if self.confirm(best):
                    continue
            reason = self.out_of_budget()
            if reason:
                return Stop("budget", reason)
            stop = self.refine(rng)
            if stop is not None:
                return stop
            self.report("refined")


def _reply_problem(error: LLMFailure) -> str:
    """Why a reply that came back failed yields no candidate, as the next prompt says it."""
    if error.kind == "empty":
        return "your reply was empty"
    if error.kind == "refused":
        return f"your reply was a refusal ({error.message})"
    return f"your reply could not be read ({error.describe()})"


class _Proposer:
    """``propose_action`` of the run's seed harness (or the library's for the game), loaded only
    if the mid-game rollout finds no legal move by itself; a callable, closed on exit."""

    def __init__(self, game: str, seed_source: str | None) -> None:
        self.game, self.seed_source = game, seed_source
        self.harness = None
        self.tried = False

    def __call__(self, observation: str) -> object:
        if not self.tried:
            self.tried = True
            source = self.seed_source
            if source is None:
                from autoharness.harness.library import find_harness

                path = find_harness(self.game)
                source = path.read_text() if path is not None else None
            if source is not None:
                from autoharness.harness.runtime import SandboxedHarness

                self.harness = SandboxedHarness(source, name="mid-game", timeout=1.0)
        return self.harness.propose(observation) if self.harness is not None else None

    def __enter__(self) -> _Proposer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.harness is not None:
            self.harness.close()


def learn(config: LearnConfig | None, llm: LLM, run_path: Path, *, resume: bool = False,
          seed_source: str | None = None, progress: Progress | None = None,
          run_task: RunTask = run_in_place, total_budget: TotalBudget | None = None,
          ) -> LearnResult:
    """Run (or with ``resume``, continue) a learn run in ``run_path``. ``run_task`` runs the
    engine evaluations; ``total_budget`` is a dollar budget shared with other runs."""
    if resume:
        run = RunDir.open(run_path, repair=True)
    else:
        if config is None:
            raise ValueError("a new run needs a config")
        run = RunDir.create(run_path, config)
    loop = _Loop(run, llm, progress, run_task=run_task, total_budget=total_budget)
    loop.prepare(seed_source)
    loop.add_root(seed_source)
    loop.reconcile()
    run.update_meta(state="running")
    run.event("start", resume=resume, calls=loop.calls)
    stop = loop.run_loop()
    best = best_node(list(loop.nodes.values()))
    loop.persist_counters()
    state = {"fatal": "stopped", "unavailable": "interrupted"}.get(stop.kind, "finished")
    run.update_meta(state=state, stop_reason=stop.reason, stop_kind=stop.kind,
                    best=best.id if best else None, confirmed=bool(best and best.confirmed))
    run.event("stop", reason=stop.reason, stop_kind=stop.kind)
    return LearnResult(
        run=run.path, stop_reason=stop.reason, best=best,
        best_source=run.source(best) if best else None, llm_calls=loop.calls,
        usage=loop.usage(), cost_usd=loop.budget.spent_cost, engine_steps=loop.engine_steps,
        eval_seconds=loop.eval_seconds, nodes=len(loop.nodes),
        confirmed=bool(best and best.confirmed),
        confirmation=best.figures.get("confirmation", {}) if best else {},
        stop_kind=stop.kind, failure=stop.failure,
    )
