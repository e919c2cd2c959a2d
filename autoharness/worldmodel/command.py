"""``autoharness verify GAME --world-model``: print, record and exit with the tiers' verdict.

Exit 0 when every tier is at 1.000, 1 when not; with ``--json`` stdout holds the report only.
``--update-card`` writes the figures under ``VERIFIED[game]["world_model"]`` in the file's card.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autoharness.cli_support import (
    EXIT_CLEAN,
    EXIT_NOT_CLEAN,
    engine_output_to_stderr,
    exit_with,
    fail,
    progress_bar,
)
from autoharness.worldmodel.report import TIERS, WorldModelReport

console = Console(stderr=False)


def run_world_model_verify(game_id: str, harness_path: str | None, seeds: list[int], steps: int,
                           show: int, as_json: bool, update_card: bool, timeout: float,
                           engine: str = "stock") -> None:
    from autoharness.cli_support import sandbox_when_needed
    from autoharness.commands.loading import checked_source
    from autoharness.commands.loading import harness_path as find_path
    from autoharness.worldmodel.verify import verify_world_model

    path = find_path(game_id, harness_path)
    source = checked_source(path, [game_id])  # a broken file is one line (exit 2), not a tier
    sandbox_when_needed()  # the input is fine: now the sandbox line
    with engine_output_to_stderr(as_json), \
            progress_bar(len(seeds) * steps, f"verify {game_id} --world-model",
                         quiet=as_json) as advance:
        report = verify_world_model(game_id, source, seeds, steps, engine=engine,
                                    timeout=max(timeout, 5.0), progress=advance)
    if as_json:
        print(json.dumps(report.to_dict(contradictions=show), indent=1, default=str))
    else:
        print_report(report, path, show)
    if update_card:
        record(path, report, seeds, steps)
    exit_with(EXIT_CLEAN if report.clean else EXIT_NOT_CLEAN)


def print_report(report: WorldModelReport, path: Path, show: int) -> None:
    table = Table(title=f"{report.game} world model — {path.name} ({report.engine} engine)")
    for column in ("tier", "score", "checks", "failures", "contradictions"):
        left = column in ("tier", "contradictions")
        table.add_column(column, justify="left" if left else "right")
    for name in TIERS:
        tier = report.tiers[name]
        kinds = ", ".join(f"{n} {k}" for k, n in tier.counts.most_common()) or "-"
        table.add_row(name, "gated" if tier.gated else f"{tier.score:.3f}", str(tier.checks),
                      str(tier.failures), kinds)
    console.print(table)
    console.print(f"{report.positions} positions, {report.transitions} transitions, "
                  f"{report.episodes_finished} finished games, {report.engine_stuck} stuck "
                  f"positions, {report.engine_errors} engine errors, {report.seconds:.1f} s; "
                  f"defines {', '.join(report.defines) or 'nothing'}", markup=False,
                  highlight=False)
    for item in report.contradictions[:show]:
        console.rule(f"[bold]{item.tier}: {item.kind}[/bold] seed {item.seed} step {item.step}")
        console.print(item.tail(600), markup=False, highlight=False)
        if item.action is not None:
            console.print(f"action: {item.action!r}", markup=False, highlight=False)
        console.print(f"engine: {item.engine}\nmodel:  {item.model}", markup=False,
                      highlight=False)
    console.print(f"{report.game}: {verdict_text(report)}", markup=False, highlight=False,
                  soft_wrap=True)


def verdict_text(report: WorldModelReport) -> str:
    if report.clean:
        return "world model clean (every tier 1.000)"
    parts = []
    for name in TIERS:
        tier = report.tiers[name]
        if tier.gated:
            parts.append(f"{name} gated")
        elif tier.score < 1.0:
            parts.append(f"{name} {tier.score:.3f} ({tier.failures} of {tier.checks} checks)")
    if not report.positions and not parts:
        parts.append("no position was checked")
    return "world model NOT clean: " + ", ".join(parts)


def card_entry(report: WorldModelReport, seeds: list[int], steps: int) -> dict:
    seeds_arg = str(len(seeds)) if seeds == list(range(len(seeds))) else ",".join(map(str, seeds))
    engine = "" if report.engine == "stock" else f" --engine {report.engine}"
    return {
        "command": f"autoharness verify {report.game} --world-model --seeds {seeds_arg} "
                   f"--steps {steps}{engine}",
        "date": datetime.date.today().isoformat(),
        **{name: round(report.tiers[name].score, 6) for name in TIERS},
        "positions": report.positions, "transitions": report.transitions,
        "checks": sum(report.tiers[name].checks for name in TIERS),
        "contradictions": sum(report.tiers[name].failures for name in TIERS),
    }


def record(path: Path, report: WorldModelReport, seeds: list[int], steps: int) -> None:
    from autoharness.harness.card import read_card, write_card

    source = path.read_text()
    card = read_card(source)
    card.verified.setdefault(report.game, {})["world_model"] = card_entry(report, seeds, steps)
    try:
        path.write_text(write_card(source, card))
    except OSError as error:
        fail(f"cannot update the card of {path}: {error.strerror}")
