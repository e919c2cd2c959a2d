"""Chess harness: python-chess rebuilds the position, and its legal-move list is the rule book.

Open variants: the piece placement is the last board diagram; castling rights come from the move
history (a right is gone once its king or rook square has been moved from or captured on), the
en-passant square from the last move, the side to move from our colour. Chess-v0-blind shows no
board, so the announced move history ("Player N made the following move: e2e4") is replayed from
the start. The engine searches the action for the first ``[a-h][1-8][a-h][1-8][qrbn]?`` in
brackets (case-insensitive) and plays it if it is legal: a promotion needs its piece letter.
Engine bug: a null move such as "[e2e2]" (also "[e2e2q]") makes python-chess raise inside the
engine before it can reject the move. A move on which the engine raises is not a legal move, so
eval_action rejects it (and propose_action never plays it).
"""

import math
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
        return False  # a null move: the engine raises on it (see the docstring)
    return chess.Move.from_uci(uci) in _board(obs).legal_moves


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# State: the tuple of moves played (UCI), read from the "[GAME] Player N made the following move"
# lines; python-chess replays it (cached by prefix), so repetition and the 75-move rule are seen
# as the engine sees them. The engine ends the game exactly when ``board.is_game_over()``; its
# turn limit is never checked. ``value`` is a material count, for the planner.

_WM_BOARDS: dict[tuple[str, ...], chess.Board] = {}
_WM_PIECE_VALUE = {chess.PAWN: 1, chess.KNIGHT: 3, chess.BISHOP: 3, chess.ROOK: 5, chess.QUEEN: 9}


def _wm_board(moves: tuple) -> chess.Board:
    """The position after ``moves`` (with its move stack). Do not change the result."""
    board = _WM_BOARDS.get(moves)
    if board is not None:
        return board
    known = len(moves)
    while known and moves[:known] not in _WM_BOARDS:
        known -= 1
    board = _WM_BOARDS[moves[:known]] if known else chess.Board()
    if len(_WM_BOARDS) > 5000:
        _WM_BOARDS.clear()
    for index in range(known, len(moves)):
        # Repetitions reach back only to the last capture or pawn move: keep that much.
        board = board.copy(stack=min(len(board.move_stack), board.halfmove_clock + 2))
        board.push(chess.Move.from_uci(moves[index]))
        _WM_BOARDS[moves[:index + 1]] = board
    return board


def parse_state(obs: str) -> tuple:
    return tuple(_PLAYED.findall(obs))


_WM_OVER: dict[tuple[str, ...], bool] = {}


def is_terminal(state: tuple) -> bool:
    moves = tuple(state)
    over = _WM_OVER.get(moves)
    if over is None:
        if len(_WM_OVER) > 20000:
            _WM_OVER.clear()
        over = _WM_OVER[moves] = _wm_board(moves).is_game_over()
    return over


def legal_actions(state: tuple) -> list[str]:
    if is_terminal(state):
        return []
    return [f"[{move.uci()}]" for move in _wm_board(tuple(state)).legal_moves]


def apply(state: tuple, action: str) -> tuple:
    uci = _MOVE.search(action.strip()).group(1).lower()
    if chess.Move.from_uci(uci) not in _wm_board(tuple(state)).legal_moves:
        raise ValueError(f"{uci} is not a legal move")
    return (*state, uci)


def current_player(state: tuple) -> int:
    return len(state) % 2  # White (player 0) moves first


def returns(state: tuple) -> list[float]:
    outcome = _wm_board(tuple(state)).outcome()
    if outcome is None or outcome.winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if outcome.winner == chess.WHITE else [-1.0, 1.0]


def value(state: tuple) -> list[float]:
    """A heuristic for the planner: material, pawns' progress, and once one side is clearly
    ahead, its king near the other, the other king driven to the edge (so it finds mates); it fades
    as the position drifts towards a draw."""
    board = _wm_board(tuple(state))
    material = sum(weight * (len(board.pieces(piece, chess.WHITE))
                             - len(board.pieces(piece, chess.BLACK)))
                   for piece, weight in _WM_PIECE_VALUE.items())
    progress = (sum(chess.square_rank(s) - 1 for s in board.pieces(chess.PAWN, chess.WHITE))
                - sum(6 - chess.square_rank(s) for s in board.pieces(chess.PAWN, chess.BLACK)))
    white = 0.75 * math.tanh((material + 0.05 * progress) / 10.0)
    if abs(material) >= 4:
        ahead = chess.WHITE if material > 0 else chess.BLACK
        hunted, hunter = board.king(not ahead), board.king(ahead)
        if hunted is not None and hunter is not None:
            edge = max(abs(chess.square_file(hunted) - 3.5), abs(chess.square_rank(hunted) - 3.5))
            near = 7 - chess.square_distance(hunted, hunter)
            mop = 0.12 * (edge - 0.5) / 3.0 + 0.08 * near / 6.0
            white += mop if ahead == chess.WHITE else -mop
    # Against shuffling into a draw (fivefold repetition, the 75-move rule): the estimate fades
    # with the moves since the last capture or pawn move, and on a repeated position.
    white *= 1.0 - board.halfmove_clock / 150.0
    if board.is_repetition(2):
        white *= 0.5
    return [white, -white]
