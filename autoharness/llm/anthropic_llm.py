"""Claude through ``anthropic``: ``client.messages.create``.

Key: ``api_key=``, else ``ANTHROPIC_API_KEY``. Base URL: ``base_url=``, else
``ANTHROPIC_BASE_URL``, else Anthropic's. The SDK's retries are off (``max_retries=0``): retries
are ours (``retry.py``). The request timeout is passed on every call, which also keeps the SDK
from refusing large ``max_tokens`` without streaming.

``temperature`` is accepted and IGNORED: API version 2026-10-21, which the ``anthropic`` 2.x SDK
sends, answers 400 to any ``temperature``/``top_p``/``top_k`` (even 1.0), and the SDK no longer
has the parameter.

Extended thinking: ``thinking_budget=N`` (N >= 1024, and below every call's ``max_tokens``) sends
``thinking={"type": "enabled", "budget_tokens": N}``; None or 0 leaves it off. Anthropic counts
thinking inside ``output_tokens``; ``Usage.thinking_tokens`` stays 0.

Preflight: ``GET /v1/models/{model}`` (free; checks the key and the model name).
"""

from __future__ import annotations

from typing import Any

import anthropic

from autoharness.llm.adapter import Parsed, SDKAdapterLLM, classify_stainless, env_first
from autoharness.llm.base import LLMFailure, Message, MissingAPIKey, Usage, split_system

KEY_ENV = "ANTHROPIC_API_KEY"
BASE_URL_ENV = "ANTHROPIC_BASE_URL"

_TRUNCATED = {"max_tokens", "model_context_window_exceeded"}
MIN_THINKING_BUDGET = 1024  # the API's minimum budget_tokens


class AnthropicLLM(SDKAdapterLLM):
    provider = "anthropic"

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        thinking_budget: int | None = None,
        **options: Any,
    ) -> None:
        super().__init__(model, **options)
        if thinking_budget and thinking_budget < MIN_THINKING_BUDGET:
            raise ValueError(f"anthropic extended thinking needs a budget of at least "
                             f"{MIN_THINKING_BUDGET} tokens, not {thinking_budget} "
                             "(0 turns it off)")
        self.thinking_budget = thinking_budget or None
        key = api_key or env_first(KEY_ENV)
        if not key:
            raise MissingAPIKey(KEY_ENV, self.name)
        self.base_url = base_url or env_first(BASE_URL_ENV)
        self._client = anthropic.Anthropic(
            api_key=key,
            base_url=self.base_url,
            max_retries=0,
            timeout=self.timeout,
        )

    def _send(self, msgs: list[Message], max_tokens: int, temperature: float | None) -> Any:
        system, turns = split_system(msgs)
        kwargs: dict[str, Any] = {
            "model": self.model,
            "max_tokens": max_tokens,
            "messages": [m.to_dict() for m in turns],
            "timeout": self.timeout,
        }
        if system is not None:
            kwargs["system"] = system
        if self.thinking_budget:
            if max_tokens <= self.thinking_budget:
                raise ValueError(f"max_tokens ({max_tokens}) must be above the thinking budget "
                                 f"({self.thinking_budget})")
            kwargs["thinking"] = {"type": "enabled", "budget_tokens": self.thinking_budget}
        del temperature  # rejected by the API version the SDK speaks (see the module doc)
        return self._client.messages.create(**kwargs)

    def _lookup(self) -> None:
        self._client.models.retrieve(self.model, timeout=self.timeout)

    def _parse(self, response: Any) -> Parsed:
        if response.content is None or response.usage is None:
            raise ValueError("response has no content or no usage")
        usage = Usage(
            input_tokens=response.usage.input_tokens or 0,
            output_tokens=response.usage.output_tokens or 0,
        )
        text = "".join(
            block.text for block in response.content if getattr(block, "type", None) == "text"
        )
        stop = response.stop_reason
        failure = None
        if stop in _TRUNCATED:
            failure = LLMFailure("truncated", f"stop reason {stop} after {len(text)} chars")
        elif stop == "refusal":
            failure = LLMFailure("refused", "stop reason refusal")
        return Parsed(text, usage, stop, failure)

    def _classify(self, exc: Exception) -> LLMFailure | None:
        return classify_stainless(exc, anthropic)
