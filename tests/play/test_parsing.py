"""Reading a move out of a reply, and agent specs."""

import pytest

from autoharness.play import AgentSpecError, build_agent, parse_agent_spec, parse_move


@pytest.mark.parametrize(("text", "move"), [
    ("<move>[e2e4]</move>", "[e2e4]"),
    ("Maybe <move>[e2e4]</move>... no, better: <move>[d2d4]</move>", "[d2d4]"),
    ("first <MOVE> [4] </MOVE> then <move>\n[col 3]\n</move> done", "[col 3]"),
    ("an empty tag does not count: <move>[0 1]</move> <move>  </move>", "[0 1]"),
    ("no tag: I could play [e2e4] or [g1f3]; I pick [d2d4].", "[d2d4]"),
    ("a tag wins over later brackets: <move>[4]</move> (not [5])", "[4]"),
    ("I'd go Up.", None),
    ("[] and [ ] are not actions", None),
    ("", None),
    (None, None),
])
def test_parse_move_takes_the_last_tag_else_the_last_bracketed_action(text, move):
    assert parse_move(text) == move


def test_specs():
    assert parse_agent_spec("harness").kind == "harness"
    noisy = parse_agent_spec("noisy:0.3")
    assert (noisy.kind, noisy.p) == ("noisy", 0.3)
    ta = parse_agent_spec("textarena:OpenRouterAgent:openai/gpt-4o:free")
    assert (ta.kind, ta.cls, ta.model) == ("textarena", "OpenRouterAgent", "openai/gpt-4o:free")
    assert parse_agent_spec("textarena:HumanAgent").model is None
    for spec in ("openai/gpt-4o-mini", "gemini/gemini-2.5-flash", "anthropic/claude-haiku-4-5"):
        parsed = parse_agent_spec(spec)
        assert (parsed.kind, parsed.model) == ("llm", spec)
    for bad in ("noisy:1.5", "noisy:x", "bogus", "nope/model", "textarena:", "openai/"):
        with pytest.raises(AgentSpecError):
            parse_agent_spec(bad)


def test_missing_keys_are_one_line_errors(monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    with pytest.raises(AgentSpecError, match="OPENROUTER_API_KEY") as error:
        build_agent("textarena:OpenRouterAgent:openai/gpt-4o-mini")
    assert "\n" not in str(error.value)
    with pytest.raises(AgentSpecError, match="OPENAI_API_KEY"):
        build_agent("openai/gpt-4o-mini")
    with pytest.raises(AgentSpecError, match="no agent class"):
        build_agent("textarena:NoSuchAgent")
    with pytest.raises(AgentSpecError, match="harness"):
        build_agent("noisy:0.5")  # an offline agent needs the game's harness
