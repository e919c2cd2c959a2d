"""Moves as a person reads them: one line per move (who, what was proposed, the harness's verdict,
retries, what was played, the engine's word), and the board an observation shows, if any.

Both work on a move's log form (``MoveRecord.to_dict()``, a line of the JSONL match log), so the
live view of ``play`` and ``autoharness show MATCH.jsonl`` print the same thing.
"""

from __future__ import annotations

import re
from typing import Any

_MESSAGE_START = re.compile(r"\n(?=\[[^\]\n]{1,40}\] )")
_CELL_SEPARATORS = re.compile(r"[\s|]+")
_RULE = re.compile(r"^\s*[-+=|_~#*. ]{3,}$")
BOARD_LOOKBACK = 8000  # characters at the end of an observation searched for a board
MAX_BOARD_LINES = 40


def _board_like(line: str) -> bool:
    """A row of cells (three or more tokens of at most three characters) or a rule line."""
    if len(line) > 200:
        return False
    cells = [cell for cell in _CELL_SEPARATORS.split(line) if cell]
    return (len(cells) >= 3 and all(len(cell) <= 3 for cell in cells)) or bool(_RULE.match(line))


def split_messages(text: str) -> list[str]:
    """An observation's messages (``[GAME] ...``, ``[Player 1] ...``), in order."""
    return _MESSAGE_START.split(text)


def latest_board(observation: str | None) -> str | None:
    """The last message of ``observation`` that draws a board (three or more grid-like lines:
    short tokens in columns, or rules like ``---+---``), or None when there is none."""
    if not observation:
        return None
    tail = observation[-BOARD_LOOKBACK:]
    messages = split_messages(tail)
    for message in reversed(messages[-12:]):
        lines = message.strip("\n").splitlines()
        grid = [i for i, line in enumerate(lines) if line.strip() and _board_like(line)]
        if len(grid) >= 3:
            start = 0 if grid[0] <= 2 else grid[0] - 1
            shown = lines[start:grid[-1] + 1]
            return "\n".join(shown[:MAX_BOARD_LINES])
    return None


def _verdict(attempt: dict[str, Any]) -> str:
    if attempt.get("harness_failure"):
        return "harness failed"
    verdict = attempt.get("verdict")
    if verdict is True:
        return "accepted"
    if verdict is False:
        return "rejected"
    if attempt.get("action") is None:
        return _short(attempt.get("agent_failure") or "no move", 50)
    return "unchecked"


def describe_move(move: dict[str, Any], side: str | None = None) -> str:
    """``game 1 · turn 3 · seat 0 · agent noisy:0.3: [e2e5] rejected, [e2e4] accepted → [e2e4]
    · engine: legal``."""
    where = []
    if move.get("game_index") is not None:
        where.append(f"game {move['game_index'] + 1}")
    if move.get("turn") is not None:
        where.append(f"turn {move['turn'] + 1}")
    if move.get("player") is not None:
        where.append(f"seat {move['player']}")
    who = " ".join(part for part in (side or move.get("side"), move.get("agent")) if part)
    attempts = []
    for attempt in move.get("attempts") or []:
        source = "harness " if attempt.get("source") == "harness" else ""
        action = attempt.get("action")
        shown = _short(action) if action is not None else "(nothing)"
        attempts.append(f"{source}{shown} {_verdict(attempt)}")
    attempts = _collapse(attempts)
    fallback = move.get("fallback")
    played = f"→ {_short(move.get('action') or '')}"
    if fallback:
        played += f" ({fallback.replace('_', ' ')})"
    if move.get("retries"):
        played += f", {move['retries']} retr{'y' if move['retries'] == 1 else 'ies'}"
    engine = move.get("engine_legal")
    if engine is True:
        judged = "engine: legal"
    elif engine is False:
        reason = move.get("engine_reason")
        judged = "engine: ILLEGAL" + (f" ({_short(reason, 80)})" if reason else "")
    else:
        judged = ""
    if move.get("engine_error"):
        judged = f"engine error: {_short(move['engine_error'], 80)}"
    if move.get("unavailable"):  # nothing was played: the match ends on this move
        played = "→ nothing played"
        judged = f"AGENT UNAVAILABLE: {_short(move['unavailable'], 160)}"
    head = " · ".join(where) + (f" · {who}" if who else "")
    body = ", ".join(attempts) + f" {played}"
    return f"{head}: {body}" + (f" · {judged}" if judged else "")


def _collapse(items: list[str]) -> list[str]:
    """Consecutive repeats as one item with a count: ``x ×3``."""
    out: list[tuple[str, int]] = []
    for item in items:
        if out and out[-1][0] == item:
            out[-1] = (item, out[-1][1] + 1)
        else:
            out.append((item, 1))
    return [item if n == 1 else f"{item} ×{n}" for item, n in out]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def describe_game(game: dict[str, Any], total: int | None = None) -> str:
    """One line for a finished game (a ``GameRecord`` as a dict)."""
    outcome = game.get("outcome")
    rewards = game.get("rewards") or {}
    seat = game.get("agent_seat")
    reward = rewards.get(seat, rewards.get(str(seat))) if isinstance(rewards, dict) else None
    result = f"reward {reward:g}" if outcome == "reward" and reward is not None else outcome
    why = f" — {game['reason']}" if game.get("reason") else ""
    if game.get("unavailable"):
        why = f" — {_short(game['unavailable'], 160)}"
    count = f"/{total}" if total else ""
    return (f"game {game.get('index', 0) + 1}{count} seed {game.get('seed')} seat {seat}: "
            f"{result} after {game.get('turns')} actions{why}")
