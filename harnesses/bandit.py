"""Bandit harness: the buttons are named in the opening prompt ("... N buttons: red, blue, ...").

Every turn, including the final guess, the action is one button name in brackets, e.g. ``[red]``.
The engine takes everything between the first "[" and the last "]" on one line (greedy
``\\[(.*)\\]``) and accepts it only if it is exactly a button name (case-sensitive); an action
without brackets is wrapped first. Legality never depends on the history.
"""

import math
import random
import re

GAMES = ["Bandit-v0", "Bandit-v0-hard"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Bandit-v0": {
        "command": "autoharness verify Bandit-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3432,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Bandit-v0-hard": {
        "command": "autoharness verify Bandit-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4218,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_BUTTONS = re.compile(r"buttons: ([^\n]*?)\. Each button")
_ACTION = re.compile(r"\[(.*)\]")


def _buttons(obs: str) -> list[str]:
    match = _BUTTONS.search(obs)
    return match.group(1).split(", ") if match else []


def propose_action(obs: str) -> str:
    buttons = _buttons(obs)
    return f"[{random.choice(buttons)}]" if buttons else "[red]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    return bool(match) and match.group(1) in _buttons(obs)


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# The engine's model (textarena 0.7.4): one button pays with p = 0.5 + gap/2, every other with p
# drawn uniformly from [0.1, 0.5 - gap/2] (gap 0.10 in Bandit-v0, 0.05 in Bandit-v0-hard). After
# the pulls, one more action names a button. 0.7.4 compares that name with the *dict* of means
# (``button == game_state["ground_truth"]``), which is never equal, so every answer is scored as
# wrong and paid its regret, max(p) - p(chosen) (TextArena issue #173): the reward is largest for
# the WORST button. The policy therefore hunts for the lowest mean: the posterior of each
# button's mean is exact (the best-button hypothesis plus a grid integral over the uniform prior),
# pulls go to the lowest lower confidence bound (mean - 1.5 sd; in simulation it edged out
# round-robin, greedy, Thompson sampling and top-two rules on this reward), and the answer is the
# button with the lowest posterior mean. Its ceiling is E[max p - min p], about 0.38 on Bandit-v0.

_TURNS = re.compile(r"You have (\d+) time steps")
_PRESSED = re.compile(r"You pressed the (\w+) button and received a reward of (\d(?:\.\d+)?)\.")
_GAPS = {(5, 20): 0.10, (10, 40): 0.05}  # (buttons, turns) -> p_gap of the registered variants
_GRID_POINTS = 200
_CONFIDENCE = 1.5
_MOMENTS: dict = {}


def _prior_moments(s: int, f: int, low: float, high: float) -> tuple[float, float, float]:
    """E[p^k p^s (1-p)^f] for k = 0, 1, 2, p uniform on [low, high] (grid midpoints)."""
    key = (s, f, low, high)
    if key not in _MOMENTS:
        grid = [low + (high - low) * (i + 0.5) / _GRID_POINTS for i in range(_GRID_POINTS)]
        weights = [p ** s * (1 - p) ** f for p in grid]
        _MOMENTS[key] = tuple(
            sum(w * p ** k for w, p in zip(weights, grid, strict=True)) / _GRID_POINTS
            for k in range(3))
    return _MOMENTS[key]


def _posterior_means(stats: list[tuple[int, int]], gap: float) -> tuple[list[float], list[float]]:
    """(posterior mean, posterior sd) of each button's payout probability."""
    best_p, low, high = 0.5 + gap / 2, 0.1, 0.5 - gap / 2
    moments = [_prior_moments(s, f, low, high) for s, f in stats]
    weights = [best_p ** s * (1 - best_p) ** f / m[0]
               for (s, f), m in zip(stats, moments, strict=True)]
    total = sum(weights)
    means, sds = [], []
    for w, m in zip(weights, moments, strict=True):
        p_best = w / total
        mean = p_best * best_p + (1 - p_best) * m[1] / m[0]
        second = p_best * best_p ** 2 + (1 - p_best) * m[2] / m[0]
        means.append(mean)
        sds.append(math.sqrt(max(0.0, second - mean * mean)))
    return means, sds


def choose_action(obs: str) -> str:
    buttons = _buttons(obs)
    match = _TURNS.search(obs)
    if not buttons or match is None:
        return propose_action(obs)
    turns = int(match.group(1))
    gap = _GAPS.get((len(buttons), turns), 0.10)
    stats = {b: [0, 0] for b in buttons}
    pulls = 0
    for button, reward in _PRESSED.findall(obs):
        if button in stats:
            stats[button][0 if float(reward) > 0.5 else 1] += 1
            pulls += 1
    means, sds = _posterior_means([tuple(stats[b]) for b in buttons], gap)
    if pulls >= turns:  # the answer: the button believed worst
        pick = min(range(len(buttons)), key=lambda i: (means[i], i))
    else:
        pick = min(range(len(buttons)), key=lambda i: (means[i] - _CONFIDENCE * sds[i], i))
    return f"[{buttons[pick]}]"
