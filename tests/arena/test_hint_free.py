"""No observation of the 145 games lists the moves that are legal in its position.

The detector does not know any listing's wording: a line *lists legal moves* when it quotes two or
more actions that the oracle accepts in that position, and it is *position-dependent* when the
same line (same text before its first action) quotes different actions at different positions.
Fixed menus in the rules ("[up], [down], [left], [right]" every turn) quote the same actions
every time and pass. The detector must fire on the unstripped text of games known to list moves,
so the check cannot pass vacuously.
"""

import random
import re
import time
from collections import defaultdict

import pytest

from autoharness.arena import GameEnv, benchmark_ids
from autoharness.harness.library import find_harness
from autoharness.harness.runtime import InProcessHarness

STEPS = 200
MAX_EPISODES = 12  # some resets (Sudoku-hard, RushHour) take seconds
TOKEN = re.compile(r"\[[^\[\]\n]{1,30}\]")
SENDER = re.compile(r"^\[[^\[\]\n]+\] ")  # "[GAME] ", "[Player 0] " open every message
# Lines that show the game's state, which happens to be written in action syntax: the cards in
# one's hand are what one sees at a card table, and UltimateTicTacToe labels its empty cells with
# their coordinates. These are the position itself, not a list worked out from the rules.
STATE_DISPLAYS = {
    "GameOfPureStrategy-v0": re.compile(r"Your remaining hand:"),
    "HighSociety-v0": re.compile(r"Your remaining money cards:"),
    "UltimateTicTacToe-v0": re.compile(r"(?:\[\d,\d\]|\s+[XO]\s)"),  # a row of the board
}
# Games that print position-dependent lists when hints are left on.
LISTING_GAMES = ["Chess-v0", "Othello-v0", "Stratego-v0", "SimpleTak-v0", "TicTacToe-v0",
                 "ReverseTicTacToe-v0", "WildTicTacToe-v0", "Crusade-v0", "SpiteAndMalice-v0",
                 "KuhnPoker-v0", "FifteenPuzzle-v0"]


def listings_seen(game_id: str, strip_hints: bool, seed: int = 0) -> dict[str, set[frozenset]]:
    """Play STEPS actions; map each line prefix quoting ≥ 2 legal actions to its action sets."""
    path = find_harness(game_id)
    harness = InProcessHarness(path.read_text(), seed=seed) if path else None
    rng = random.Random(seed)
    seen: dict[str, set[frozenset]] = defaultdict(set)
    steps = episodes = 0
    max_episodes = MAX_EPISODES
    while steps < STEPS and episodes < max_episodes:
        began = time.perf_counter()
        env = GameEnv(game_id, seed=seed + 1000 * episodes, strip_hints=strip_hints)
        if time.perf_counter() - began > 1.0:
            max_episodes = 1  # Sokoban-v0-medium builds its puzzle for ~14 s: one episode it is
        episodes += 1
        checked_upto: dict[int, int] = {}
        while not env.done and steps < STEPS:
            observation = env.observation()
            start = checked_upto.get(env.current_player, 0)
            checked_upto[env.current_player] = len(observation)
            for line in observation[start:].splitlines():
                line = SENDER.sub("", line)
                display = STATE_DISPLAYS.get(game_id)
                if display is not None and display.match(line):
                    continue
                tokens = list(dict.fromkeys(TOKEN.findall(line)))
                if len(tokens) < 2:
                    continue
                legal = [t for t in tokens[:12] if env.is_legal(t).legal]
                if len(legal) >= 2:
                    prefix = re.sub(r"\d+", "#", line[: line.index(tokens[0])]).strip()
                    seen[prefix].add(frozenset(tokens))
            action = harness.propose(observation) if harness and rng.random() < 0.9 else None
            if not isinstance(action, str):
                candidates = TOKEN.findall(observation[-2000:]) or ["[0]"]
                action = rng.choice(candidates)
            env.step(action)
            steps += 1
    return seen


def position_dependent(seen: dict[str, set[frozenset]]) -> dict[str, set[frozenset]]:
    return {prefix: sets for prefix, sets in seen.items() if len(sets) > 1}


@pytest.mark.parametrize("game_id", benchmark_ids())
def test_no_position_dependent_listing_survives(game_id: str) -> None:
    offenders = position_dependent(listings_seen(game_id, strip_hints=True))
    assert not offenders, f"{game_id} still lists legal moves after: {sorted(offenders)[:3]}"


@pytest.mark.parametrize("game_id", LISTING_GAMES)
def test_detector_fires_on_the_unstripped_text(game_id: str) -> None:
    assert position_dependent(listings_seen(game_id, strip_hints=False)), (
        f"{game_id}: the detector found no listing in the engine's own text")
