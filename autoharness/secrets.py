"""Secret hygiene: the registry of secret values, redaction, and scrubbing the environment.

Harness code is untrusted, and whatever it returns may end up printed, logged or pasted into an
LLM prompt. The sandbox keeps secrets out of the worker (its own environment, no view of the
host), and this module is the last line: ``redact(text)`` replaces every registered secret value
— and its reversed, hex and base64 forms, in any letter case — with ``[redacted]``. The runtime
redacts every string that comes out of a harness (actions, values, failure messages, tracebacks).

Secret values come from the environment (variables named like provider keys: ``*_API_KEY``,
``*_TOKEN``, ``*_SECRET``, ``*_PASSWORD``, ``GOOGLE_API_KEY``, ``GEMINI_API_KEY``, ...), read when
this module is imported and again by ``collect_environment()`` / ``scrub_environment()``, and from
``register(value)``. ``scrub_environment()`` removes those variables from ``os.environ`` once the
LLM clients hold their keys, so nothing started later (or reading ``/proc/self/environ``)
inherits them; their values stay registered for redaction.
"""

from __future__ import annotations

import base64
import os
import re
import threading
from collections.abc import Iterable, Mapping

REDACTED = "[redacted]"
MIN_SECRET_CHARS = 8  # shorter values would redact ordinary words and numbers
#: Environment variable names holding secrets (matched case-insensitively).
SECRET_NAME = re.compile(
    r"(^|_)(API_?KEY|APIKEY|TOKEN|SECRET|SECRET_KEY|ACCESS_KEY|PASSWORD|PASSWD|PRIVATE_KEY|"
    r"CREDENTIALS?)(_\w*)?$|^(GOOGLE|GEMINI|ANTHROPIC|OPENAI|OPENROUTER|MISTRAL|COHERE|GROQ|"
    r"TOGETHER|DEEPSEEK|XAI|HF|HUGGINGFACE|AZURE_OPENAI)_(API_?KEY|KEY|TOKEN)\w*$",
    re.IGNORECASE)

_lock = threading.Lock()
_values: set[str] = set()
_variants: tuple[str, ...] = ()  # every form to look for, longest first
_byte_variants: tuple[bytes, ...] = ()
_lower_variants: tuple[str, ...] = ()


def is_secret_name(name: str) -> bool:
    """Whether an environment variable of this name holds a secret."""
    return bool(SECRET_NAME.search(name))


def _forms(value: str) -> set[str]:
    raw = value.encode("utf-8", "surrogatepass")
    forms = {value, value[::-1], raw.hex(), raw.hex().upper()}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        for shift in range(3):  # the secret inside a longer base64 text, at any alignment
            text = encode(b"\0" * shift + raw).decode("ascii").rstrip("=")
            # drop the characters mixed with the unknown neighbours at both ends
            start = (shift * 4 + 2) // 3
            end = len(text) - 1 if (shift + len(raw)) % 3 else len(text)
            if end - start >= MIN_SECRET_CHARS:
                forms.add(text[start:end])
    return {form for form in forms if len(form) >= MIN_SECRET_CHARS}


def register(value: str | None) -> None:
    """Treat ``value`` (and its reversed, hex and base64 forms) as a secret from now on.
    Values shorter than ``MIN_SECRET_CHARS`` are ignored."""
    global _variants, _byte_variants, _lower_variants
    if not isinstance(value, str):
        return
    value = value.strip()
    if len(value) < MIN_SECRET_CHARS or value in _values:
        return
    with _lock:
        _values.add(value)
        forms = set(_variants) | _forms(value)
        _variants = tuple(sorted(forms, key=len, reverse=True))
        _byte_variants = tuple(f.encode("utf-8", "surrogatepass") for f in _variants)
        _lower_variants = tuple(dict.fromkeys(f.lower() for f in _variants))


def collect_environment(environ: Mapping[str, str] | None = None) -> list[str]:
    """Register the values of the secret variables of ``environ`` (default ``os.environ``);
    returns their names."""
    environ = os.environ if environ is None else environ
    names = [name for name in environ if is_secret_name(name)]
    for name in names:
        register(environ[name])
    return names


def scrub_environment(extra_names: Iterable[str] = ()) -> list[str]:
    """Remove every secret variable (and ``extra_names``) from ``os.environ``, registering
    their values first; returns the names removed. Call it once the clients hold their keys."""
    names = collect_environment() + [n for n in extra_names if n in os.environ]
    for name in dict.fromkeys(names):
        register(os.environ.get(name))
        os.environ.pop(name, None)
    return sorted(set(names))


def redact(text: str) -> str:
    """``text`` with every registered secret (in any known form, in any letter case) replaced
    by ``[redacted]``."""
    variants = _variants
    if not variants or not isinstance(text, str):
        return text
    for form in variants:
        if form in text:
            text = text.replace(form, REDACTED)
    lowered = text.lower()
    for form in _lower_variants:  # SK-... or Sk-...: the key with its case changed
        if form in lowered:
            text = re.sub(re.escape(form), REDACTED, text, flags=re.IGNORECASE)
            lowered = text.lower()
    return text


def redact_bytes(data: bytes) -> bytes:
    variants = _byte_variants
    for form in variants:
        if form in data:
            data = data.replace(form, REDACTED.encode())
    return data


def redact_value(value: object) -> object:
    """A plain value (str/bytes/list/tuple/dict, nested) with secrets redacted in its strings
    and bytes; the same object when nothing needed it."""
    if not _variants:
        return value
    kind = type(value)
    if kind is str:
        return redact(value)
    if kind is bytes:
        return redact_bytes(value)
    if kind is list:
        return [redact_value(item) for item in value]
    if kind is tuple:
        return tuple(redact_value(item) for item in value)
    if kind is dict:
        return {redact_value(k): redact_value(v) for k, v in value.items()}
    return value


def known() -> int:
    """How many secret values are registered."""
    return len(_values)


collect_environment()
