"""Hard budgets for a learn run: a call is made only if its worst case fits.

The worst case of the next call is its prompt (estimated in tokens, see below) plus the output
cap (``max_output_tokens``, thinking included), priced at the model's price. A call is refused
when that worst case, added to what was spent, would cross ``--max-tokens`` or ``--max-cost``; so
a run never overshoots a budget, even by one call.

What a call is charged (``charge``): its reported usage; and for each attempt that failed after
the request may have reached the model (a timeout, a 5xx, an unreadable body: reported by the
adapter as ``LLMReply.unknown_usage_attempts``) the worst case, since its usage is unknown. The
charge is written with the exchange (``"charged"``), so a resumed run counts the same.

Prompt tokens are estimated before the call from its characters: at the largest tokens-per-
character ratio this run has seen, plus 20 %, and never below one token per 2.5 characters
(code and board diagrams tokenise densely; most text runs at 3.5-4 characters a token).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from autoharness.learn.config import LearnConfig
from autoharness.llm import ExchangeRecord, LLMReply, Price, Usage, price_for

MIN_TOKENS_PER_CHAR = 0.4
MARGIN = 1.2
_HINT = " (a lower --max-output-tokens makes each call's worst case smaller)"


@dataclass(frozen=True)
class Charge:
    tokens: int
    cost_usd: float | None  # None: the model's price is unknown

    def to_dict(self) -> dict:
        return {"tokens": self.tokens, "cost_usd": self.cost_usd}


def prompt_chars(messages: Sequence[dict]) -> int:
    return sum(len(m["content"]) for m in messages)


def model_price(config: LearnConfig) -> Price | None:
    """``--price IN,OUT`` when given, else the price table's entry for the model."""
    if config.price is not None:
        return Price(*config.price)
    return price_for(config.model)


def unpriced_problem(config: LearnConfig) -> str | None:
    """Why ``--max-cost`` cannot be enforced for this model, or None."""
    if config.max_cost is None or model_price(config) is not None:
        return None
    return (f"--max-cost needs the price of {config.model}, which the price table does not "
            "know: pass --price IN,OUT (dollars per million input and output tokens)")


class Budget:
    def __init__(self, config: LearnConfig, exchanges: Sequence[ExchangeRecord]) -> None:
        self.config = config
        self.price = model_price(config)
        self.ratio = MIN_TOKENS_PER_CHAR
        self.tokens = 0
        self.cost = 0.0
        self.cost_known = True
        for record in exchanges:
            self.learn_ratio(record)
            self.add(self.recorded_charge(record))

    # -- what was spent -------------------------------------------------------------------
    def cost_of(self, usage: Usage) -> float | None:
        if self.price is None:
            return None
        return (usage.input_tokens * self.price.input
                + usage.billed_output_tokens * self.price.output) / 1_000_000

    def learn_ratio(self, record: ExchangeRecord) -> None:
        chars = prompt_chars([m.to_dict() for m in record.prompt])
        if chars and record.usage.input_tokens:
            self.ratio = max(self.ratio, record.usage.input_tokens / chars * MARGIN)

    def recorded_charge(self, record: ExchangeRecord) -> Charge:
        charged = record.extra.get("charged")
        if isinstance(charged, dict):
            return Charge(int(charged.get("tokens") or 0), charged.get("cost_usd"))
        cost = record.cost_usd if record.cost_usd is not None else self.cost_of(record.usage)
        return Charge(record.usage.total_tokens, cost)

    def charge(self, messages: Sequence[dict], reply: LLMReply) -> Charge:
        """What this call counts against the budgets (see the module doc)."""
        worst_tokens, worst_cost = self.worst_case(messages)
        unknown = reply.unknown_usage_attempts
        tokens = reply.usage.total_tokens + unknown * worst_tokens
        cost = reply.cost_usd if reply.cost_usd is not None else self.cost_of(reply.usage)
        if cost is not None and unknown:
            cost = None if worst_cost is None else cost + unknown * worst_cost
        return Charge(tokens, cost)

    def add(self, charge: Charge) -> None:
        self.tokens += charge.tokens
        if charge.cost_usd is None:
            self.cost_known = False
        else:
            self.cost += charge.cost_usd

    @property
    def spent_cost(self) -> float | None:
        return self.cost if self.cost_known else None

    # -- the next call --------------------------------------------------------------------
    def worst_case(self, messages: Sequence[dict]) -> tuple[int, float | None]:
        """Tokens and dollars the call could take at most: prompt estimate plus output cap."""
        prompt = math.ceil(prompt_chars(messages) * self.ratio)
        output = self.config.max_output_tokens
        cost = self.cost_of(Usage(input_tokens=prompt, output_tokens=output))
        return prompt + output, cost

    def refusal(self, messages: Sequence[dict]) -> str | None:
        """Why the next call may not be made (a budget it could cross), or None."""
        config = self.config
        tokens, cost = self.worst_case(messages)
        if config.max_tokens is not None and self.tokens + tokens > config.max_tokens:
            return (f"token budget: the next call could take {tokens:,} tokens (prompt "
                    f"~{tokens - config.max_output_tokens:,} + output cap "
                    f"{config.max_output_tokens:,}); {self.tokens:,} of --max-tokens "
                    f"{config.max_tokens:,} spent" + _HINT)
        if config.max_cost is not None:
            if cost is None or not self.cost_known:
                return f"cost budget: the cost of {config.model} is unknown (give --price)"
            if self.cost + cost > config.max_cost:
                return (f"cost budget: the next call could cost ${cost:.4f} (prompt "
                        f"~{tokens - config.max_output_tokens:,} + output cap "
                        f"{config.max_output_tokens:,} tokens); ${self.cost:.4f} of --max-cost "
                        f"${config.max_cost:g} spent" + _HINT)
        return None
