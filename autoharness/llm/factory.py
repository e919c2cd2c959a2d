"""``make_llm("provider/model", **options)``: the one way the CLI and the loop get an LLM.

| spec                         | LLM          | options (besides the shared ones below) |
| ---------------------------- | ------------ | --------------------------------------- |
| ``gemini/<model>``           | GeminiLLM    | api_key, base_url, thinking_budget      |
| ``anthropic/<model>``        | AnthropicLLM | api_key, base_url                       |
| ``openai/<model>``           | OpenAILLM    | api_key, base_url, max_tokens_param     |
| ``scripted/<name>``          | ScriptedLLM  | replies, on_exhausted (tests only)      |
| ``replay/<run dir or file>`` | ReplayLLM    | match                                   |

Shared options of the three real providers: timeout, max_attempts, retry_base_delay,
retry_max_delay, max_retry_after, retry_policy, prices, sleep, seed. ``None`` values are
ignored, and the scripted and replay LLMs ignore the shared options and the real providers'
(api_key, base_url, ...), so a CLI can pass its flags through unconditionally.
"""

from __future__ import annotations

from typing import Any

from autoharness.llm.base import LLM

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


def make_llm(spec: str, **options: Any) -> LLM:
    """An LLM for ``spec``. Raises ``MissingAPIKey`` when the provider's key is not set."""
    provider, model = parse_spec(spec)
    opts = {k: v for k, v in options.items() if v is not None}
    if provider == "gemini":
        from autoharness.llm.gemini import GeminiLLM

        return GeminiLLM(model, **opts)
    if provider == "anthropic":
        from autoharness.llm.anthropic_llm import AnthropicLLM

        return AnthropicLLM(model, **opts)
    if provider == "openai":
        from autoharness.llm.openai_llm import OpenAILLM

        return OpenAILLM(model, **opts)
    opts = {k: v for k, v in opts.items() if k not in _PROVIDER_ONLY}
    if provider == "scripted":
        from autoharness.llm.scripted import ScriptedLLM

        return ScriptedLLM(name=f"scripted/{model}", **opts)
    from autoharness.llm.replay import ReplayLLM

    return ReplayLLM(model, **opts)
