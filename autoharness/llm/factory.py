"""``make_llm("provider/model", **options)``: the one way the CLI and the loop get an LLM.

| spec                         | LLM          | options (besides the shared ones below) |
| ---------------------------- | ------------ | --------------------------------------- |
| ``gemini/<model>``           | GeminiLLM    | api_key, base_url, thinking_budget      |
| ``anthropic/<model>``        | AnthropicLLM | api_key, base_url                       |
| ``openai/<model>``           | OpenAILLM    | api_key, base_url, max_tokens_param     |
| ``scripted/<name>``          | ScriptedLLM  | replies, on_exhausted (tests only)      |
| ``replay/<run dir or file>`` | ReplayLLM    | match                                   |

Shared options of the three real providers: timeout, max_attempts, retry_base_delay,
retry_max_delay, max_retry_after, retry_policy, prices, sleep, seed, thinking_budget (Gemini's
thinking budget, Claude's extended thinking; OpenAI refuses one). ``None`` values are ignored,
and the scripted and replay LLMs ignore the shared options and the real providers' (api_key,
base_url, ...), so a CLI can pass its flags through unconditionally.

Once a real provider's client holds its key, ``make_llm`` scrubs every secret variable from the
environment (``keys.scrub``; the values stay registered for redaction).

Per-provider defaults (``default_output_tokens``, ``default_thinking_budget``): an output cap
of 12,288 tokens on Gemini (its thinking shares the cap), 8,192 elsewhere; Gemini's thinking
models (2.5 Pro/Flash, 3) think with a third of the cap, everything else does not think unless
asked.
"""

from __future__ import annotations

import re
from typing import Any

from autoharness.llm.base import LLM, LLMFailure

PROVIDERS = ("gemini", "anthropic", "openai")
TEST_PROVIDERS = ("scripted", "replay")
_PROVIDER_ONLY = frozenset(
    {
        "timeout",
        "max_attempts",
        "retry_base_delay",
        "retry_max_delay",
        "max_retry_after",
        "retry_policy",
        "prices",
        "sleep",
        "seed",
        "api_key",
        "base_url",
        "thinking_budget",
        "max_tokens_param",
    }
)


def parse_spec(spec: str) -> tuple[str, str]:
    """``"provider/model"`` -> ``("provider", "model")``; ValueError for a bad spec."""
    known = ", ".join(PROVIDERS + TEST_PROVIDERS)
    if not isinstance(spec, str) or "/" not in spec:
        raise ValueError(
            f"model must be written provider/model (e.g. gemini/gemini-2.5-flash), got {spec!r}; "
            f"providers: {known}"
        )
    provider, model = spec.split("/", 1)
    provider = provider.strip().lower()
    model = model.strip()
    if provider not in PROVIDERS + TEST_PROVIDERS:
        raise ValueError(f"unknown LLM provider {provider!r} in {spec!r}; providers: {known}")
    if not model:
        raise ValueError(f"no model name after {provider}/ in {spec!r}")
    return provider, model


DEFAULT_OUTPUT_TOKENS = {"gemini": 12288, "anthropic": 8192, "openai": 8192}
FALLBACK_OUTPUT_TOKENS = 8192
_GEMINI_THINKS = re.compile(r"gemini-(2\.5-(pro|flash)(?!-lite)|[3-9])")
GEMINI_MAX_THINKING = 24576  # Flash's ceiling (Pro's is 32,768)
ANTHROPIC_MIN_THINKING = 1024


def default_output_tokens(spec: str) -> int:
    """The output cap per call when none is given."""
    provider, _ = parse_spec(spec)
    return DEFAULT_OUTPUT_TOKENS.get(provider, FALLBACK_OUTPUT_TOKENS)


def default_thinking_budget(spec: str, max_output_tokens: int) -> int | None:
    """Gemini thinking models: a third of the output cap (thinking counts against it, so an
    unbounded budget can leave no room for the reply). Others: None (no thinking asked)."""
    provider, model = parse_spec(spec)
    if provider == "gemini" and _GEMINI_THINKS.search(model):
        return max(128, min(GEMINI_MAX_THINKING, max_output_tokens // 3))
    return None


def thinking_problem(spec: str, budget: int | None, max_output_tokens: int) -> str | None:
    """Why ``budget`` (thinking tokens per call) cannot go with this model and cap, or None."""
    if not budget:
        return None
    provider, _ = parse_spec(spec)
    if provider == "openai":
        return ("--thinking-budget: OpenAI's API takes no thinking budget (reasoning models "
                "think within --max-output-tokens); leave it out or pass 0")
    if provider == "anthropic" and budget < ANTHROPIC_MIN_THINKING:
        return (f"--thinking-budget: Claude's extended thinking needs at least "
                f"{ANTHROPIC_MIN_THINKING} tokens, not {budget} (0 turns it off)")
    if provider in ("anthropic", "gemini") and budget >= max_output_tokens:
        return (f"--thinking-budget ({budget}) must be below --max-output-tokens "
                f"({max_output_tokens}): thinking counts against the output cap")
    return None


def preflight(llm: Any) -> LLMFailure | None:
    """The LLM's preflight (a model lookup or a minimal request), or None for LLMs without one
    (scripted, replay). See ``SDKAdapterLLM.preflight``."""
    check = getattr(llm, "preflight", None)
    return check() if callable(check) else None


def make_llm(spec: str, **options: Any) -> LLM:
    """An LLM for ``spec``. Raises ``MissingAPIKey`` when the provider's key is not set."""
    provider, model = parse_spec(spec)
    opts = {k: v for k, v in options.items() if v is not None}
    if provider in PROVIDERS:
        llm = _provider_llm(provider, model, opts)
        from autoharness.llm import keys

        keys.scrub()  # the client holds its key now: nothing started later inherits it
        return llm
    opts = {k: v for k, v in opts.items() if k not in _PROVIDER_ONLY}
    if provider == "scripted":
        from autoharness.llm.scripted import ScriptedLLM

        return ScriptedLLM(name=f"scripted/{model}", **opts)
    from autoharness.llm.replay import ReplayLLM

    return ReplayLLM(model, **opts)


def _provider_llm(provider: str, model: str, opts: dict[str, Any]) -> LLM:
    if provider == "gemini":
        from autoharness.llm.gemini import GeminiLLM

        return GeminiLLM(model, **opts)
    if provider == "anthropic":
        from autoharness.llm.anthropic_llm import AnthropicLLM

        return AnthropicLLM(model, **opts)
    from autoharness.llm.openai_llm import OpenAILLM

    return OpenAILLM(model, **opts)
