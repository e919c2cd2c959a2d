"""``learn``'s flags as a run's config: a new run's, or a resumed run's with new budgets.

A resumed run keeps its game, model and evaluation settings: giving a different one is refused
with one line. The budgets (``--max-*``, ``--price``, ``--thinking-budget``) given with
``--resume`` replace the run's: they are totals for the whole run, so ``--max-llm-calls 20`` on a
run that spent 10 allows 10 more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from autoharness.cli_support import fail, game_or_exit
from autoharness.learn.config import LearnConfig

#: learn's flags that set a config field (the parameter name is the field name).
CONFIG_FLAGS = ("max_llm_calls", "max_cost", "max_tokens", "max_minutes", "envs", "steps",
                "probe_positions", "examples", "exploration", "temperature", "seed",
                "max_output_tokens", "thinking_budget", "price", "max_failed_calls", "engine",
                "objective")
#: what --resume may change: the budgets.
RESUMABLE = frozenset(LearnConfig.BUDGETS) | {"thinking_budget"}


@dataclass
class LearnOptions:
    game: str | None = None
    model: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # config field -> value
    given: set[str] = field(default_factory=set)  # fields set on the command line


def flag_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def parse_price(text: str | None) -> tuple[float, float] | None:
    """``"0.3,2.5"`` -> (0.3, 2.5): dollars per million input and output tokens."""
    if text is None:
        return None
    parts = text.replace(" ", "").split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 2 or not all(math.isfinite(v) and v >= 0 for v in values):
        fail(f"--price takes IN,OUT (dollars per million input and output tokens, each >= 0), "
             f"e.g. --price 0.3,2.5; not {text!r}")
    return values  # type: ignore[return-value]


def given_options(ctx: Any, values: dict[str, Any]) -> LearnOptions:
    """learn's values (``ctx``: the command's context), and which of them the user gave."""
    given = set()
    for name in ("game", "model", *CONFIG_FLAGS):
        source = ctx.get_parameter_source(name)
        if getattr(source, "name", None) in ("COMMANDLINE", "ENVIRONMENT"):
            given.add(name)
    config_values = {name: values[name] for name in CONFIG_FLAGS}
    config_values["price"] = parse_price(values["price"])
    return LearnOptions(values["game"], values["model"], config_values, given - {"game", "model"})


def new_config(options: LearnOptions) -> LearnConfig:
    from autoharness.llm import default_output_tokens, default_thinking_budget, parse_spec

    if options.game is None or options.model is None:
        fail("learn needs a GAME and --model (or --resume RUN_DIR)")
    game = game_or_exit(options.game)
    try:
        parse_spec(options.model)
    except ValueError as error:
        fail(str(error).splitlines()[0])
    values = dict(options.values)
    if values.get("max_output_tokens") is None:
        values["max_output_tokens"] = default_output_tokens(options.model)
    if values.get("thinking_budget") is None:
        values["thinking_budget"] = default_thinking_budget(options.model,
                                                            values["max_output_tokens"])
    return LearnConfig(game=game, model=options.model, **values)


def resumed_config(config: LearnConfig, options: LearnOptions, resume: Path) -> LearnConfig:
    """The resumed run's config with the budgets given now; one line for anything else that
    differs from the run."""
    if options.game is not None and game_or_exit(options.game) != config.game:
        fail(f"the run in {resume} learns {config.game}, not {game_or_exit(options.game)}: "
             f"leave GAME out to resume it, or start a new run")
    if options.model is not None and options.model.strip() != config.model:
        fail(f"the run in {resume} asks {config.model}, not {options.model}: leave --model out "
             f"to resume it, or start a new run")
    changes = {}
    for name in sorted(options.given):
        value = options.values[name]
        if value == getattr(config, name):
            continue
        if name not in RESUMABLE:
            fail(f"{flag_name(name)} cannot change when resuming (the run in {resume} uses "
                 f"{getattr(config, name)}); only budgets can (--max-*, --price, "
                 f"--thinking-budget)")
        changes[name] = value
    return replace(config, **changes) if changes else config


def check_config(config: LearnConfig) -> None:
    """One line (exit 2) for budgets and thinking settings this model cannot take."""
    from autoharness.learn.budget import unpriced_problem
    from autoharness.llm import thinking_problem

    problem = unpriced_problem(config) or thinking_problem(
        config.model, config.thinking_budget, config.max_output_tokens)
    if problem:
        fail(problem)
