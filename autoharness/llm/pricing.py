"""Dollar prices per million tokens, and the cost of one reply.

CAVEAT: the table below is copied by hand from the providers' public pricing pages
(ai.google.dev/gemini-api/docs/pricing, docs.anthropic.com/en/docs/about-claude/pricing,
openai.com/api/pricing) as published in late 2025 (the Gemini and Anthropic rows were seen
unchanged in secondary sources in 2026; newer models are missing), standard (non-batch) tier,
text input, no prompt caching, the lowest context tier (Gemini 2.5 Pro and Claude Sonnet 4.5
charge more above 200k input tokens). Prices change: check them before trusting a cost figure,
and override them with a JSON or TOML file named by ``AUTOHARNESS_PRICES`` or passed as ``prices=``:

    {"openai/my-local-model": {"input": 0.0, "output": 0.0},
     "anthropic/claude-haiku-4-5": {"input": 1.0, "output": 5.0}}

(TOML: ``["openai/my-local-model"]`` tables with ``input`` and ``output`` keys.) Override entries
are merged over the built-in table. Keys are ``provider/model``; a key without a provider
(``"my-model"``) matches that model under any provider.

A model that is not in the table costs ``None``, never 0. Dated snapshot names
(``claude-haiku-4-5-20251001``, ``gpt-4o-mini-2024-07-18``) and ``-latest`` fall back to their
base name. Thinking/reasoning tokens are billed at the output price.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autoharness.llm.base import Usage

PRICES_ENV = "AUTOHARNESS_PRICES"


@dataclass(frozen=True)
class Price:
    input: float  # dollars per million input tokens
    output: float  # dollars per million output (and thinking) tokens


# (input, output) dollars per million tokens. See the caveat above.
_BUILTIN: dict[str, tuple[float, float]] = {
    # Google Gemini (paid tier; 2.5 Pro prices are for prompts <= 200k tokens)
    "gemini/gemini-2.5-pro": (1.25, 10.00),
    "gemini/gemini-2.5-flash": (0.30, 2.50),
    "gemini/gemini-2.5-flash-lite": (0.10, 0.40),
    "gemini/gemini-2.0-flash": (0.10, 0.40),
    "gemini/gemini-2.0-flash-lite": (0.075, 0.30),
    # Anthropic (Sonnet 4.5 prices are for prompts <= 200k tokens)
    "anthropic/claude-opus-4-5": (5.00, 25.00),
    "anthropic/claude-opus-4-1": (15.00, 75.00),
    "anthropic/claude-opus-4-0": (15.00, 75.00),
    "anthropic/claude-opus-4": (15.00, 75.00),
    "anthropic/claude-sonnet-4-5": (3.00, 15.00),
    "anthropic/claude-sonnet-4-0": (3.00, 15.00),
    "anthropic/claude-sonnet-4": (3.00, 15.00),
    "anthropic/claude-3-7-sonnet": (3.00, 15.00),
    "anthropic/claude-haiku-4-5": (1.00, 5.00),
    "anthropic/claude-3-5-haiku": (0.80, 4.00),
    # OpenAI
    "openai/gpt-4o": (2.50, 10.00),
    "openai/gpt-4o-mini": (0.15, 0.60),
    "openai/gpt-4.1": (2.00, 8.00),
    "openai/gpt-4.1-mini": (0.40, 1.60),
    "openai/gpt-4.1-nano": (0.10, 0.40),
    "openai/o3": (2.00, 8.00),
    "openai/o4-mini": (1.10, 4.40),
    "openai/gpt-5": (1.25, 10.00),
    "openai/gpt-5-mini": (0.25, 2.00),
    "openai/gpt-5-nano": (0.05, 0.40),
}

DEFAULT_PRICES: dict[str, Price] = {k: Price(*v) for k, v in _BUILTIN.items()}

_SNAPSHOT = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$")

PriceSource = Mapping[str, Price | Mapping[str, float] | tuple[float, float]] | str | os.PathLike


def _to_price(key: str, value: Any) -> Price:
    try:
        if isinstance(value, Price):
            return value
        if isinstance(value, Mapping):
            return Price(float(value["input"]), float(value["output"]))
        inp, out = value
        return Price(float(inp), float(out))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(
            f"price for {key!r} must have numeric 'input' and 'output' (dollars per million "
            f"tokens), got {value!r}"
        ) from exc


def load_prices(path: str | os.PathLike) -> dict[str, Price]:
    """Read a JSON (``.json``) or TOML (any other suffix) price file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read price file {p}: {exc}") from exc
    try:
        data = json.loads(raw) if p.suffix.lower() == ".json" else tomllib.loads(raw.decode())
    except (json.JSONDecodeError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot parse price file {p}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"price file {p} must hold a table of models")
    return {str(k): _to_price(str(k), v) for k, v in data.items()}


def price_table(prices: PriceSource | None = None) -> dict[str, Price]:
    """The built-in table, then ``$AUTOHARNESS_PRICES``, then ``prices`` merged over it."""
    table = dict(DEFAULT_PRICES)
    env_path = os.environ.get(PRICES_ENV)
    if env_path:
        table.update(load_prices(env_path))
    if prices is not None:
        if isinstance(prices, (str, os.PathLike)):
            table.update(load_prices(prices))
        else:
            table.update({k: _to_price(k, v) for k, v in prices.items()})
    return table


def _candidates(spec: str) -> list[str]:
    provider, _, model = spec.partition("/")
    if not model:
        provider, model = "", provider
    names = [model]
    base = _SNAPSHOT.sub("", model)
    if base != model:
        names.append(base)
    out = []
    for name in names:
        if provider:
            out.append(f"{provider}/{name}")
        out.append(name)
    return out


def price_for(spec: str, prices: PriceSource | None = None) -> Price | None:
    """The price of ``provider/model``, or None if unknown."""
    table = price_table(prices)
    for key in _candidates(spec):
        if key in table:
            return table[key]
    return None


def cost_usd(
    spec: str, usage: Usage, prices: PriceSource | Mapping[str, Price] | None = None
) -> float | None:
    """Dollars for ``usage`` on ``provider/model``; None when the price is unknown."""
    price = price_for(spec, prices)
    if price is None:
        return None
    return (
        usage.input_tokens * price.input + usage.billed_output_tokens * price.output
    ) / 1_000_000
