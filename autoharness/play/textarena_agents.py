"""TextArena's own agent classes (``textarena:Class[:model]``): each one either plays, or is
refused before the match with a one-line reason.

A class is built with the keys ``make_llm`` scrubbed from the environment put back for the moment
(it reads them itself), then dry-run: its ``_make_request`` is called once with its SDK client's
transport replaced by one that stops at the first byte, so a class whose code no longer fits the
installed SDK (textarena's AnthropicAgent passes ``temperature``, which anthropic 2.x refuses) is
refused up front and nothing leaves the machine. While playing, ``_make_request`` is called under
our retry policy, and its exceptions are classified like our own adapters' failures.
"""

from __future__ import annotations

import time
from typing import Any

from autoharness.play.base import AgentUnavailable, CallableAgent
from autoharness.play.base import first_line as _first_line
from autoharness.play.specs import AgentEnvironmentError, AgentSpecError


def classify_agent_error(error: BaseException) -> Any:
    """An exception raised by an agent that is not ours, as an ``LLMFailure``: the SDKs' own
    errors as the adapters classify them; a TypeError/AttributeError/NameError/ImportError (the
    agent's code does not fit the installed SDK) is fatal; anything else transient."""
    from autoharness.llm import LLMFailure
    from autoharness.llm.adapter import classify_sdk_error

    failure = classify_sdk_error(error)
    if failure is not None:
        return failure
    text = f"{type(error).__name__}: {_first_line(error)}"
    if isinstance(error, (TypeError, AttributeError, NameError, ImportError)):
        return LLMFailure("incompatible", text)
    return LLMFailure("agent_error", text)


class TextArenaAgent(CallableAgent):
    """One of ``textarena.agents``'s classes, by name. Where the class has ``_make_request``
    (one API call), that is what is called, under our retry policy: its own ``__call__`` would
    retry every error three times with five-second sleeps and print each to stdout."""

    def ask(self, observation: str) -> Any:
        request = getattr(self.fn, "_make_request", None)
        if not callable(request):
            return self.fn(observation)
        from autoharness.llm import RetryPolicy

        policy = RetryPolicy.from_env()
        for attempt in range(1, policy.max_attempts + 1):
            try:
                return request(observation)
            except Exception as error:  # noqa: BLE001 - sorted: retried, or raised to propose
                failure = classify_agent_error(error)
                if not failure.retryable or attempt == policy.max_attempts:
                    raise
                time.sleep(policy.delay(attempt, failure.retry_after))
        raise AssertionError("unreachable")

    def preflight(self) -> None:
        """A model list on the agent's own SDK client, where it has one (free)."""
        models = getattr(getattr(self.fn, "client", None), "models", None)
        listing = getattr(models, "list", None)
        if not callable(listing):
            return
        try:
            listing()
        except Exception as error:  # noqa: BLE001 - classified below
            failure = classify_agent_error(error)
            if failure.category != "reply":
                raise AgentUnavailable(f"{self.name}: {failure.describe()}",
                                       failure.fatal) from None


class _DryRunReached(Exception):
    """The request got as far as the transport: the agent's call fits its SDK."""


def dry_run_problem(instance: Any) -> str | None:
    """Call the agent's ``_make_request`` once with its SDK client's transport replaced by one
    that stops at the first byte, so nothing goes out: a class whose code does not fit the
    installed SDK (textarena's AnthropicAgent passes ``temperature``, which anthropic 2.x
    refuses) fails here, before it plays. None when the request got to the transport, or when
    the class has no such client to test."""
    client = getattr(instance, "client", None)
    request = getattr(instance, "_make_request", None)
    if not callable(request) or not callable(getattr(client, "with_options", None)):
        return None
    import httpx2

    def stop(_request: Any) -> Any:
        raise _DryRunReached

    try:
        instance.client = client.with_options(
            http_client=httpx2.Client(transport=httpx2.MockTransport(stop)), max_retries=0)
    except Exception:  # noqa: BLE001 - a client we cannot re-plumb is not tested
        return None
    try:
        request("Reply with the word OK.")
    except (TypeError, AttributeError, NameError, ImportError) as error:
        return f"its code does not fit the installed SDK: {type(error).__name__}: " \
               f"{_first_line(error)}"
    except Exception:  # noqa: BLE001 - _DryRunReached, as the SDK wrapped it: the call fits
        return None
    finally:
        instance.client = client
    return None


def make_textarena_agent(class_name: str, model: str | None) -> TextArenaAgent:
    import textarena.agents as ta_agents

    from autoharness.llm import keys

    known = sorted(getattr(ta_agents, "__all__", []))
    cls = getattr(ta_agents, class_name, None) if class_name in known else None
    if cls is None:
        raise AgentSpecError(f"textarena has no agent class {class_name!r}; known: "
                             f"{', '.join(known)}")
    label = f"textarena:{class_name}" + (f":{model}" if model else "")
    try:
        with keys.restored():  # the class reads its key from the environment itself
            instance = cls(model) if model else cls()
    except TypeError as error:
        if model is None:
            raise AgentSpecError(f"{label} needs a model: textarena:{class_name}:<model>") \
                from None
        raise AgentSpecError(f"{label}: {_first_line(error)}") from None
    except Exception as error:  # noqa: BLE001 - missing keys and packages: ValueError, ImportError
        raise AgentEnvironmentError(f"{label}: {_first_line(error)}") from None
    problem = dry_run_problem(instance)
    if problem is not None:
        raise AgentSpecError(f"{label} cannot play: {problem}")
    return TextArenaAgent(instance, name=label)
