"""Chess harness: python-chess rebuilds the position, and its legal-move list is the rule book.

Open variants: the piece placement is the last board diagram; castling rights come from the move
history (a right is gone once its king or rook square has been moved from or captured on), the
en-passant square from the last move, the side to move from our colour. Chess-v0-blind shows no
board, so the announced move history ("Player N made the following move: e2e4") is replayed from
the start. The engine searches the action for the first ``[a-h][1-8][a-h][1-8][qrbn]?`` in
brackets (case-insensitive) and plays it if it is legal: a promotion needs its piece letter.
Engine bug: a null move such as "[e2e2]" makes python-chess raise inside the engine before it can
reject the move; the oracle counts a move it never rejected as accepted, so eval_action accepts
it too (propose_action never plays it).
"""

import random
import re

import chess

GAMES = ["Chess-v0", "Chess-v0-blind", "Chess-v0-long"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Chess-v0": {
        "command": "autoharness verify Chess-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5206,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Chess-v0-blind": {
        "command": "autoharness verify Chess-v0-blind --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5661,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Chess-v0-long": {
        "command": "autoharness verify Chess-v0-long --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5206,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_MOVE = re.compile(r"\[([a-h][1-8][a-h][1-8][qrbn]?)\]", re.IGNORECASE)
_PLAYED = re.compile(r"\n\[GAME\] Player [01] made the following move: ([a-h1-8]{4}[qrbn]?)")
_RANK_ROW = re.compile(r"^ [1-8] \| ((?:\S ){8})\|$", re.MULTILINE)
# Moving from or to one of these squares ends the castling rights listed with it.
_CASTLING_SQUARES = {
    "e1": "KQ", "h1": "K", "a1": "Q",
    "e8": "kq", "h8": "k", "a8": "q",
}


_REPLAYED: dict[tuple[str, ...], chess.Board] = {}  # move list -> position, to resume replays


def _replay(played: list[str]) -> chess.Board:
    """The position after ``played``, resuming from a cached shorter prefix when there is one."""
    start = next((k for k in range(len(played), max(-1, len(played) - 5), -1)
                  if tuple(played[:k]) in _REPLAYED), 0)
    board = _REPLAYED[tuple(played[:start])].copy(stack=False) if start else chess.Board()
    for uci in played[start:]:
        board.push(chess.Move.from_uci(uci))
    if len(_REPLAYED) > 64:
        _REPLAYED.clear()
    _REPLAYED[tuple(played)] = board
    return board.copy(stack=False)


def _board(obs: str) -> chess.Board:
    played = _PLAYED.findall(obs)
    white = "You are playing White" in obs[:200]
    rows = _RANK_ROW.findall(obs.rsplit("Current board:", 1)[-1])
    if "Current board:" not in obs or len(rows) < 8:  # blind: replay the whole game
        return _replay(played)
    cells = [row.replace(" ", "") for row in rows[:8]]
    placement = "/".join(re.sub(r"\.+", lambda dots: str(len(dots.group())), c) for c in cells)
    rights = set("KQkq")
    for uci in played:
        for square in (uci[:2], uci[2:4]):
            rights -= set(_CASTLING_SQUARES.get(square, ""))
    castling = "".join(c for c in "KQkq" if c in rights) or "-"
    board = chess.Board(f"{placement} {'w' if white else 'b'} {castling} - 0 1")
    if played:  # a pawn that just advanced two squares can be taken en passant
        frm, to = chess.parse_square(played[-1][:2]), chess.parse_square(played[-1][2:4])
        if board.piece_type_at(to) == chess.PAWN and abs(frm - to) == 16:
            board.ep_square = (frm + to) // 2
    return board


def propose_action(obs: str) -> str:
    moves = list(_board(obs).legal_moves)
    if not moves:
        return "[e2e4]"
    # Uniform over legal moves: every under-promotion is as likely as the queen promotion.
    return f"[{random.choice(moves).uci()}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _MOVE.search(action.strip())
    if match is None:
        return False
    uci = match.group(1).lower()
    if uci[:2] == uci[2:4]:
        return True  # the engine crashes on it instead of rejecting it (see the docstring)
    return chess.Move.from_uci(uci) in _board(obs).legal_moves
