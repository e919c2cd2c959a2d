"""The LLM agent: a provider model playing through the play prompt, its move read from the reply
(``parse_move``: the last ``<move>…</move>`` tag, else the last ``[bracketed]`` action)."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

from autoharness.play.base import AgentUnavailable, PlayAgent, Proposal, Rejection

# ---- parsing a reply ----------------------------------------------------------------------------

_MOVE_TAG = re.compile(r"<move>(.*?)</move>", re.IGNORECASE | re.DOTALL)
_BRACKETED = re.compile(r"\[[^\[\]\n]*\]")


def parse_move(text: str | None) -> str | None:
    """The move in a reply: the content of the *last* non-empty ``<move>…</move>`` tag, else the
    last bracketed action ``[...]``, else None."""
    if not text:
        return None
    tagged = [m.strip() for m in _MOVE_TAG.findall(text) if m.strip()]
    if tagged:
        return tagged[-1]
    bracketed = [m for m in _BRACKETED.findall(text) if m.strip("[] ")]
    return bracketed[-1] if bracketed else None


# ---- the LLM agent ------------------------------------------------------------------------------

PLAY_SYSTEM_PROMPT = """\
You are an expert player of text-based games, playing a game run by a game engine.
The engine describes the game, its rules and its current state in the observation.
Moves must follow the game's rules and the action format the game asks for (often a move in \
square brackets, like [e2e4] or [4]); an illegal or malformed move is penalised and can lose the \
game.
Think through the position step by step first. Then end your reply with exactly one move, written \
in the game's action format inside move tags, for example: <move>[e2e4]</move>"""

OBSERVATION_START = "<observation>"
OBSERVATION_END = "</observation>"


def play_prompt(observation: str, player: int | None) -> str:
    """The user turn of the play prompt: role, player id and the observation."""
    who = (f"You are Player {player} in this game." if player is not None
           else "You are the player to move in this game.")
    return (f"{who} It is your turn.\n\nHere is everything the game has told you so far:\n"
            f"{OBSERVATION_START}\n{observation}\n{OBSERVATION_END}\n\n"
            "Think about the current position and the rules, then give your move as "
            "<move>YOUR MOVE</move>.")


def candidates_prompt(candidates: Sequence[str]) -> str:
    listed = "\n".join(f"- {c}" for c in candidates)
    return ("A rules checker found these legal moves in the current position; choose one of "
            f"them, copied exactly, inside <move>…</move>:\n{listed}")


class LLMAgent(PlayAgent):
    """A provider model playing through the play prompt; replies are read with ``parse_move``."""

    def __init__(self, llm: Any, *, max_tokens: int = 4096, temperature: float | None = None,
                 system_prompt: str = PLAY_SYSTEM_PROMPT, name: str | None = None) -> None:
        self.llm = llm
        self.name = name or getattr(llm, "name", "llm")
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.system_prompt = system_prompt

    def messages(self, observation: str, player: int | None, history: Sequence[Rejection],
                 candidates: Sequence[str] | None) -> list[dict[str, str]]:
        first = play_prompt(observation, player)
        if candidates:
            first += "\n\n" + candidates_prompt(candidates)
        turns = [{"role": "system", "content": self.system_prompt},
                 {"role": "user", "content": first}]
        for rejection in history:
            if rejection.raw:
                turns.append({"role": "assistant", "content": rejection.raw})
                turns.append({"role": "user", "content": rejection.feedback})
            else:  # the model never answered: tell it in the last user turn
                turns[-1] = {"role": "user",
                             "content": turns[-1]["content"] + "\n\n" + rejection.feedback}
        return turns

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        return self._judged(self._propose(observation, player, history, candidates))

    def preflight(self) -> None:
        from autoharness.llm import preflight

        failure = preflight(self.llm)
        if failure is not None:
            raise AgentUnavailable(f"{self.name}: {failure.describe()}", failure.fatal)

    def _propose(self, observation: str, player: int | None, history: Sequence[Rejection],
                 candidates: Sequence[str] | None) -> Proposal:
        began = time.perf_counter()
        try:
            reply = self.llm.complete(self.messages(observation, player, history, candidates),
                                      max_tokens=self.max_tokens, temperature=self.temperature)
        except Exception as error:  # noqa: BLE001 - a client bug is counted, never hidden
            return Proposal(None, failure=f"llm raised {type(error).__name__}: {error}",
                            cost_usd=0.0, latency_s=time.perf_counter() - began,
                            failure_kind="transient")
        usage = reply.usage
        proposal = Proposal(None, raw=reply.text or None, input_tokens=usage.input_tokens,
                            output_tokens=usage.output_tokens,
                            thinking_tokens=usage.thinking_tokens, cost_usd=reply.cost_usd,
                            latency_s=reply.latency_s or time.perf_counter() - began)
        tagged = _MOVE_TAG.findall(reply.text or "")
        if reply.failure is not None and not (reply.failure.kind == "truncated" and tagged):
            proposal.failure = f"llm {reply.failure}"
            proposal.failure_kind = reply.failure.category
            return proposal
        proposal.action = parse_move(reply.text)
        if proposal.action is None:
            proposal.failure = "the reply holds no <move>…</move> tag and no [bracketed] action"
            proposal.failure_kind = "reply"
        return proposal


