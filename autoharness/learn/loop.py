"""The learning loop: evaluate, pick a node by Thompson sampling, ask the LLM to refine it.

    root (the seed harness, or a skeleton that raises) ─ evaluated against the engine
    repeat:  best node clean? → confirm it on fresh seeds → done if still clean
             budget left? → choose a node (REx Thompson sampling) → refinement prompt with its
             contradictions → LLM → child candidate → static checks → evaluate → store

Every step is written to the run directory before the next one starts (``rundir``), so a killed
run resumes without losing or repeating a finished LLM call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autoharness.arena.env import GameEnv
from autoharness.harness.verify import Contradiction
from autoharness.learn import critic
from autoharness.learn.candidate import (
    SKELETON,
    CandidateError,
    checked_source,
    code_part,
    compose_source,
)
from autoharness.learn.config import LearnConfig
from autoharness.learn.evaluate import Evaluation, evaluate
from autoharness.learn.prompts import refinement_prompt
from autoharness.learn.rundir import RunDir
from autoharness.learn.tree import Node, best_node, thompson_choice
from autoharness.llm import LLM, ExchangeRecord, Usage


@dataclass
class LearnResult:
    run: Path
    stop_reason: str
    best: Node | None
    best_source: str | None
    llm_calls: int
    usage: Usage
    cost_usd: float | None
    engine_steps: int
    eval_seconds: float  # time spent evaluating candidates against the engine
    nodes: int
    confirmed: bool
    confirmation: dict = field(default_factory=dict)

    @property
    def steps_per_s(self) -> float:
        return self.engine_steps / self.eval_seconds if self.eval_seconds else 0.0


Progress = Callable[[dict], None]


class _Loop:
    def __init__(self, run: RunDir, llm: LLM, progress: Progress | None) -> None:
        self.run, self.llm, self.progress = run, llm, progress
        self.config = run.config()
        self.rules = GameEnv(self.config.game, seed=self.config.seed).observation().strip()
        self.nodes = {n.id: n for n in run.nodes()}
        self.exchanges = run.exchanges()
        self.engine_steps = int(run.meta().get("engine_steps", 0))
        self.eval_seconds = float(run.meta().get("eval_seconds", 0.0))
        self.started = time.perf_counter()
        self.previous_minutes = float(run.meta().get("minutes", 0.0))

    # -- bookkeeping ----------------------------------------------------------------------
    @property
    def calls(self) -> int:
        return len(self.exchanges)

    def usage(self) -> Usage:
        total = Usage()
        for exchange in self.exchanges:
            total = total + exchange.usage
        return total

    def cost(self) -> float | None:
        costs = [e.cost_usd for e in self.exchanges]
        if any(c is None for c in costs):
            return None
        return float(sum(costs))

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
            "best": best.score if best else None, "calls": self.calls, "cost": self.cost(),
            "steps_per_s": self.engine_steps / self.eval_seconds if self.eval_seconds else 0.0,
        })

    def provenance(self) -> dict:
        return {"method": "learned", "model": self.config.model, "run": self.run.path.name}

    # -- nodes ----------------------------------------------------------------------------
    def add_root(self, seed_source: str | None) -> None:
        if self.nodes:
            return
        source = seed_source or compose_source(self.config.game, SKELETON, self.provenance())
        root = Node(id=0, parent=None)
        self.run.save_node(root, source)
        self.nodes[0] = root
        self.run.event("root", seeded=seed_source is not None)

    def reconcile(self) -> None:
        """After a resume: children for exchanges whose node was not written yet."""
        made = {n.llm_call for n in self.nodes.values() if n.llm_call is not None}
        for call, exchange in enumerate(self.exchanges):
            parent = exchange.extra.get("parent")
            if call not in made and parent in self.nodes:
                self.add_child(self.nodes[parent], call, exchange)
        for node in self.nodes.values():  # the refined count is what the log says
            node.refined = sum(1 for e in self.exchanges if e.extra.get("parent") == node.id)

    def add_child(self, parent: Node, call: int, exchange: ExchangeRecord) -> Node:
        child = Node(id=max(self.nodes) + 1, parent=parent.id, llm_call=call)
        self.nodes[child.id] = child
        if exchange.error is not None:
            child.status, child.problem = "invalid", f"LLM failure: {exchange.error}"
            self.run.save_node(child)
            return child
        try:
            source = checked_source(self.config.game, exchange.reply, self.provenance())
        except CandidateError as error:
            child.status, child.problem = "invalid", str(error)
            self.run.save_node(child)
            self.run.event("invalid", node=child.id, problem=str(error))
            return child
        self.run.save_node(child, source)
        return child

    def evaluate_node(self, node: Node, seeds: list[int]) -> Evaluation:
        source = self.run.source(node)
        began = time.perf_counter()
        result = evaluate(source, self.config, seeds, name=f"node-{node.id}")
        self.eval_seconds += time.perf_counter() - began
        self.engine_steps += result.engine_steps
        return result

    def score(self, node: Node) -> None:
        seeds = list(range(self.config.seed, self.config.seed + self.config.envs))
        result = self.evaluate_node(node, seeds)
        node.score, node.status = result.score, "evaluated"
        node.counts, node.figures = result.counts, result.figures
        self.run.save_examples(node, critic.select_examples(result.contradictions,
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
            self.run.save_examples(node, critic.select_examples(result.contradictions,
                                                                self.config.examples))
        self.run.save_node(node)
        self.persist_counters()
        self.run.event("confirmation", node=node.id, clean=result.clean, score=result.score)
        return result.clean

    # -- the loop -------------------------------------------------------------------------
    def out_of_budget(self) -> str | None:
        c = self.config
        if self.calls >= c.max_llm_calls:
            return f"LLM-call budget ({c.max_llm_calls}) spent"
        cost = self.cost()
        if c.max_cost is not None and cost is not None and cost >= c.max_cost:
            return f"cost budget (${c.max_cost}) spent"
        if c.max_tokens is not None and self.usage().total_tokens >= c.max_tokens:
            return f"token budget ({c.max_tokens}) spent"
        if c.max_minutes is not None and self.minutes() >= c.max_minutes:
            return f"time budget ({c.max_minutes} min) spent"
        return None

    def refine(self, rng: np.random.Generator) -> Node:
        parent = thompson_choice(list(self.nodes.values()), self.config.exploration, rng)
        examples: list[Contradiction] = self.run.examples(parent)
        messages = refinement_prompt(
            self.config.game, self.rules, code_part(self.run.source(parent) or ""),
            parent.score or 0.0, critic.summarise_counts(parent.counts), examples)
        self.report("asking the LLM")
        reply = self.llm.complete(messages, max_tokens=self.config.reply_tokens,
                                  temperature=self.config.temperature)
        call = self.calls
        record = ExchangeRecord.from_reply(messages, reply, call=call, parent=parent.id)
        self.run.append_exchange(record)  # before anything depends on it: never asked twice
        self.exchanges.append(record)
        parent.refined += 1
        self.run.save_node(parent)
        child = self.add_child(parent, call, record)
        self.persist_counters()
        return child

    def run_loop(self) -> str:
        rng = np.random.default_rng([self.config.seed, self.calls])  # resume-stable stream
        while True:
            for node in sorted(self.nodes.values(), key=lambda n: n.id):
                if node.status == "pending":
                    self.report(f"evaluating node {node.id}")
                    self.score(node)
            best = best_node(list(self.nodes.values()))
            if best is not None and best.confirmed:
                return "a candidate played every action legally with no contradictions on " \
                       "fresh seeds"
            if (best is not None and best.score == 1.0 and not best.counts
                    and "confirmation" not in best.figures):
                self.report(f"confirming node {best.id}")
                if self.confirm(best):
                    continue
            reason = self.out_of_budget()
            if reason:
                return reason
            self.refine(rng)
            self.report("refined")


def learn(config: LearnConfig | None, llm: LLM, run_path: Path, *, resume: bool = False,
          seed_source: str | None = None, progress: Progress | None = None) -> LearnResult:
    """Run (or with ``resume``, continue) a learn run in ``run_path``."""
    if resume:
        run = RunDir.open(run_path)
    else:
        if config is None:
            raise ValueError("a new run needs a config")
        run = RunDir.create(run_path, config)
    loop = _Loop(run, llm, progress)
    loop.add_root(seed_source)
    loop.reconcile()
    run.update_meta(state="running")
    run.event("start", resume=resume, calls=loop.calls)
    stop_reason = loop.run_loop()
    best = best_node(list(loop.nodes.values()))
    loop.persist_counters()
    run.update_meta(state="finished", stop_reason=stop_reason,
                    best=best.id if best else None, confirmed=bool(best and best.confirmed))
    run.event("stop", reason=stop_reason)
    return LearnResult(
        run=run.path, stop_reason=stop_reason, best=best,
        best_source=run.source(best) if best else None, llm_calls=loop.calls,
        usage=loop.usage(), cost_usd=loop.cost(), engine_steps=loop.engine_steps,
        eval_seconds=loop.eval_seconds, nodes=len(loop.nodes),
        confirmed=bool(best and best.confirmed),
        confirmation=best.figures.get("confirmation", {}) if best else {},
    )
