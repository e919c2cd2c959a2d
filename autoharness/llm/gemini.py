"""Gemini through ``google-genai``: ``client.models.generate_content``.

Key: ``api_key=``, else ``GEMINI_API_KEY``, else ``GOOGLE_API_KEY``. Base URL: ``base_url=``, else
``GEMINI_BASE_URL``, else ``GOOGLE_GEMINI_BASE_URL`` (the SDK's own variable), else Google's.
Always the Gemini Developer API (``vertexai=False``), whatever ``GOOGLE_GENAI_USE_VERTEXAI`` says.

The SDK's retries are off (``HttpRetryOptions(attempts=1)``, which is also its default): retries
are ours, the same for every provider (``retry.py``).

Gemini 2.5 models think by default and bill thinking as output; their thinking tokens count
against ``max_output_tokens``, so a small ``max_tokens`` can end in ``MAX_TOKENS`` with no text
(a ``truncated`` failure). ``thinking_budget=`` (0 turns thinking off on Flash and Flash-Lite)
limits it.
"""

from __future__ import annotations

from typing import Any

from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from autoharness.llm.adapter import (
    Parsed,
    SDKAdapterLLM,
    env_first,
    failure_for_status,
    header_map,
    short,
)
from autoharness.llm.base import LLMFailure, Message, MissingAPIKey, Usage, split_system
from autoharness.llm.retry import parse_google_retry_delay, parse_retry_after

KEY_ENVS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
BASE_URL_ENVS = ("GEMINI_BASE_URL", "GOOGLE_GEMINI_BASE_URL")

_REFUSAL_REASONS = {
    "SAFETY",
    "RECITATION",
    "LANGUAGE",
    "BLOCKLIST",
    "PROHIBITED_CONTENT",
    "SPII",
    "IMAGE_SAFETY",
    "IMAGE_PROHIBITED_CONTENT",
    "IMAGE_RECITATION",
}


def _error_reason(details: Any) -> str | None:
    """The ``ErrorInfo.reason`` of a Google error body (``API_KEY_INVALID``, ...), if any."""
    if isinstance(details, dict):
        details = details.get("error", details)
        details = details.get("details") if isinstance(details, dict) else None
    for item in details if isinstance(details, list) else []:
        if isinstance(item, dict) and item.get("reason"):
            return str(item["reason"])
    return None


def _enum_str(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


class GeminiLLM(SDKAdapterLLM):
    provider = "gemini"

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
        key = api_key or env_first(*KEY_ENVS)
        if not key:
            raise MissingAPIKey(KEY_ENVS[0], self.name, KEY_ENVS[1:])
        self.base_url = base_url or env_first(*BASE_URL_ENVS)
        self.thinking_budget = thinking_budget
        http_options = types.HttpOptions(
            base_url=self.base_url,
            timeout=max(1, round(self.timeout * 1000)),  # milliseconds
            retry_options=types.HttpRetryOptions(attempts=1),
        )
        self._client = genai.Client(api_key=key, vertexai=False, http_options=http_options)

    def _send(self, msgs: list[Message], max_tokens: int, temperature: float | None) -> Any:
        system, turns = split_system(msgs)
        contents = [
            types.Content(
                role="model" if m.role == "assistant" else "user",
                parts=[types.Part(text=m.content)],
            )
            for m in turns
        ]
        config = types.GenerateContentConfig(
            system_instruction=system,
            max_output_tokens=max_tokens,
            temperature=temperature,
            thinking_config=(
                types.ThinkingConfig(thinking_budget=self.thinking_budget)
                if self.thinking_budget is not None
                else None
            ),
        )
        return self._client.models.generate_content(
            model=self.model, contents=contents, config=config
        )

    def _lookup(self) -> None:
        self._client.models.get(model=self.model)  # GET models/{model}: key and model, free

    def _parse(self, response: Any) -> Parsed:
        meta = response.usage_metadata
        usage = Usage(
            input_tokens=(meta.prompt_token_count or 0) if meta else 0,
            output_tokens=(meta.candidates_token_count or 0) if meta else 0,
            thinking_tokens=(meta.thoughts_token_count or 0) if meta else 0,
        )
        feedback = response.prompt_feedback
        block = _enum_str(feedback.block_reason) if feedback else None
        if not response.candidates:
            if block:
                msg = f"prompt blocked: {block} {short(feedback.block_reason_message or '')}"
                return Parsed("", usage, block, LLMFailure("refused", msg.strip()))
            if meta is None:
                return Parsed("", usage, None, LLMFailure("malformed", "no candidates, no usage"))
            return Parsed("", usage, None)  # -> empty
        cand = response.candidates[0]
        reason = _enum_str(cand.finish_reason)
        parts = (cand.content.parts or []) if cand.content else []
        text = "".join(p.text for p in parts if p.text and not p.thought)
        failure = None
        if reason == "MAX_TOKENS":
            failure = LLMFailure("truncated", f"stopped at max tokens after {len(text)} chars")
        elif reason in _REFUSAL_REASONS:
            failure = LLMFailure("refused", f"finish reason {reason}")
        elif reason == "MALFORMED_FUNCTION_CALL":
            failure = LLMFailure("malformed", "finish reason MALFORMED_FUNCTION_CALL")
        return Parsed(text, usage, reason, failure)

    def _classify(self, exc: Exception) -> LLMFailure | None:
        if isinstance(exc, genai_errors.APIError):
            response = getattr(exc, "response", None)
            retry_after = parse_retry_after(header_map(response))
            if retry_after is None:
                retry_after = parse_google_retry_delay(exc.details)
            message = short(f"{exc.status or ''} {exc.message or exc.details}".strip())
            code = _error_reason(exc.details) or exc.status
            return failure_for_status(int(exc.code or 0), message, retry_after, code)
        if isinstance(exc, genai_errors.UnknownApiResponseError):
            return LLMFailure("malformed", short(exc))
        return None
