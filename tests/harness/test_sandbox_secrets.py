"""Secret hygiene: the registry, redaction in its forms, scrubbing the environment, and redaction
of everything that comes out of a harness."""

from __future__ import annotations

import base64
import os

import pytest

from autoharness import secrets
from autoharness.harness.runtime import InProcessHarness, SandboxedHarness

SECRET = "sk-test-5fb2c0d9e8a7461f9c3b"
LEAKY = f'''GAMES = ["Test-v0"]
KEY = {SECRET!r}
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(data):
    bits = "".join(format(byte, "08b") for byte in data)
    bits += "0" * (-len(bits) % 6)
    return "".join(ALPHABET[int(bits[i:i + 6], 2)] for i in range(0, len(bits), 6))


def propose_action(obs):
    if obs == "reversed":
        return KEY[::-1]
    if obs == "b64":
        return "data:" + b64(b"xy" + KEY.encode())
    return "move " + KEY


def eval_action(obs, action):
    raise ValueError("the key is " + KEY)


def parse_state(obs):
    return {{"k": [KEY, KEY.encode(), (KEY.encode().hex(),)]}}
'''


@pytest.fixture(autouse=True)
def registered():
    secrets.register(SECRET)


def test_names_that_hold_secrets():
    for name in ("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "ANTHROPIC_API_KEY",
                 "HF_TOKEN", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "MY_SERVICE_PASSWORD",
                 "anthropic_api_key", "OPENAI_API_KEY_2"):
        assert secrets.is_secret_name(name), name
    for name in ("PATH", "HOME", "SSH_AUTH_SOCK", "KEYBOARD", "TOKENIZERS_PARALLELISM"):
        assert not secrets.is_secret_name(name), name


def test_redact_finds_every_form():
    raw = SECRET.encode()
    for shift in range(3):
        encoded = base64.b64encode(b"z" * shift + raw + b"tail").decode()
        assert secrets.redact(encoded) != encoded, shift
    for form in (SECRET, SECRET[::-1], raw.hex(), raw.hex().upper()):
        text = f"before {form} after"
        assert secrets.redact(text) == "before [redacted] after"
    assert secrets.redact("nothing here") == "nothing here"
    assert secrets.redact_value({"a": (SECRET, [raw])}) == {"a": ("[redacted]", [b"[redacted]"])}


def test_scrub_environment_removes_and_remembers(monkeypatch):
    value = "gk-scrub-me-0123456789"
    # a private environment: scrubbing the real one would affect other tests
    monkeypatch.setattr(os, "environ", {"GEMINI_API_KEY": value,
                                        "UNRELATED_SETTING": "keep-me-please"})
    removed = secrets.scrub_environment()
    assert "GEMINI_API_KEY" in removed and "GEMINI_API_KEY" not in os.environ
    assert os.environ["UNRELATED_SETTING"] == "keep-me-please"
    assert secrets.redact(f"x{value}y") == "x[redacted]y"


@pytest.mark.parametrize("cls", [SandboxedHarness, InProcessHarness])
def test_everything_out_of_a_harness_is_redacted(cls):
    with cls(LEAKY, check=False) as harness:
        for obs in ("plain", "reversed", "b64"):
            action = harness.propose(obs)
            assert isinstance(action, str)
            assert SECRET not in action and SECRET[::-1] not in action
            assert "[redacted]" in action, (obs, action)
        failure = harness.evaluate("obs", "a")
        assert failure.kind == "exception" and SECRET not in failure.message
        assert "[redacted]" in failure.message
        value = harness.call("parse_state", "obs")
        assert value == {"k": ["[redacted]", b"[redacted]", ("[redacted]",)]}


def test_redaction_ignores_letter_case():
    for form in (SECRET.upper(), SECRET.title(), SECRET.swapcase()):
        assert secrets.redact(f"x {form} y") == "x [redacted] y", form


RECASED_AND_CONTROLS = f'''GAMES = ["Test-v0"]
KEY = {SECRET!r}


def propose_action(obs):
    return "move " + KEY.upper()


def eval_action(obs, action):
    raise ValueError("\\x1b[2J\\x1b[H\\x1b]0;title\\x07\\x9bclean " + KEY.swapcase())
'''


@pytest.mark.parametrize("cls", [SandboxedHarness, InProcessHarness])
def test_recased_secrets_and_terminal_controls_do_not_come_out(cls):
    # a harness echoing the key upper-cased, and a failure message that would clear the
    # terminal and retitle it when printed: the key is redacted, the controls shown escaped
    with cls(RECASED_AND_CONTROLS, check=False) as harness:
        action = harness.propose("obs")
        assert action == "move [redacted]", action
        failure = harness.evaluate("obs", "a")
        assert failure.kind == "exception" and "[redacted]" in failure.message
        assert SECRET.lower() not in failure.message.lower()
        assert not any(ord(char) < 32 and char not in "\n\t" or 127 <= ord(char) < 160
                       for char in failure.message), repr(failure.message)
        assert "\\x1b[2J" in failure.message and "\\x9bclean" in failure.message
