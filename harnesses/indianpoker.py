"""IndianPoker harness: the betting state is replayed from the history.

Each player starts with 100 chips (engine default, not printed) and antes 1 per round ("### Round").
Moves appear as "Player N -> [move amount]"; each round-end line "(Bankrolls P0:a, P1:b)" resets
the stacks, and a split pot ("Showdown tie") hands each side its half. With to_call = the highest
bet this round minus my bet: ``[check]`` needs to_call == 0; ``[bet X]`` needs to_call == 0 and
X >= 1; ``[call]`` needs to_call > 0; ``[raise X]`` needs to_call > 0 and X >= 1; ``[fold]`` has no
condition. Then every move must be affordable (bet X, call to_call, raise to_call + X, others 0 <=
my chips), so a player left at -1 after the ante has no legal move. The engine searches each of
the five tokens separately and rejects an action matching none or more than one kind (a repeated
kind is fine); bet/raise need exactly one space before the amount. Unbracketed actions get
brackets.

Proposals keep what a later round needs: the ante is charged even to a player with no chips, and
such a player has no legal move at all. So a proposal never spends below one ante for each round
still to come (read from the last "### Round k/N"); folding is free, so that reserve is always
kept whatever the opponent does.
"""

import random
import re

GAMES = [
    "IndianPoker-v0",
    "IndianPoker-v0-short",
    "IndianPoker-v0-medium",
    "IndianPoker-v0-long",
    "IndianPoker-v0-extreme",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "IndianPoker-v0": {
        "command": "autoharness verify IndianPoker-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9854,
        "actions": 10000,
        "illegal_actions": 146,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5003,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "IndianPoker-v0-extreme": {
        "command": "autoharness verify IndianPoker-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9748,
        "actions": 10000,
        "illegal_actions": 252,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4912,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "IndianPoker-v0-long": {
        "command": "autoharness verify IndianPoker-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9768,
        "actions": 10000,
        "illegal_actions": 232,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5091,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "IndianPoker-v0-medium": {
        "command": "autoharness verify IndianPoker-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.98,
        "actions": 10000,
        "illegal_actions": 200,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5215,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "IndianPoker-v0-short": {
        "command": "autoharness verify IndianPoker-v0-short --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.989,
        "actions": 10000,
        "illegal_actions": 110,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5149,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

STARTING_CHIPS, ANTE = 100, 1
_ME = re.compile(r"You are Player (\d+) in a game of Indian Poker")
_EVENT = re.compile(
    r"^\[GAME\] (?:(### Round)"
    r"|Player (\d+) -> \[(\w+)(?: (\d+))?\]$"
    r"|.*\(Bankrolls P0:(-?\d+), P1:(-?\d+)\)$"
    r"|(Showdown tie))",
    re.MULTILINE,
)
_ROUND = re.compile(r"^\[GAME\] ### Round (\d+)/(\d+)$", re.MULTILINE)
_ANTE = re.compile(r"- Ante (\d+) chip")
_TOKENS = {
    "check": re.compile(r"\[check\]", re.I), "fold": re.compile(r"\[fold\]", re.I),
    "call": re.compile(r"\[call\]", re.I), "bet": re.compile(r"\[bet (\d+)\]", re.I),
    "raise": re.compile(r"\[raise (\d+)\]", re.I),
}


def _state(obs: str) -> tuple[int, int]:
    """(chips to call, my chips) by replaying the history."""
    me = int(_ME.search(obs).group(1))
    chips, bets, pot = [STARTING_CHIPS, STARTING_CHIPS], [0, 0], 0
    for new_round, pid, move, amount, bank0, bank1, tie in _EVENT.findall(obs):
        if new_round:
            chips = [c - ANTE for c in chips]
            bets, pot = [0, 0], 2 * ANTE
        elif bank0:
            chips = [int(bank0), int(bank1)]
        elif tie:  # the pot is split, odd chip to Player 1
            chips = [chips[0] + pot // 2, chips[1] + pot - pot // 2]
        elif pid:
            p = int(pid)
            if move == "bet":
                pay = int(amount)
            elif move == "call":
                pay = max(bets) - bets[p]
            elif move == "raise":
                pay = max(bets) + int(amount) - bets[p]
            else:
                pay = 0
            chips[p] -= pay
            bets[p] += pay
            pot += pay
    return bets[1 - me] - bets[me], chips[me]


def _parse(action: str) -> tuple[str, int] | None:
    found = [(name, m) for name, rx in _TOKENS.items() if (m := rx.search(action))]
    if len(found) != 1:
        return None
    name, m = found[0]
    return name, int(m.group(1)) if name in ("bet", "raise") else 0


def _legal(move: str, amount: int, to_call: int, chips: int) -> bool:
    if move in ("bet", "raise") and amount < 1:
        return False
    if move in ("check", "bet") and to_call != 0 or move in ("call", "raise") and to_call == 0:
        return False
    # Every move, even check and fold, must be affordable: a broke player (stack below 0 after
    # the ante) has no legal move at all.
    cost = {"bet": amount, "call": to_call, "raise": to_call + amount}.get(move, 0)
    return cost <= chips


def _amount(most: int) -> int:
    """A size in 1..most, mostly small: stacks are short (100) and a busted player is stuck."""
    r = random.random()
    if r < 0.5:
        return random.randint(1, min(most, 5))
    if r < 0.8:
        return random.randint(1, min(most, 20))
    return random.randint(1, most) if r < 0.97 else most


def _reserve(obs: str) -> int:
    """Chips the antes of the rounds still to come will take."""
    rounds = _ROUND.findall(obs)
    ante = _ANTE.search(obs[:1000])
    if not rounds:
        return 0
    k, n = map(int, rounds[-1])
    return max(0, n - k) * (int(ante.group(1)) if ante else ANTE)


def propose_action(obs: str) -> str:
    to_call, chips = _state(obs)
    if chips < 0:
        return "[fold]"  # broke after the ante: nothing is legal
    chips -= min(_reserve(obs), chips)  # what may be spent now
    options = ["[fold]"] if random.random() < 0.3 else []
    if to_call == 0:
        options.append("[check]")
        if chips >= 1:
            options.append(f"[bet {_amount(chips)}]")
    else:
        if to_call <= chips:
            options.append("[call]")
        if to_call + 1 <= chips:
            options.append(f"[raise {_amount(chips - to_call)}]")
    return random.choice(options or ["[fold]"])


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    parsed = _parse(action)
    return parsed is not None and _legal(*parsed, *_state(obs))
