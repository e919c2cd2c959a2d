"""An LLM agent through the real openai SDK against the local fake OpenAI-compatible server,
serving a "model" that proposes an illegal chess move first and a legal one once told."""

import pytest

from autoharness.llm import make_llm
from autoharness.play import (
    HarnessAgent,
    HarnessedAgent,
    LLMAgent,
    Unwrapped,
    play_games,
)
from autoharness.play.agents import OBSERVATION_END, OBSERVATION_START
from tests.fakes.llm_servers import FakeReply
from tests.play.conftest import in_process, sandboxed

ILLEGAL = ["[e2e5]", "[e7e4]", "[a1a8]", "[a8a1]", "[h1h8]", "[h8h1]", "[d1d8]", "[d8d1]"]


@pytest.fixture(scope="module")
def chess_rules():
    with in_process("Chess-v0") as rules:
        yield rules


def observation_in(request) -> str:
    first = next(m["content"] for m in request.messages if m["role"] == "user")
    return first.split(OBSERVATION_START + "\n", 1)[1].rsplit("\n" + OBSERVATION_END, 1)[0]


def stubborn_model(rules, learns: bool):
    """Illegal first; after "was rejected" feedback a legal move (if it ``learns``)."""

    def reply(request) -> str:
        obs = observation_in(request)
        if learns and "was rejected" in request.messages[-1]["content"]:
            legal = rules.propose(obs)
            return (f"Let me reconsider. <move>[a1a1]</move> is no move at all. "
                    f"Final answer: <move>{legal}</move>")
        bad = next(m for m in ILLEGAL if rules.evaluate(obs, m) is False)
        return f"Thinking... the strongest move is <move>{bad}</move>"

    return reply


def test_wrapped_llm_retries_with_feedback_and_never_reaches_the_engine_illegally(
        fake_openai, chess_rules):
    fake_openai.push(FakeReply.server_error(500))  # a transient LLM failure, first of all
    fake_openai.default = stubborn_model(chess_rules, learns=True)
    llm = make_llm("openai/gpt-4o-mini", max_attempts=1)
    with sandboxed("Chess-v0", seed=0) as harness:
        agent = HarnessedAgent(LLMAgent(llm), harness, max_retries=3)
        results = play_games("Chess-v0", agent, HarnessAgent(harness), games=1, seed=0,
                             max_turns=24)

    assert results.games[0].turns == 24  # the match went on through the failure
    assert results.agent.moves == 12
    assert results.agent.illegal_to_engine == 0
    assert results.opponent.illegal_to_engine == 0
    assert results.agent.fallbacks == 0
    assert results.agent.retries == 12 + 1  # one rejection per move, plus the failed call
    first = agent.records[0]
    assert [a.agent_failure is not None for a in first.attempts] == [True, False, False]
    assert "server_error" in first.attempts[0].agent_failure
    assert [a.verdict for a in first.attempts] == [None, False, True]
    assert all(r.engine_legal for r in agent.records)
    # The feedback naming the rejected move reached the model, as a new user turn after its reply.
    for record in agent.records:
        rejected = next(a for a in record.attempts if a.verdict is False)
        assert rejected.action in ILLEGAL
        assert any(rejected.action in r.messages[-1]["content"]
                   and "was rejected" in r.messages[-1]["content"]
                   and "rules verifier" in r.messages[-1]["content"]
                   and r.messages[-2]["role"] == "assistant"
                   for r in fake_openai.requests)
    assert "could not be used" in fake_openai.requests[1].messages[-1]["content"]
    # The prompt: role, player id, the observation, and no claim that moves are listed.
    prompt = fake_openai.requests[0].text
    assert "Player 0" in prompt and "You are playing White" in prompt
    assert "<move>" in prompt and "valid moves" not in prompt.lower()
    # Tokens and cost are recorded per reply (gpt-4o-mini has a price).
    assert results.agent.tokens > 0 and results.agent.cost_usd > 0
    assert all(a.tokens > 0 for r in agent.records for a in r.attempts[-2:])
    assert len(fake_openai.requests) == 12 * 2 + 1


def test_unwrapped_llm_is_penalised_by_the_engine(fake_openai, chess_rules):
    fake_openai.default = stubborn_model(chess_rules, learns=False)
    llm = make_llm("openai/gpt-4o-mini")
    with sandboxed("Chess-v0", seed=0) as harness:
        agent = Unwrapped(LLMAgent(llm))
        results = play_games("Chess-v0", agent, HarnessAgent(harness), games=1, seed=0)

    game = results.games[0]
    # TextArena's error allowance: the first illegal move is rejected and may be resubmitted,
    # the second loses the game.
    assert [r.engine_legal for r in agent.records] == [False, False]
    assert results.agent.illegal_to_engine == 2
    assert game.outcome == "loss" and game.turns == 2
    assert game.rewards == {0: -1.0, 1: 1.0}
    assert "attempted an invalid move" in fake_openai.requests[-1].text  # the engine's word
