"""A mid-game observation for the first prompt: what the player sees once the game is under way.

The opening observation shows the rules; a harness must also read later positions (a board with
pieces moved, a history of moves). One rollout plays a few random legal moves, found where
possible without any harness: the engine's own move list where it prints one
(``arena.movelists``, oracle-side), else bracketed tokens of the engine's unstripped text and of
the observation, and when none is legal, those tokens with their parts replaced by random numbers
and letters (``[row col]`` -> ``[3 1]``, ``[play X]`` -> ``[play 2]``), each checked by the
legality oracle; failing those, a harness's own proposals (the run's seed harness, or the
library's for the game), checked the same way. The observation shown is the
hint-free one, so nothing of the move lists reaches the LLM. The rollout stops after a few
seconds at most.
"""

from __future__ import annotations

import contextlib
import io
import random
import re
import time
from collections.abc import Callable

from autoharness.arena.env import GameEnv

_TOKEN = re.compile(r"\[[^\[\]\n]{1,40}\]")
_PART = re.compile(r"[A-Za-z]+\d*|\d+")
VARIANTS = 80  # random fillings of the format tokens tried when no token is legal
TARGET_PLIES = 10  # moves into the game, fewer when it ends sooner
CANDIDATES_PER_MOVE = 60
LOOKBACK = 3000  # characters of text searched for candidate moves
TIME_LIMIT_S = 3.0


def _candidates(env: GameEnv, rng: random.Random) -> list[str]:
    listed = _listed(env)
    if listed:
        return listed
    texts = [env.observation()[-LOOKBACK:]]
    with contextlib.suppress(RuntimeError):
        texts.append(env.raw_observation()[-LOOKBACK:])
    found = list(dict.fromkeys(t for text in texts for t in _TOKEN.findall(text)))
    rng.shuffle(found)
    return found[:CANDIDATES_PER_MOVE]


def _listed(env: GameEnv) -> list[str] | None:
    try:
        from autoharness.arena.movelists import listed_moves
    except ImportError:  # an older tree without the engine's move lists
        return None
    try:
        return listed_moves(env)
    except Exception:  # noqa: BLE001 - an oracle-side nicety, never a reason to fail
        return None


def _filled(token: str, rng: random.Random) -> str:
    """``token`` with each word or number replaced at random: a short word or a number by a
    number, a single letter by a letter, a letter+digit by the letter and another digit."""

    def part(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.isdigit() or (word.isalpha() and len(word) > 1 and rng.random() < 0.8):
            return str(rng.randint(0, 9 if rng.random() < 0.8 else 20))
        if word.isalpha() and len(word) == 1:
            pool = "abcdefgh" if word.islower() else "ABCDEFGH"
            return rng.choice(pool) if rng.random() < 0.5 else str(rng.randint(0, 9))
        letters = word.rstrip("0123456789")
        return letters + str(rng.randint(0, 9)) if letters != word else word

    inner = _PART.sub(part, token[1:-1])
    return f"[{inner}]"


Propose = Callable[[str], object]  # observation -> action (anything else: no proposal)


def _legal_move(env: GameEnv, rng: random.Random, propose: Propose | None) -> str | None:
    tokens = _candidates(env, rng)
    legal = [a for a in tokens if env.is_legal(a).legal]
    if not legal and tokens:
        variants = list(dict.fromkeys(_filled(rng.choice(tokens), rng) for _ in range(VARIANTS)))
        legal = [a for a in variants if env.is_legal(a).legal]
    if not legal and propose is not None:
        for _ in range(5):
            action = propose(env.observation())
            if isinstance(action, str) and env.is_legal(action).legal:
                return action
    return rng.choice(legal) if legal else None


def rules_and_mid_game(game_id: str, seed: int = 0, plies: int = TARGET_PLIES,
                       propose: Propose | None = None) -> tuple[str, str | None]:
    """The opening observation (the rules) and ``mid_game_observation``, from one env."""
    with contextlib.redirect_stdout(io.StringIO()):  # some engines print as they play
        env = GameEnv(game_id, seed=seed, keep_raw_text=True)
        return env.observation().strip(), _play_into(env, random.Random(seed), plies, propose)


def mid_game_observation(game_id: str, seed: int = 0, plies: int = TARGET_PLIES,
                         propose: Propose | None = None) -> str | None:
    """The current player's observation ``plies`` random legal moves into a game (or the last
    one before the game ended, or before the time limit); None when no legal move was found at
    the start. ``propose``: a harness's ``propose_action``, tried when no token is legal."""
    return rules_and_mid_game(game_id, seed, plies, propose)[1]


def _play_into(env: GameEnv, rng: random.Random, plies: int,
               propose: Propose | None) -> str | None:
    shown: str | None = None
    deadline = time.monotonic() + TIME_LIMIT_S
    for _ in range(plies):
        move = _legal_move(env, rng, propose)
        if move is None or time.monotonic() > deadline:
            break
        result = env.step(move)
        if env.done or not result.legal:
            break
        shown = env.observation()
    return shown
