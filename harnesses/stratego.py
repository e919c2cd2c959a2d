"""Stratego harness: the last "Current Board:" grid (drawn for the player to move) is the position.

Rows are letters A-J, columns digits 0-9. Our pieces show their two-letter rank (SC scout, BM bomb,
FL flag, ...), the opponent's show as "?", lakes as "~". Every piece but a bomb or flag steps one
square orthogonally onto an empty square or an enemy; a scout slides any distance in a straight
line over empty squares (lakes and pieces block) and may end on an enemy. The engine reads the
first ``[A0 B0]`` (one space, case-insensitive). Hidden ranks never matter for legality: where
the opponent's pieces stand is shown, so eval_action is exact.
Engine bugs, which make the engine raise, so such a move is illegal and eval_action rejects it:
- a move *from* a lake square (the engine indexes the lake marker "~" as a piece);
- a move that empties a square where a Miner defused a Bomb. The engine never takes a defused
  bomb's square off its owner's piece list, and after every move it reads the rank of each listed
  square: an empty one raises. A move empties its source square, and its destination when the
  ranks are equal (both pieces die). The battle messages say where bombs were defused and which
  rank stands on such a square since (every piece entering it did so by a battle, which names
  both ranks), so the harness decides this exactly.
"""

import random
import re

GAMES = ["Stratego-v0"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Stratego-v0": {
        "command": "autoharness verify Stratego-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 0.9998,
        "actions": 10000,
        "illegal_actions": 2,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 5458,
        "harness_failures": 0,
        "engine_errors": 2,
    },
}

_ROW = re.compile(r"^[A-J]  (.{40})", re.MULTILINE)
_ACTION = re.compile(r"\[([A-J])([0-9]) ([A-J])([0-9])\]", re.IGNORECASE)
_DIRS = [(-1, 0), (1, 0), (0, -1), (0, 1)]


def _board(obs: str) -> list[list[str]]:
    return [row.split() for row in _ROW.findall(obs.rsplit("Current Board:", 1)[-1])]


def _legal_moves(obs: str) -> set[tuple[int, int, int, int]]:
    """Moves the engine accepts without raising."""
    board, defused = _board(obs), _defused_squares(obs)
    return {m for m in _valid_moves(board) if not _crashes_engine(board, defused, m)}


def _valid_moves(board: list[list[str]]) -> set[tuple[int, int, int, int]]:
    """Moves the rules allow (some of them crash the engine: see ``_crashes_engine``)."""
    moves = set()
    for r, row in enumerate(board):
        for c, piece in enumerate(row):
            if piece in (".", "~", "?", "BM", "FL"):
                continue  # not ours, or immovable
            reach = 10 if piece == "SC" else 1
            for dr, dc in _DIRS:
                for k in range(1, reach + 1):
                    r2, c2 = r + k * dr, c + k * dc
                    if not (0 <= r2 < 10 and 0 <= c2 < 10) or board[r2][c2] not in (".", "?"):
                        break
                    moves.add((r, c, r2, c2))
                    if board[r2][c2] == "?":
                        break  # an attack ends the move
    return moves


_BATTLE = re.compile(
    r"(?:You have moved your piece|Player [01] has moved a piece) from ([A-J]\d) to ([A-J]\d)\."
    r" The attacking piece was (\w+) and the destination piece was (\w+)\. As ([^,.]*)")
_RANK_NAMES = {
    "FL": "Flag", "BM": "Bomb", "SP": "Spy", "SC": "Scout", "MN": "Miner", "SG": "Sergeant",
    "LT": "Lieutenant", "CP": "Captain", "MJ": "Major", "CL": "Colonel", "GN": "General",
    "MS": "Marshal",
}


def _square(name: str) -> tuple[int, int]:
    return ord(name[0].upper()) - 65, int(name[1])


def _defused_squares(obs: str) -> dict[tuple[int, int], str]:
    """Squares where a bomb was defused, each with the rank standing on it now."""
    defused: dict[tuple[int, int], str] = {}
    first = obs.find("miners can defuse")  # a fast scan: the history grows long
    if first < 0:
        return defused
    start = obs.rfind("\n", 0, first) + 1
    for _src, dest, attacker, _defender, why in _BATTLE.findall(obs, start):
        square = _square(dest)
        if why.startswith("miners can defuse"):
            defused[square] = attacker
        elif square in defused and (why.startswith("the attacker is a higher")
                                    or why.startswith("the attacker is a spy")):
            defused[square] = attacker  # the attacker now stands there
    return defused


def _crashes_engine(board: list[list[str]], defused: dict, move: tuple[int, int, int, int]) -> bool:
    """Would this (otherwise valid) move empty a defused bomb's square?"""
    r1, c1, r2, c2 = move
    if (r1, c1) in defused:
        return True  # the piece leaves (or dies on) that square
    mine = _RANK_NAMES.get(board[r1][c1])
    return (r2, c2) in defused and board[r2][c2] == "?" and defused[(r2, c2)] == mine


def _name(r: int, c: int) -> str:
    return f"{'ABCDEFGHIJ'[r]}{c}"


# -- proposals: keep both sides able to move -------------------------------------------------
# The engine does not end the game for a side left without a move: Player 1 without movable
# pieces (its winner check returns player id 0, which reads as "no winner"), or a side whose
# last movable pieces are boxed in or stand on defused squares (moving them crashes). The harness
# plays both seats, so when either side is down to a few pieces that can move, proposals avoid
# battles (each can cost a movable piece) while a quiet move exists, and prefer quiet moves that
# keep many of their own pieces able to move. The opponent's count: it started with 6 bombs and a
# flag, only defusal removes a bomb, and its pieces seen moving are the ones known to move.
FEW_MOVABLE = 3
LATE_GAME = 12  # opponent pieces that may move, at most, before its movers are tracked
BOMBS_AND_FLAG = 7
_MOVE_LINE = re.compile(
    r"(You have moved your piece|Player [01] has moved a piece) from ([A-J]\d) to ([A-J]\d)\."
    r"(?: The attacking piece was \w+ and the destination piece was \w+\. As ([^,.]*))?")
_ATTACKER_WINS = ("miners can defuse", "the attacker is a spy", "the attacker is a higher")


def _movers(board: list[list[str]], defused: dict, quiet_only: bool = False) -> int:
    """How many of our pieces have a move that the engine accepts (onto an empty square)."""
    return len({m[:2] for m in _valid_moves(board)
                if not _crashes_engine(board, defused, m)
                and (not quiet_only or board[m[2]][m[3]] == ".")})


def _their_movable(board: list[list[str]], defused: dict, bombs_defused: int) -> int:
    """How many of the opponent's pieces could move: all, less bombs, flag and frozen ones."""
    on_board = sum(row.count("?") for row in board)
    frozen = sum(1 for (r, c) in defused if board[r][c] == "?")
    return on_board - (BOMBS_AND_FLAG - bombs_defused) - frozen


def _their_known_movers(obs: str, defused: dict) -> int:
    """Opponent pieces on the board that have been seen moving (and are not frozen)."""
    moved: set[tuple[int, int]] = set()
    for line in obs.split("\n[GAME] "):
        if not line.startswith(("You have moved", "Player 0 has moved", "Player 1 has moved")):
            continue
        match = _MOVE_LINE.match(line)
        if not match:
            continue
        who, src, dest, why = match.groups()
        src, dest = _square(src), _square(dest)
        attacker_wins = why is None or why.startswith(_ATTACKER_WINS)
        if who.startswith("You"):
            if attacker_wins or why.startswith("the ranks are the same"):
                moved.discard(dest)
        else:
            moved.discard(src)
            if attacker_wins:
                moved.add(dest)
    return len(moved - set(defused))


def _after_quiet(board: list[list[str]], move: tuple[int, int, int, int]) -> list[list[str]]:
    r1, c1, r2, c2 = move
    after = [list(row) for row in board]
    after[r2][c2], after[r1][c1] = after[r1][c1], "."
    return after


def _endgame(obs: str, board: list[list[str]], defused: dict) -> bool:
    if _movers(board, defused) <= FEW_MOVABLE:
        return True
    bombs_defused = len(re.findall(r"You have moved your piece[^\n]*miners can defuse",
                                   obs)) if defused else 0
    movable = _their_movable(board, defused, bombs_defused)
    return movable <= FEW_MOVABLE + 1 or (
        movable <= LATE_GAME and _their_known_movers(obs, defused) <= FEW_MOVABLE + 1)


def propose_action(obs: str) -> str:
    board, defused = _board(obs), _defused_squares(obs)
    moves = sorted(m for m in _valid_moves(board) if not _crashes_engine(board, defused, m))
    if not moves:
        return "[A0 B0]"  # nothing is accepted here
    random.shuffle(moves)
    move = moves[0]
    quiet = [m for m in moves if board[m[2]][m[3]] == "."]
    if quiet and _endgame(obs, board, defused):
        # Keep as many pieces as possible able to step onto an empty square.
        move = max(quiet, key=lambda m: min(
            _movers(_after_quiet(board, m), defused, quiet_only=True), FEW_MOVABLE + 1))
    r1, c1, r2, c2 = move
    return f"[{_name(r1, c1)} {_name(r2, c2)}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    match = _ACTION.search(action)
    if not match:
        return False
    r1, c1, r2, c2 = match.groups()
    move = (ord(r1.upper()) - 65, int(c1), ord(r2.upper()) - 65, int(c2))
    return move in _legal_moves(obs)
