"""The oracle agrees with the engine's own legal-move lists, where a game prints them.

With hints left on (``strip_hints=False``) these games list the legal moves of the position. Over
2,000 random positions per game, every listed move must be legal for the oracle, and actions
listed at other positions but not at this one must be illegal. A listed move on which the engine
raises is illegal (reason "engine error: ..."), like any action the engine crashes on.
Santorini is left out: it prints one list at reset only, which is wrong for player 1
(see docs/textarena-notes).
"""

import random
import re

import pytest

from autoharness.arena import GameEnv

# The last listing in the observation, and how to split it into actions.
LISTINGS = {
    "Chess-v0": (r"Valid moves: ([^\n]*)", r"\[[a-h][1-8][a-h][1-8][qrbn]?\]"),
    "Othello-v0": (r"Valid moves: ([^\n]*)", r"\[\d+, \d+\]"),
    "Stratego-v0": (r"Available Moves: ([^\n]*)", r"\[[A-J]\d [A-J]\d\]"),
    "SimpleTak-v0": (r"Available Moves: ([^\n]*)", r"\[\d+\]"),
    "TicTacToe-v0": (r"Available Moves: ([^\n]*)", r"\[\d\]"),
    "ReverseTicTacToe-v0": (r"Available Moves: ([^\n]*)", r"\[\d\]"),
    "WildTicTacToe-v0": (r"Available Moves: ([^\n]*)", r"\[[XO] \d\]"),
    "Crusade-v0": (r"Available Moves: ([^\n]*)", r"\[[a-h]\d [a-h]\d\]"),
    "SpiteAndMalice-v0": (r"Available Moves: ([^\n]*)", r"\[[^\[\]]+\]"),
    "KuhnPoker-v0": (r"Your available actions are: ([^\n]*)", r"\[[a-z]+\]"),
    "FifteenPuzzle-v0": (r"Available Moves: ([^\n]*)", r"\[[a-z]+\]"),
}
POSITIONS = 2000
LISTED_CHECKS, UNLISTED_CHECKS = 4, 3


def listed_actions(observation: str, listing: str, token: str) -> list[str]:
    if observation.rfind("No valid moves") > observation.rfind("Valid moves:"):
        return []  # Othello: a player with no move passes, and then any action is accepted
    found = re.findall(listing, observation)
    return re.findall(token, found[-1]) if found else []


@pytest.mark.parametrize("game_id", sorted(LISTINGS))
def test_listed_moves_are_exactly_the_legal_ones(game_id: str) -> None:
    listing, token = LISTINGS[game_id]
    rng = random.Random(7)
    vocabulary: set[str] = set()
    positions = checked_unlisted = episode = 0
    while positions < POSITIONS:
        env = GameEnv(game_id, seed=1000 + episode, strip_hints=False)
        episode += 1
        while not env.done and positions < POSITIONS:
            listed = listed_actions(env.observation(), listing, token)
            if not listed:
                break  # e.g. a pass position in Othello: nothing listed to compare
            positions += 1
            vocabulary.update(listed)
            for action in rng.sample(listed, min(LISTED_CHECKS, len(listed))):
                verdict = env.is_legal(action)
                if verdict.engine_error is not None:
                    # Listed, but the engine raises on it (Stratego: a Miner leaving the square
                    # of the bomb it defused): no move the game can go on from, so illegal.
                    assert verdict.reason.startswith("engine error: ")
                    continue
                assert verdict.legal, f"{game_id}: listed {action} rejected: {verdict.reason}"
            unlisted = sorted(vocabulary.difference(listed))
            for action in rng.sample(unlisted, min(UNLISTED_CHECKS, len(unlisted))):
                checked_unlisted += 1
                assert not env.is_legal(action).legal, f"{game_id}: unlisted {action} accepted"
            env.step(rng.choice(listed))
    assert positions == POSITIONS
    assert checked_unlisted > POSITIONS // 2  # the negative half of the check really ran
