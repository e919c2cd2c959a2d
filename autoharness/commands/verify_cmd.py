"""``autoharness verify``: load a harness, run ``harness.verify``, print and record the figures."""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autoharness.cli_support import fail, progress_bar
from autoharness.commands.loading import open_harness
from autoharness.harness.verify import DEFAULT_STRESS_POSITIONS, VerifyReport, verify

console = Console(stderr=False)


def run_verify(game_id: str, harness_path: str | None, seeds: list[int], steps: int,
               stress_positions: int, show: int, as_json: bool, update_card: bool,
               timeout: float) -> None:
    path, harness = open_harness(game_id, harness_path, timeout=timeout)
    with harness, progress_bar(len(seeds) * steps, f"verify {game_id}", quiet=as_json) as advance:
        report = verify(game_id, harness, seeds, steps, stress_positions=stress_positions,
                        progress=advance)
    if as_json:
        print(json.dumps(report.to_dict(contradictions=show), indent=1))
    else:
        print_report(report, path, show)
    if update_card:
        record_figures(path, [report.figures()], seeds, steps, stress_positions)


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
    verdict = "clean" if report.clean else "NOT clean"
    console.print(f"{report.game}: {verdict}")


CARD_FIGURES = ("legal_rate", "actions", "illegal_actions", "false_accepts", "false_rejects",
                "false_reject_rate", "stress_checks", "harness_failures", "engine_errors")


def card_figures(figures: dict, seeds: list[int], steps: int, stress_positions: int) -> dict:
    """A card's VERIFIED entry: the command that reproduces the figures, and the figures."""
    seeds_arg = str(len(seeds)) if seeds == list(range(len(seeds))) else ",".join(map(str, seeds))
    stress = ("" if stress_positions == DEFAULT_STRESS_POSITIONS
              else f" --stress-positions {stress_positions}")
    entry: dict = {
        "command": f"autoharness verify {figures['game']} --seeds {seeds_arg} --steps {steps}"
                   f"{stress}",
        "date": datetime.date.today().isoformat(),
    }
    for key in CARD_FIGURES:
        value = figures.get(key)
        if value is not None and not math.isnan(float(value)):  # a CSV row holds NaN for "none"
            entry[key] = round(float(value), 6) if "rate" in key else int(value)
    return entry


def record_figures(path: Path, figures: list[dict], seeds: list[int], steps: int,
                   stress_positions: int) -> None:
    """Write each game's figures (a ``VerifyReport.figures()`` dict, or a benchmark row) into
    the VERIFIED card of the harness file at ``path``; the rest of the file is kept."""
    from autoharness.harness.card import read_card, write_card

    source = path.read_text()
    card = read_card(source)
    for game_figures in figures:
        card.verified[game_figures["game"]] = card_figures(game_figures, seeds, steps,
                                                           stress_positions)
    try:
        path.write_text(write_card(source, card))
    except OSError as error:
        fail(f"cannot update the card of {path}: {error.strerror}")
