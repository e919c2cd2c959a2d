"""KuhnPoker harness: the betting so far in the current round decides the legal actions.

The round starts at the last "### Starting round" line; the last "Player N, submitted move:
'[x]'" line after it is the latest move. Facing a bet, the legal actions are ``[fold]`` and
``[call]``; otherwise (round start or after a check) they are ``[check]`` and ``[bet]``. The engine
takes the first ``[check|bet|fold|call]`` in the action (case-insensitive, no spaces inside the
brackets); an action without brackets is wrapped in brackets before it arrives.
"""

import random
import re

GAMES = [
    "KuhnPoker-v0",
    "KuhnPoker-v0-short",
    "KuhnPoker-v0-medium",
    "KuhnPoker-v0-long",
    "KuhnPoker-v0-extreme",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "KuhnPoker-v0": {
        "command": "autoharness verify KuhnPoker-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3293,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "KuhnPoker-v0-extreme": {
        "command": "autoharness verify KuhnPoker-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3247,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "KuhnPoker-v0-long": {
        "command": "autoharness verify KuhnPoker-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3099,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "KuhnPoker-v0-medium": {
        "command": "autoharness verify KuhnPoker-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3316,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "KuhnPoker-v0-short": {
        "command": "autoharness verify KuhnPoker-v0-short --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3138,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_MOVE = re.compile(r"^\[GAME\] Player \d+, submitted move: '\[(\w+)\]'\.$", re.MULTILINE)
_ACTION = re.compile(r"\[(Check|Bet|Fold|Call)\]", re.IGNORECASE)


def _legal(obs: str) -> list[str]:
    moves = _MOVE.findall(obs.rsplit("### Starting round", 1)[-1])
    return ["fold", "call"] if moves and moves[-1] == "bet" else ["check", "bet"]


def propose_action(obs: str) -> str:
    return f"[{random.choice(_legal(obs))}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action.strip())
    return bool(match) and match.group(1).lower() in _legal(obs)


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# State: (rounds, round, scores, history, cards, seed). ``rounds`` is the match length from the
# rules, ``round`` the one being played (rounds + 1 once the match is over), ``scores`` each
# player's net chips after the rounds played (the engine's "Current scores"), ``history`` the
# moves of this round, ``cards`` each player's card (0 J, 1 Q, 2 K; None where the observing
# player cannot see it), ``seed`` the draw of the cards to come (None until sample_state sets it;
# then rounds dealt by ``apply`` are unknown, None). In this engine betting moves no chips: the
# round's winner takes the two antes (+1 net, the loser -1), at a fold or at the showdown (the
# higher card). Player 1 starts round 1, then the starter alternates. The match winner has more
# net chips (equal: a draw).

_WM_RULES = re.compile(r"You are Player [01] in a (\d+) round game of Kuhn Poker")
_WM_ROUND = re.compile(r"### Starting round (\d+) out of \d+ rounds\. Your card is: '([JQK])'")
_WM_ME = re.compile(r"You are Player ([01])")
_WM_SCORES = re.compile(r"Current scores: Player 0: '(-?\d+)'; Player 1: '(-?\d+)'")
_WM_RANKS = {"J": 0, "Q": 1, "K": 2}
_WM_NEXT = {(): ("check", "bet"), ("check",): ("check", "bet"), ("bet",): ("fold", "call"),
            ("check", "bet"): ("fold", "call")}


def _wm_to_move(round_number: int, history: tuple) -> int:
    starter = 1 if round_number % 2 == 1 else 0
    return starter if len(history) % 2 == 0 else 1 - starter


def parse_state(obs: str) -> tuple:
    rounds = int(_WM_RULES.search(obs).group(1))
    me = int(_WM_ME.search(obs).group(1))
    starts = list(_WM_ROUND.finditer(obs))
    round_number = int(starts[-1].group(1)) if starts else 1
    cards = [None, None]
    if starts and round_number <= rounds:
        cards[me] = _WM_RANKS[starts[-1].group(2)]
    tail = obs[starts[-1].end():] if starts else obs
    history = tuple(_MOVE.findall(tail))
    scores = _WM_SCORES.findall(obs)
    net = (int(scores[-1][0]), int(scores[-1][1])) if scores else (0, 0)
    return (rounds, round_number, net, history, tuple(cards), None)


def sample_state(obs: str, seed: int) -> tuple:
    rounds, round_number, net, history, cards, _seed = parse_state(obs)
    rng = random.Random(seed)
    if round_number <= rounds:
        known = [c for c in cards if c is not None]
        free = [c for c in (0, 1, 2) if c not in known]
        cards = tuple(c if c is not None else free.pop(rng.randrange(len(free))) for c in cards)
    return (rounds, round_number, net, history, cards, rng.getrandbits(62))


def is_terminal(state: tuple) -> bool:
    return state[1] > state[0]


def current_player(state: tuple) -> int:
    return _wm_to_move(state[1], state[3])


def legal_actions(state: tuple) -> list[str]:
    if is_terminal(state):
        return []
    return [f"[{move}]" for move in _WM_NEXT[tuple(state[3])]]


def apply(state: tuple, action: str) -> tuple:
    rounds, round_number, net, history, cards, seed = state
    move = _ACTION.search(action.strip()).group(1).lower()
    history = (*history, move)
    if history[:-1] not in _WM_NEXT or move not in _WM_NEXT[history[:-1]]:
        raise ValueError(f"{move} is not legal after {history[:-1]}")
    if history in _WM_NEXT:  # the round goes on
        return (rounds, round_number, net, history, cards, seed)
    mover = _wm_to_move(round_number, history[:-1])
    if move == "fold":
        winner = 1 - mover
    elif cards[0] is None or cards[1] is None:
        winner = None  # a showdown between cards this state does not know
    else:
        winner = 0 if cards[0] > cards[1] else 1
    if winner is None or net[0] is None:
        net = (None, None)
    else:
        net = (net[0] + (1 if winner == 0 else -1), net[1] + (1 if winner == 1 else -1))
    cards = (None, None)
    if seed is not None:
        rng = random.Random(seed)
        deck = [0, 1, 2]
        rng.shuffle(deck)
        cards, seed = (deck[0], deck[1]), rng.getrandbits(62)
    if round_number + 1 > rounds:
        cards = (None, None)
    return (rounds, round_number + 1, net, (), cards, seed)


def returns(state: tuple) -> list[float]:
    net = state[2]
    if not is_terminal(state) or net[0] is None or net[0] == net[1]:
        return [0.0, 0.0]
    return [1.0, -1.0] if net[0] > net[1] else [-1.0, 1.0]
