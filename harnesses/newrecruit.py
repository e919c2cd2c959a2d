"""NewRecruit harness: whether a proposal is on the table is read from the last game message.

Every turn a player may ``[Propose]`` eight letters A-E (one per issue, optional single spaces
between them, case-insensitive, any text before it as rationale). ``[Accept]`` and ``[Reject]``
(case-insensitive, anywhere in the action) are accepted only while a proposal stands, i.e. when
the last "made a new proposal" message is newer than the last "rejected the proposal" message.
An action without brackets is wrapped in brackets first (so a bare ``Accept`` works too).
"""

import random
import re

GAMES = ["NewRecruit-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "NewRecruit-v0": {
        "command": "autoharness verify NewRecruit-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4869,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ACCEPT = re.compile(r"\[Accept\]", re.IGNORECASE)
_REJECT = re.compile(r"\[Reject\]", re.IGNORECASE)
_PROPOSE = re.compile(r"\[Propose\]\s*([A-E]( ?[A-E]){7})", re.IGNORECASE)  # the engine's own
_ROLES = [(0, "Recruiter"), (1, "Candidate")]
_RATIONALES = [
    "",
    "This balances both of our interests.",
    "I think this is a fair package for both sides.",
    "Let's meet in the middle on the key issues.",
]


def _last(obs: str, event: str) -> int:
    return max(obs.rfind(f"[GAME] Player {p} ({r}) {event}") for p, r in _ROLES)


def _proposal_standing(obs: str) -> bool:
    return _last(obs, "made a new proposal.") > _last(obs, "rejected the proposal.")


def propose_action(obs: str) -> str:
    if _proposal_standing(obs):
        kind = random.choices(["accept", "reject", "propose"], weights=[1, 2, 3])[0]
        if kind != "propose":
            return f"[{kind.capitalize()}]"
    letters = "".join(random.choice("ABCDE") for _ in range(8))
    return f"{random.choice(_RATIONALES)} [Propose] {letters}".strip()


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    if _proposal_standing(obs) and (_ACCEPT.search(action) or _REJECT.search(action)):
        return True
    return bool(_PROPOSE.search(action))
