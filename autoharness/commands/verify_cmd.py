"""``autoharness verify``: load a harness, run ``harness.verify``, print and record the figures.

Exit 0 when the harness is clean (no illegal action, no false accept or reject, no harness
failure), 1 when it is not; with ``--json`` stdout holds the report and nothing else."""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autoharness.arena.profiles import PROFILES
from autoharness.cli_support import (
    EXIT_CLEAN,
    EXIT_NOT_CLEAN,
    engine_output_to_stderr,
    exit_with,
    fail,
    progress_bar,
)
from autoharness.commands.loading import open_harness
from autoharness.harness.verify import DEFAULT_STRESS_POSITIONS, VerifyReport, verify
from autoharness.policy.check import check_policy
from autoharness.probes.score import card_score

console = Console(stderr=False)


def run_verify(game_id: str, harness_path: str | None, seeds: list[int], steps: int,
               stress_positions: int, show: int, as_json: bool, update_card: bool,
               timeout: float, engine: str = "stock") -> None:
    path, harness = open_harness(game_id, harness_path, timeout=timeout, engine=engine)
    with engine_output_to_stderr(as_json), harness, \
            progress_bar(len(seeds) * steps, f"verify {game_id}", quiet=as_json) as advance:
        report = verify(game_id, harness, seeds, steps, stress_positions=stress_positions,
                        progress=advance, engine=engine)
        policy = check_policy(game_id, harness, seeds, steps, engine=engine)  # choose_action
    clean = report.clean and (policy is None or policy.clean)
    if as_json:
        data = report.to_dict(contradictions=show)
        data["policy"] = policy.to_dict() if policy is not None else None
        data["clean"] = clean
        print(json.dumps(data, indent=1))
    else:
        print_report(report, path, show)
        if policy is not None:
            console.print(policy.text(), markup=False, highlight=False, soft_wrap=True)
            if not policy.clean:
                console.print(f"{game_id}: policy NOT clean", markup=False, highlight=False)
    if update_card:
        record_figures(path, [report.figures()], seeds, steps, stress_positions)
        if policy is not None:
            record_policy(path, policy, seeds, steps, engine)
    exit_with(EXIT_CLEAN if clean else EXIT_NOT_CLEAN)


def record_policy(path: Path, policy, seeds: list[int], steps: int, engine: str) -> None:
    """``VERIFIED[game]["policy"]`` in the card: choose_action's figures from this run."""
    from autoharness.harness.card import read_card, write_card

    seeds_arg = str(len(seeds)) if seeds == list(range(len(seeds))) else ",".join(map(str, seeds))
    profile = "" if engine == "stock" else f" --engine {engine}"
    command = f"autoharness verify {policy.game} --seeds {seeds_arg} --steps {steps}{profile}"
    source = path.read_text()
    card = read_card(source)
    card.verified.setdefault(policy.game, {})["policy"] = policy.card_entry(command)
    try:
        path.write_text(write_card(source, card))
    except OSError as error:
        fail(f"cannot update the card of {path}: {error.strerror}")


def print_report(report: VerifyReport, path: Path, show: int) -> None:
    table = Table(title=f"{report.game} — {path.name}")
    for column in ("legal rate", "actions", "illegal", "false accepts", "false rejects",
                   "stress checks", "harness failures", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(f"{report.legal_rate:.4f}", str(report.actions), str(report.illegal_actions),
                  str(report.false_accepts),
                  f"{report.false_rejects} ({report.false_reject_rate:.2%})",
                  str(report.stress_checks), str(report.harness_failures),
                  f"{report.elapsed_s:.1f}")
    console.print(table)
    score = report.score
    console.print(f"score h = {score.h:.4f} = p {score.proposer_legal_rate:.4f} (proposals "
                  f"legal) × v {score.verifier_agreement:.4f} (verifier agreement); "
                  f"{report.interactions:,} interactions; narrow-proposer findings "
                  f"{report.narrow_proposer}", markup=False, highlight=False, soft_wrap=True)
    console.print(_apart_text(report), markup=False, highlight=False, soft_wrap=True)
    for contradiction in report.contradictions[:show]:
        console.rule(f"[bold]{contradiction.kind}[/bold] seed {contradiction.seed} "
                     f"player {contradiction.player}")
        console.print(contradiction.tail(600), markup=False, highlight=False)
        reason = f" — {contradiction.engine_reason}" if contradiction.engine_reason else ""
        failure = f"  failure: {contradiction.failure}" if contradiction.failure else ""
        engine = "legal" if contradiction.engine_legal else "illegal"
        console.print(f"action: {contradiction.action!r}  engine: {engine}{reason}"
                      f"  harness said: {contradiction.harness_verdict}{failure}",
                      markup=False, highlight=False)
    console.print(f"{report.game}: {verdict_text(report)}", markup=False, highlight=False,
                  soft_wrap=True)


def _apart_text(report: VerifyReport) -> str:
    """The engine profile, and the counts reported apart (stuck, undecidable, engine errors)."""
    from autoharness.arena.profiles import describe

    return (f"engine: {describe(report.engine)}; engine errors {report.engine_errors} "
            f"(illegal; {report.engine_error_accepts} accepted by eval_action); illegal at stuck "
            f"positions {report.illegal_stuck}; forced guesses on undecidable verdicts "
            f"{report.illegal_undecidable}; eval_action on undecidable verdicts: "
            f"{report.undecidable_false_accepts} false accepts, "
            f"{report.undecidable_false_rejects} false rejects (apart)")


def verdict_text(report: VerifyReport) -> str:
    """``clean``, or ``NOT clean`` with what made it so."""
    if report.clean:
        return "clean"
    counts = [(report.avoidable_illegal_actions, "illegal actions"),
              (report.false_accepts, "false accepts"),
              (report.false_rejects, "false rejects"),
              (report.harness_failures, "harness failures (timeouts/crashes)"),
              (report.narrow_proposer, "narrow-proposer findings")]
    reasons = [f"{n} {what}" for n, what in counts if n]
    if report.slow:
        reasons.append(f"slow ({report.slow_calls} calls refused; {report.slow})")
    if not report.actions:
        reasons.insert(0, "no action was played")
    return "NOT clean: " + (", ".join(reasons) or "see the figures")


CARD_FIGURES = ("legal_rate", "actions", "illegal_actions", "false_accepts", "false_rejects",
                "false_reject_rate", "stress_checks", "harness_failures", "engine_errors",
                "engine_error_accepts", "illegal_stuck", "illegal_undecidable",
                "undecidable_false_accepts", "undecidable_false_rejects")


def card_figures(figures: dict, seeds: list[int], steps: int, stress_positions: int) -> dict:
    """A card's VERIFIED entry: the command that reproduces the figures, and the figures."""
    seeds_arg = str(len(seeds)) if seeds == list(range(len(seeds))) else ",".join(map(str, seeds))
    stress = ("" if stress_positions == DEFAULT_STRESS_POSITIONS
              else f" --stress-positions {stress_positions}")
    engine = str(figures.get("engine") or "stock")
    profile = "" if engine == "stock" else f" --engine {engine}"
    entry: dict = {
        "command": f"autoharness verify {figures['game']} --seeds {seeds_arg} --steps {steps}"
                   f"{stress}{profile}",
        "date": datetime.date.today().isoformat(),
        "engine": engine,
    }
    for key in CARD_FIGURES:
        value = figures.get(key)
        if value is not None and not math.isnan(float(value)):  # a CSV row holds NaN for "none"
            entry[key] = round(float(value), 6) if "rate" in key else int(value)
    entry.update(card_score(figures, stress_positions))  # h = p · v, its formula, the budget
    return entry


def record_figures(path: Path, figures: list[dict], seeds: list[int], steps: int,
                   stress_positions: int) -> None:
    """Write each game's figures (a ``VerifyReport.figures()`` dict, or a benchmark row) into
    the VERIFIED card of the harness file at ``path``; the rest of the file is kept."""
    from autoharness.harness.card import read_card, write_card

    source = path.read_text()
    card = read_card(source)
    for game_figures in figures:
        entry = card_figures(game_figures, seeds, steps, stress_positions)
        kept = card.verified.get(game_figures["game"], {})
        if entry["engine"] != "stock":  # another profile's figures sit beside the stock ones
            entry, nested = dict(kept), entry
            entry[f"engine_{nested['engine']}"] = nested
        for key in ("world_model", "policy",
                    *(f"engine_{p}" for p in PROFILES if p != "stock")):
            if key in kept:  # verify --world-model's figures (worldmodel/command.py), and the
                entry.setdefault(key, kept[key])  # figures measured on another engine profile
        card.verified[game_figures["game"]] = entry
    try:
        path.write_text(write_card(source, card))
    except OSError as error:
        fail(f"cannot update the card of {path}: {error.strerror}")
