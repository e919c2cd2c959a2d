"""A scripted model for ``learn --games`` tests, served by the fake OpenAI server.

Its answer depends only on the prompt, so runs that ask the same prompts (local or on Ray,
interrupted or not) get the same replies: the first prompt of a game (the skeleton) gets a
draft that ignores the position; a prompt showing that draft gets the library's harness for the
game, code written by hand for this repository. Nothing here is what an LLM would write.
"""

from __future__ import annotations

import re
from pathlib import Path

from autoharness.harness.library import find_harness

DRAFT_MARKER = "# draft: ignores the position"
DRAFT = f'''
{DRAFT_MARKER}
def propose_action(obs: str) -> str:
    return "[0]"


def eval_action(obs: str, action: str) -> bool:
    return True
'''
#: cheap engines whose library harnesses are clean at the small settings below
GAMES = ("TicTacToe-v0", "ReverseTicTacToe-v0", "WildTicTacToe-v0", "Nim-v0", "ConnectFour-v0",
         "GuessTheNumber-v0")
#: small evaluations: a game takes about a second per evaluation on a loaded machine
SETTINGS = ("--envs", "2", "--steps", "40", "--probe-positions", "20")
_GAME = re.compile(r"^Game: (\S+)", re.MULTILINE)


def fenced(code: str) -> str:
    return f"Here is the program.\n```python\n{code}\n```\n"


def library_code(game: str) -> str:
    path = find_harness(game)
    assert path is not None, game
    return Path(path).read_text()


def reply_for(text: str) -> str:
    match = _GAME.search(text)
    assert match, "no 'Game:' line in the prompt"
    if DRAFT_MARKER in text:
        return fenced(library_code(match.group(1)))
    return fenced(DRAFT)


def model(request) -> str:  # the fake server's ``default``: RecordedRequest -> reply
    return reply_for(request.text)
