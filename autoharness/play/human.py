"""``--agent human``: a person plays from the terminal.

The person sees the hint-free observation an agent sees, but only what is new since their last
turn (the first turn shows everything: the rules and the opening position), and, when the harness
rejected the move they typed, the harness's verdict before they type again. Moves are read from
stdin one line each; ``quit`` or the end of input stops the match (``HumanQuit``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import IO

from autoharness.play.base import PlayAgent, Proposal, Rejection
from autoharness.play.render import latest_board, split_messages

QUIT_WORDS = ("quit", "exit", ":q")


class HumanQuit(Exception):
    """The person ended the match (``quit`` or end of input)."""


class HumanAgent(PlayAgent):
    """A person at a terminal. Prompts go to ``output`` (stderr by default, so ``--json`` keeps
    stdout clean), moves come from ``input`` (stdin)."""

    takes_feedback = True

    def __init__(self, name: str = "human", input: IO[str] | None = None,
                 output: IO[str] | None = None) -> None:
        self.name = name
        self._input = input
        self._output = output
        self._seen: dict[int | None, int] = {}  # characters of each seat's observation shown

    @property
    def input(self) -> IO[str]:
        return self._input or sys.stdin

    @property
    def output(self) -> IO[str]:
        return self._output or sys.stderr

    def _say(self, text: str) -> None:
        self.output.write(text)
        self.output.flush()

    def latest(self, observation: str, player: int | None) -> str:
        """What is new in the observation since this seat's last turn (all of it at first), with
        only the latest of the boards drawn since then."""
        shown = self._seen.get(player, 0)
        self._seen[player] = len(observation)
        if not 0 < shown <= len(observation):
            return observation.strip("\n")
        messages = split_messages(observation[shown:])
        boards = [i for i, message in enumerate(messages) if latest_board(message)]
        kept = [m for i, m in enumerate(messages) if i not in boards[:-1]]
        return "\n".join(m.strip("\n") for m in kept if m.strip())

    def hear_verdict(self, action: str, verdict: bool | None) -> None:
        """The harness's verdict on the move just typed (``HarnessedAgent`` calls this)."""
        if verdict is True:
            self._say(f"harness: '{action}' accepted\n")
        elif verdict is False:
            self._say(f"harness: '{action}' rejected — not a legal move here. Try again.\n")
        else:
            self._say(f"harness: could not check '{action}' (the harness failed); it is played "
                      "unchecked\n")

    def propose(self, observation: str, player: int | None = None,
                history: Sequence[Rejection] = (),
                candidates: Sequence[str] | None = None) -> Proposal:
        seat = f"player {player}" if player is not None else "you"
        if history:
            if history[-1].action is None:
                self._say("type a move (quit ends the match)\n")
        else:
            self._say(f"\n──── your turn ({seat}) ────\n{self.latest(observation, player)}\n")
        if candidates:
            self._say("legal moves: " + ", ".join(candidates) + "\n")
        self._say("your move> ")
        began = time.perf_counter()
        line = self.input.readline()
        if not line:
            self._say("\n")
            raise HumanQuit("end of input")
        move = line.strip()
        if move.lower() in QUIT_WORDS:
            raise HumanQuit(move)
        if not move:
            return Proposal(None, raw="", failure="an empty line",
                            latency_s=time.perf_counter() - began)
        return Proposal(move, raw=move, latency_s=time.perf_counter() - began)
