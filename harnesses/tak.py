"""Tak harness: the last "Current Board:" printed in the observation is the position.

Board cells read ``(n) bottom/.../top`` (pieces like F0, W1, C0; any name starting with F/W/C and
ending in the owner's digit is a piece); the player's stones and capstones left follow the board.
Actions are sent as-is (no bracket wrapping). The engine finds ``[place|move (r,c)|() {...}]``,
quotes every word of the ``{...}`` part and ``ast.literal_eval``s it; this file mirrors that with
a small literal parser. Rules as the engine checks them (quirks included):
* place: one target, one piece, on an empty in-board square; the piece's type letter F/W/C needs
  a stone/capstone left; its last character must be the player's id.
* move: the source's top piece is the player's; the listed pieces, concatenated in order, equal the
  top of the source stack (no carry limit). One piece: the first key (even if its list is empty)
  is the target, orthogonally adjacent and in board; flats and walls cannot land on a wall or a
  capstone, a capstone cannot land on a capstone (it flattens walls). Several pieces: the i-th key
  is at Manhattan distance i from the source (no straight-line rule), in board, and is not topped
  by a wall or a capstone.
Where the engine raises (e.g. an empty piece list, a 3-number square) the action is not a legal
move, and eval_action rejects it. After every action (even a rejected one) the engine checks
whether the MOVER now has a road (the check mirrors the engine's own road search, quirks
included). The two engine profiles (module constant ``ENGINE_PROFILE``, "stock" when absent):
* stock (textarena 0.7.4): the engine declares the winner with ``set_winner(player_ids=...)``,
  which raises, so a road-completing move is rejected. A move that completes a road for the
  opponent only leaves the opponent with few actions that do not raise (those that break the
  road), so proposals avoid giving either side a road, and leaving the opponent neither a stack
  it can step nor a piece and an empty square to place it on (no action at all).
* fixed (upstream PR #179): the road builder wins, so a road-completing move is legal and
  proposals play one when a placement or one-piece step makes it.
Piece lists using escapes or triple quotes are judged as well as this small parser allows.
"""

import random
import re
from typing import Any

GAMES = ["Tak-v0", "Tak-v0-medium", "Tak-v0-hard"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Tak-v0": {
        "command": "autoharness verify Tak-v0 --seeds 10 --steps 1000",
        "date": "2026-12-03",
        "engine": "stock",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 21411,
        "harness_failures": 0,
        "engine_errors": 0,
        "engine_error_accepts": 0,
        "illegal_stuck": 0,
        "illegal_undecidable": 0,
        "undecidable_false_accepts": 0,
        "undecidable_false_rejects": 0,
        "h": 1.0,
        "proposer_legal_rate": 1.0,
        "verifier_agreement": 1.0,
        "narrow_proposer": 0,
        "probe_budget": {
            "positions": 300,
            "vocabulary_probes": 4800,
            "diversity_samples": 16,
            "new_listed": 12,
        },
        "engine_fixed": {
            "command": "autoharness verify Tak-v0 --seeds 10 --steps 1000 --engine fixed",
            "date": "2026-12-03",
            "engine": "fixed",
            "legal_rate": 1.0,
            "actions": 10000,
            "illegal_actions": 0,
            "false_accepts": 0,
            "false_rejects": 0,
            "false_reject_rate": 0.0,
            "stress_checks": 21443,
            "harness_failures": 0,
            "engine_errors": 0,
            "engine_error_accepts": 0,
            "illegal_stuck": 0,
            "illegal_undecidable": 0,
            "undecidable_false_accepts": 0,
            "undecidable_false_rejects": 0,
            "h": 1.0,
            "proposer_legal_rate": 1.0,
            "verifier_agreement": 1.0,
            "narrow_proposer": 0,
            "probe_budget": {
                "positions": 300,
                "vocabulary_probes": 4800,
                "diversity_samples": 16,
                "new_listed": 12,
            },
        },
    },
    "Tak-v0-hard": {
        "command": "autoharness verify Tak-v0-hard --seeds 10 --steps 1000",
        "date": "2026-12-03",
        "engine": "stock",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 22286,
        "harness_failures": 0,
        "engine_errors": 0,
        "engine_error_accepts": 0,
        "illegal_stuck": 0,
        "illegal_undecidable": 0,
        "undecidable_false_accepts": 0,
        "undecidable_false_rejects": 0,
        "h": 1.0,
        "proposer_legal_rate": 1.0,
        "verifier_agreement": 1.0,
        "narrow_proposer": 0,
        "probe_budget": {
            "positions": 300,
            "vocabulary_probes": 4800,
            "diversity_samples": 16,
            "new_listed": 12,
        },
        "engine_fixed": {
            "command": "autoharness verify Tak-v0-hard --seeds 10 --steps 1000 --engine fixed",
            "date": "2026-12-03",
            "engine": "fixed",
            "legal_rate": 1.0,
            "actions": 10000,
            "illegal_actions": 0,
            "false_accepts": 0,
            "false_rejects": 0,
            "false_reject_rate": 0.0,
            "stress_checks": 21733,
            "harness_failures": 0,
            "engine_errors": 0,
            "engine_error_accepts": 0,
            "illegal_stuck": 0,
            "illegal_undecidable": 0,
            "undecidable_false_accepts": 0,
            "undecidable_false_rejects": 0,
            "h": 1.0,
            "proposer_legal_rate": 1.0,
            "verifier_agreement": 1.0,
            "narrow_proposer": 0,
            "probe_budget": {
                "positions": 300,
                "vocabulary_probes": 4800,
                "diversity_samples": 16,
                "new_listed": 12,
            },
        },
    },
    "Tak-v0-medium": {
        "command": "autoharness verify Tak-v0-medium --seeds 10 --steps 1000",
        "date": "2026-12-03",
        "engine": "stock",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 21975,
        "harness_failures": 0,
        "engine_errors": 0,
        "engine_error_accepts": 0,
        "illegal_stuck": 0,
        "illegal_undecidable": 0,
        "undecidable_false_accepts": 0,
        "undecidable_false_rejects": 0,
        "h": 1.0,
        "proposer_legal_rate": 1.0,
        "verifier_agreement": 1.0,
        "narrow_proposer": 0,
        "probe_budget": {
            "positions": 300,
            "vocabulary_probes": 4800,
            "diversity_samples": 16,
            "new_listed": 12,
        },
        "engine_fixed": {
            "command": "autoharness verify Tak-v0-medium --seeds 10 --steps 1000 --engine fixed",
            "date": "2026-12-03",
            "engine": "fixed",
            "legal_rate": 1.0,
            "actions": 10000,
            "illegal_actions": 0,
            "false_accepts": 0,
            "false_rejects": 0,
            "false_reject_rate": 0.0,
            "stress_checks": 21777,
            "harness_failures": 0,
            "engine_errors": 0,
            "engine_error_accepts": 0,
            "illegal_stuck": 0,
            "illegal_undecidable": 0,
            "undecidable_false_accepts": 0,
            "undecidable_false_rejects": 0,
            "h": 1.0,
            "proposer_legal_rate": 1.0,
            "verifier_agreement": 1.0,
            "narrow_proposer": 0,
            "probe_budget": {
                "positions": 300,
                "vocabulary_probes": 4800,
                "diversity_samples": 16,
                "new_listed": 12,
            },
        },
    },
}


_ACTION = re.compile(r"\[(place|move)\s\((\d+,\d+|\s*)\)\s({.*?})\]")  # the engine's own regex
_WORD = re.compile(r"\b([A-Za-z0-9_]+)\b")
_ME = re.compile(r"You are Player (\d) in Tak\.")
_LEFT = re.compile(r"Available Flat Stones: (\d+), Available Capstones: (\d+)")

Board = list[list[list[str]]]
_PROFILE = globals().get("ENGINE_PROFILE", "stock")  # the runtime defines it; plain import: stock


# -- the engine's literal_eval of the quoted allocation, in miniature ---------------------------
class _Bad(Exception):
    pass


def _literal(text: str) -> Any:
    """Python-literal value of ``text`` (strings, tuples, lists, dicts, sets); _Bad otherwise."""
    if "\\" in text or "'''" in text or '"""' in text:
        raise _Bad
    tokens = re.findall(r"'[^'\n]*'|\"[^\"\n]*\"|[()\[\]{},:]|\s+|.", text)
    tokens = [t for t in tokens if not t.isspace()]
    value, end = _parse(tokens, 0)
    if end != len(tokens):
        raise _Bad
    return value


def _parse(tokens: list[str], i: int) -> tuple[Any, int]:
    if i >= len(tokens):
        raise _Bad
    tok = tokens[i]
    if tok[0] in "'\"" and len(tok) >= 2:  # adjacent string literals concatenate
        parts = []
        while i < len(tokens) and tokens[i][0] in "'\"" and len(tokens[i]) >= 2:
            parts.append(tokens[i][1:-1])
            i += 1
        return "".join(parts), i
    closer = {"(": ")", "[": "]", "{": "}"}.get(tok)
    if closer is None:
        raise _Bad
    items: list[Any] = []
    pairs: list[tuple[Any, Any]] = []
    i += 1
    comma = False
    while tokens[i:i + 1] != [closer]:
        key, i = _parse(tokens, i)
        if tok == "{" and tokens[i:i + 1] == [":"] and not items:
            value, i = _parse(tokens, i + 1)
            pairs.append((key, value))
        elif pairs:
            raise _Bad
        else:
            items.append(key)
        comma = tokens[i:i + 1] == [","]
        if comma:
            i += 1
        elif tokens[i:i + 1] != [closer]:
            raise _Bad
    i += 1
    try:
        if tok == "(":
            return (items[0] if len(items) == 1 and not comma else tuple(items)), i
        if tok == "[":
            return items, i
        return (dict(pairs) if pairs or not items else set(items)), i
    except TypeError:  # unhashable key
        raise _Bad from None


def _allocation(text: str) -> dict[tuple, list[str]] | None:
    """The engine's _convert_to_dict, or None where it (or literal_eval) fails."""
    try:
        parsed = _literal(_WORD.sub(lambda m: f"'{m.group(0)}'", text))
        return {tuple(int(k) if k.isdigit() else k for k in key): [str(v) for v in value]
                for key, value in parsed.items()}
    except Exception:
        return None


# -- the position ----------------------------------------------------------------------------
def _position(obs: str) -> tuple[int, Board, int, int]:
    """(player id, board rows of bottom-to-top stacks, stones left, capstones left)."""
    me = _ME.search(obs)
    text = obs.rsplit("Current Board:", 1)[-1]
    board = []
    for line in text.split("\n"):
        parts = line.split("|")
        if len(parts) > 2 and parts[0].strip().isdigit():
            board.append([cell.split(") ", 1)[1].split("/") if cell.strip() else []
                          for cell in (p.strip() for p in parts[1:-1])])
    left = _LEFT.search(text)
    stones, caps = (int(left.group(1)), int(left.group(2))) if left else (0, 0)
    return (int(me.group(1)) if me else 0), board, stones, caps


# -- the engine's rules ------------------------------------------------------------------------
def _legal(position: tuple[int, Board, int, int], action: str) -> bool:
    """Does the engine accept ``action`` without raising? (On stock a road for the mover raises.)"""
    checked = _checked(position, action)
    if checked is None:
        return False
    if _PROFILE == "fixed":
        return True
    me, board, _stones, _caps = position
    return not _has_road(_applied(board, *checked), me)


def _wins(position: tuple[int, Board, int, int], action: str) -> bool:
    """Allowed, and leaves the mover a road (on the fixed engine the mover then wins)."""
    checked = _checked(position, action)
    return checked is not None and _has_road(_applied(position[1], *checked), position[0])


def _checked(position: tuple[int, Board, int, int],
             action: str) -> tuple[str, tuple[int, int] | None, dict] | None:
    """(kind, source, allocation) of an action the rules allow, else None (rejected, or one on
    which the engine's checks raise)."""
    match = _ACTION.search(action)
    if not match:
        return None
    kind, source_text, allocation_text = match.groups()
    allocation = _allocation(allocation_text)
    if allocation is None:
        return None
    me, board, stones, caps = position
    size = len(board)
    try:
        if kind == "place":
            ok = _legal_place(board, me, stones, caps, allocation)
            return (kind, None, allocation) if ok else None
        if not source_text.strip():
            return None
        sr, sc = map(int, source_text.split(","))
        ok = _legal_move(board, me, sr, sc, allocation, size)
        return (kind, (sr, sc), allocation) if ok else None
    except (TypeError, ValueError, IndexError):  # the engine raises here: not a legal move
        return None


def _applied(board: Board, kind: str, source: tuple[int, int] | None, allocation: dict) -> Board:
    """The board after an allowed action, as the engine's _apply_placement/_apply_movement."""
    after = [[list(stack) for stack in row] for row in board]
    if kind == "place":
        (row, col), piece = next(iter(allocation.items()))
        after[row][col].extend(piece)
        return after
    sr, sc = source
    pieces = [p for values in allocation.values() for p in values]
    stack = after[sr][sc]
    if len(pieces) == 1:
        tr, tc = next(iter(allocation))
        if after[tr][tc] and stack[-1][0] == "C" and after[tr][tc][-1][0] == "W":
            after[tr][tc][-1] = "F" + after[tr][tc][-1][1]  # the capstone flattens the wall
        after[tr][tc].extend(pieces)
    else:
        for (tr, tc), group in allocation.items():
            after[tr][tc].extend(group)
    after[sr][sc] = stack[:-len(pieces)]
    return after


def _has_road(board: Board, player: int) -> bool:
    """The engine's _check_win, step for step (one visited set shared by every start, so it can
    miss a left-right road in a group it already explored from the top edge)."""
    size = len(board)
    visited: set[tuple[int, int]] = set()

    def counts(r: int, c: int) -> bool:
        if 0 <= r < size and 0 <= c < size:
            stack = board[r][c]
            return bool(stack) and stack[-1].endswith(str(player)) and stack[-1][0] in "FC"
        return False

    def search(r: int, c: int, edges: set[str]) -> bool:
        if (r, c) in visited:
            return False
        visited.add((r, c))
        if r == 0:
            edges.add("top")
        if r == size - 1:
            edges.add("bottom")
        if c == 0:
            edges.add("left")
        if c == size - 1:
            edges.add("right")
        if {"top", "bottom"} <= edges or {"left", "right"} <= edges:
            return True
        return any(counts(r + dr, c + dc) and search(r + dr, c + dc, set(edges))
                   for dr, dc in ((0, 1), (1, 0), (0, -1), (-1, 0)))

    return (any(counts(0, c) and search(0, c, {"top"}) for c in range(size))
            or any(counts(r, 0) and search(r, 0, {"left"}) for r in range(size)))


def _top(board: Board, r: int, c: int) -> str:
    stack = board[r][c]
    return stack[-1][0] if stack else ""


def _legal_place(board: Board, me: int, stones: int, caps: int, allocation: dict) -> bool:
    if len(allocation) != 1:
        return False
    (row, col), piece = next(iter(allocation.items()))
    if piece[0][0] == "C" and caps == 0 or piece[0][0] in "FW" and stones == 0:
        return False
    if not (0 <= row < len(board) and 0 <= col < len(board)) or len(piece) != 1:
        return False
    return not board[row][col] and piece[0][0] in "FWC" and piece[0][-1] == str(me)


def _legal_move(board: Board, me: int, sr: int, sc: int, allocation: dict, size: int) -> bool:
    if sr >= size or sc >= size or not board[sr][sc] or board[sr][sc][-1][-1] != str(me):
        return False
    stack = board[sr][sc]
    pieces = [p for values in allocation.values() for p in values]
    if pieces != stack[-len(pieces):]:
        return False
    mover = stack[-1][0]
    if len(pieces) == 1:
        tr, tc = next(iter(allocation))
        if abs(tr - sr) + abs(tc - sc) != 1 or tr >= size or tc >= size:
            return False
        below = _top(board, tr, tc)
        return not (mover == "C" and below == "C" or mover in "WF" and below in ("W", "C"))
    for i, (tr, tc) in enumerate(allocation):
        if abs(tr - sr) + abs(tc - sc) != i + 1 or tr >= size or tc >= size:
            return False
        if _top(board, tr, tc) in ("C", "W"):
            return False
    return True


# -- harness API --------------------------------------------------------------------------------
_STEPS = ((0, 1), (1, 0), (0, -1), (-1, 0))


def _random_move(board: Board, me: int, stones: int, caps: int) -> str | None:
    size = len(board)
    empty = [(r, c) for r in range(size) for c in range(size) if not board[r][c]]
    mine = [(r, c) for r in range(size) for c in range(size)
            if board[r][c] and board[r][c][-1][-1] == str(me)]
    kinds = [k for k, ok in (("F", stones), ("W", stones), ("C", caps)) if ok and empty]
    if kinds and (not mine or random.random() < 0.6):
        r, c = random.choice(empty)
        return f"[place () {{({r},{c}): [{random.choice(kinds)}{me}]}}]"
    if not mine:
        return None
    sr, sc = random.choice(mine)
    stack = board[sr][sc]
    carry = random.randint(1, len(stack))
    dr, dc = random.choice(_STEPS)
    cuts = sorted(random.sample(range(1, carry), random.randint(0, carry - 1)))
    carried = stack[len(stack) - carry:]  # dropped bottom first, one group per square
    groups = [carried[a:b] for a, b in zip([0, *cuts], [*cuts, carry], strict=True)]
    targets = {(sr + dr * (i + 1), sc + dc * (i + 1)): g for i, g in enumerate(groups)}
    body = ", ".join(f"({r},{c}): [{', '.join(g)}]" for (r, c), g in targets.items())
    return f"[move ({sr},{sc}) {{{body}}}]"


def _roadless(position: tuple[int, Board, int, int], action: str, *,
              opponent_moves: bool = False) -> bool:
    """Legal, and leaves no road for either side (the opponent's would crash its next turn);
    with ``opponent_moves``, also leaves the opponent something to do."""
    checked = _checked(position, action)
    if checked is None:
        return False
    me, board, _stones, _caps = position
    after = _applied(board, *checked)
    if _has_road(after, me) or _has_road(after, 1 - me):
        return False
    return not opponent_moves or _can_act(after, 1 - me)


_PIECES = {4: 16, 5: 22, 6: 31}  # stones + one capstone per player: Tak-v0, -medium, -hard


def _can_act(board: Board, player: int) -> bool:
    """Can ``player`` step a stack it tops onto a neighbour, or place a piece left on an empty
    square? Without either no action is legal, and the engine still asks for one."""
    size = len(board)
    for r, row in enumerate(board):
        for c, stack in enumerate(row):
            if not stack or not stack[-1].endswith(str(player)):
                continue
            for dr, dc in _STEPS:
                if 0 <= r + dr < size and 0 <= c + dc < size:
                    below = _top(board, r + dr, c + dc)
                    if below in ("", "F") or stack[-1][0] == "C" and below == "W":
                        return True
    placed = sum(piece.endswith(str(player)) for row in board for stack in row for piece in stack)
    return placed < _PIECES.get(size, 0) and any(not stack for row in board for stack in row)


def _simple_actions(board: Board, me: int) -> list[str]:
    """Every placement and one-piece step (one is legal if any move is)."""
    size = len(board)
    squares = [(r, c) for r in range(size) for c in range(size)]
    simple = [f"[place () {{({r},{c}): [{kind}{me}]}}]" for r, c in squares for kind in "FWC"]
    simple += [f"[move ({r},{c}) {{({r + dr},{c + dc}): [{board[r][c][-1]}]}}]"
               for r, c in squares if board[r][c] for dr, dc in _STEPS]
    return simple


def _road_actions(position: tuple[int, Board, int, int]) -> list[str]:
    """Placements and in-board one-piece steps after which the mover has a road, found on the
    board itself (parsing every candidate is too slow on the 6x6 board)."""
    me, board, stones, caps = position
    size = len(board)
    flat = f"F{me}" if stones else f"C{me}" if caps else None  # a wall makes no road
    found = []
    for r in range(size):
        for c in range(size):
            stack = board[r][c]
            if not stack:
                if flat:
                    stack.append(flat)
                    if _has_road(board, me):
                        found.append(f"[place () {{({r},{c}): [{flat}]}}]")
                    stack.pop()
                continue
            for dr, dc in _STEPS:
                target, allocation = (r + dr, c + dc), {(r + dr, c + dc): [stack[-1]]}
                if (0 <= target[0] < size and 0 <= target[1] < size
                        and _legal_move(board, me, r, c, allocation, size)
                        and _has_road(_applied(board, "move", (r, c), allocation), me)):
                    found.append(f"[move ({r},{c}) {{({target[0]},{target[1]}): [{stack[-1]}]}}]")
    return found


def propose_action(obs: str) -> str:
    position = _position(obs)
    me, board, stones, caps = position
    if _PROFILE == "fixed":  # a road wins there: take one
        wins = [action for action in _road_actions(position) if _wins(position, action)]
        if wins:
            return random.choice(wins)
    for _ in range(20):  # mostly random placements and carries, split in every way
        action = _random_move(board, me, stones, caps)
        if action and _roadless(position, action, opponent_moves=True):
            return action
    simple = _simple_actions(board, me)
    legal = ([action for action in simple if _roadless(position, action, opponent_moves=True)]
             or [action for action in simple if _roadless(position, action)]
             or [action for action in simple if _legal(position, action)])
    return random.choice(legal) if legal else f"[place () {{(0,0): [F{me}]}}]"


def eval_action(obs: str, action: str) -> bool:
    return _legal(_position(obs), action)
