"""Writing the learned harness with a truthful card: model, budget spent, verified figures."""

from __future__ import annotations

import datetime
from pathlib import Path

from autoharness.harness.card import HarnessCard, read_card, write_card
from autoharness.learn.config import LearnConfig
from autoharness.learn.loop import LearnResult
from autoharness.probes.score import card_score


def learned_card_source(result: LearnResult, config: LearnConfig) -> str:
    """The best candidate's source with PROVENANCE and VERIFIED filled in from the run."""
    if result.best_source is None:
        raise ValueError("the run has no evaluated candidate to save")
    card = read_card(result.best_source)
    card.games = [config.game]
    if result.best is not None and result.best.parent is None:
        # the root: the --from file itself, unchanged by any LLM; it keeps its own provenance
        card.provenance = {**card.provenance, "confirmed_by": f"autoharness learn run "
                                                              f"{result.run.name}, no LLM call"}
    else:
        card.provenance = _learned(result, config)
    _set_verified(card, result, config)
    return write_card(result.best_source, card)


def _learned(result: LearnResult, config: LearnConfig) -> dict:
    return {
        "method": "learned",
        "model": config.model,
        "llm_calls": result.llm_calls,
        "tokens": {"input": result.usage.input_tokens, "output": result.usage.output_tokens,
                   "thinking": result.usage.thinking_tokens},
        "cost_usd": None if result.cost_usd is None else round(result.cost_usd, 4),
        "max_output_tokens": config.max_output_tokens,
        "thinking_budget": config.thinking_budget,
        "env_steps": result.engine_steps,
        "run": result.run.name,
        "stop_reason": result.stop_reason,
    }


def _set_verified(card: HarnessCard, result: LearnResult, config: LearnConfig) -> None:
    confirmation = result.confirmation
    if confirmation and config.objective == "policy":
        card.verified = {config.game: {"policy": _policy_entry(confirmation, config)}}
    elif confirmation:
        first, last = confirmation["seeds"]
        card.verified = {config.game: {
            "command": (f"autoharness verify {config.game} --seeds {first}-{last} "
                        f"--steps {config.steps} --stress-positions {config.probe_positions}"),
            "date": datetime.date.today().isoformat(),
            **{k: confirmation[k] for k in ("legal_rate", "actions", "illegal_actions",
                                            "false_accepts", "false_rejects", "stress_checks",
                                            "harness_failures") if k in confirmation},
            **card_score(confirmation, config.probe_positions),
        }}
    else:
        card.verified = {}


def _policy_entry(confirmation: dict, config: LearnConfig) -> dict:
    """``learn --objective policy``: choose_action's figures on the confirmation seeds, with the
    keys ``verify`` writes under ``VERIFIED[game]["policy"]``."""
    first, last = confirmation["seeds"]
    actions, illegal = confirmation["actions"], confirmation["illegal_actions"]
    return {"command": f"autoharness verify {config.game} --seeds {first}-{last} "
                       f"--steps {config.steps}",
            "date": datetime.date.today().isoformat(),
            "legal_rate": round(1 - illegal / actions, 6) if actions else 0.0,
            "actions": actions, "illegal_actions": illegal,
            "illegal_undecidable": confirmation.get("forced_guesses", 0),
            "harness_failures": confirmation["harness_failures"],
            "episodes": confirmation["episodes"],
            "mean_reward": round(confirmation["mean_reward"], 4),
            "p95_move_ms": round(confirmation["p95_move_ms"], 1),
            "h": round(confirmation["h"], 6), "score_formula": confirmation["score_formula"]}


def save_harness(result: LearnResult, config: LearnConfig, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(learned_card_source(result, config))
    return out
