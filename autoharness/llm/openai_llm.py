"""OpenAI and OpenAI-compatible servers through ``openai``: ``client.chat.completions.create``.

Key: ``api_key=``, else ``OPENAI_API_KEY``. Base URL: ``base_url=``, else ``OPENAI_BASE_URL``,
else OpenAI's. Point ``OPENAI_BASE_URL`` at a local vLLM (``http://localhost:8000/v1``), Ollama
(``http://localhost:11434/v1``) or llama.cpp (``http://localhost:8080/v1``) server and use
``openai/<the model name that server serves>``.

Local servers usually need no key: when the base URL is anything but OpenAI's own
(``*.openai.com``) and no key is given, the placeholder ``PLACEHOLDER_KEY`` is sent instead of
failing with ``MissingAPIKey``.

The output cap goes out as ``max_completion_tokens`` to OpenAI itself (its reasoning models
refuse ``max_tokens``) and as ``max_tokens`` to other servers (which all understand it); force
either with ``max_tokens_param=``. The SDK's retries are off (``max_retries=0``): retries are
ours (``retry.py``).

``Usage.output_tokens`` is ``completion_tokens`` less ``reasoning_tokens``, which go to
``Usage.thinking_tokens``. The API takes no thinking budget (reasoning models think within the
output cap): ``thinking_budget`` other than None/0 is a ValueError.

Preflight: ``GET /models/{model}`` on OpenAI itself (free); elsewhere the model list
``GET /models``, which vLLM, Ollama and llama.cpp all serve (it checks the server and the key; a
model missing from it is not an error, since some servers answer to any name).
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlparse

import openai

from autoharness.llm.adapter import Parsed, SDKAdapterLLM, classify_stainless, env_first
from autoharness.llm.base import LLMFailure, Message, MissingAPIKey, Usage

KEY_ENV = "OPENAI_API_KEY"
BASE_URL_ENV = "OPENAI_BASE_URL"
PLACEHOLDER_KEY = "no-key-needed"

MaxTokensParam = Literal["max_tokens", "max_completion_tokens"]


def is_openai_host(base_url: str | None) -> bool:
    """True for OpenAI's own API (no base URL, or a ``*.openai.com`` host)."""
    if not base_url:
        return True
    host = urlparse(base_url).hostname or ""
    return host == "openai.com" or host.endswith(".openai.com")


class OpenAILLM(SDKAdapterLLM):
    provider = "openai"

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_tokens_param: MaxTokensParam | None = None,
        thinking_budget: int | None = None,
        **options: Any,
    ) -> None:
        super().__init__(model, **options)
        if thinking_budget:
            raise ValueError("openai models take no thinking budget (reasoning models think "
                             "within the output cap); leave the thinking budget out")
        self.base_url = base_url or env_first(BASE_URL_ENV)
        key = api_key or env_first(KEY_ENV)
        if not key:
            if is_openai_host(self.base_url):
                raise MissingAPIKey(KEY_ENV, self.name)
            key = PLACEHOLDER_KEY
        if max_tokens_param is None:
            openai_host = is_openai_host(self.base_url)
            max_tokens_param = "max_completion_tokens" if openai_host else "max_tokens"
        if max_tokens_param not in ("max_tokens", "max_completion_tokens"):
            raise ValueError("max_tokens_param must be max_tokens or max_completion_tokens")
        self.max_tokens_param: MaxTokensParam = max_tokens_param
        self._client = openai.OpenAI(
            api_key=key,
            base_url=self.base_url,
            max_retries=0,
            timeout=self.timeout,
        )

    def _send(self, msgs: list[Message], max_tokens: int, temperature: float | None) -> Any:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": [m.to_dict() for m in msgs],
            self.max_tokens_param: max_tokens,
            "timeout": self.timeout,
        }
        if temperature is not None:
            kwargs["temperature"] = temperature
        return self._client.chat.completions.create(**kwargs)

    def _lookup(self) -> None:
        if is_openai_host(self.base_url):
            self._client.models.retrieve(self.model, timeout=self.timeout)
        else:
            self._client.models.list(timeout=self.timeout)

    def _parse(self, response: Any) -> Parsed:
        if not response.choices:
            raise ValueError("response has no choices")
        u = response.usage
        completion = (u.completion_tokens or 0) if u else 0
        details = getattr(u, "completion_tokens_details", None) if u else None
        reasoning = (getattr(details, "reasoning_tokens", None) or 0) if details else 0
        usage = Usage(
            input_tokens=(u.prompt_tokens or 0) if u else 0,
            output_tokens=max(0, completion - reasoning),
            thinking_tokens=reasoning,
        )
        choice = response.choices[0]
        message = choice.message
        if message is None:
            raise ValueError("choice has no message")
        text = message.content or ""
        finish = choice.finish_reason
        failure = None
        refusal = getattr(message, "refusal", None)
        if refusal:
            failure = LLMFailure("refused", f"refusal: {refusal}")
        elif finish == "content_filter":
            failure = LLMFailure("refused", "finish reason content_filter")
        elif finish == "length":
            failure = LLMFailure("truncated", f"finish reason length after {len(text)} chars")
        return Parsed(text, usage, finish, failure)

    def _classify(self, exc: Exception) -> LLMFailure | None:
        return classify_stainless(exc, openai)
