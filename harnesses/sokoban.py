"""Sokoban harness: the last "Current Board:" grid is the position (``#`` wall, ``_`` floor,
``O`` goal, ``X`` box, ``√`` box on goal, ``P``/``S`` player).

The engine reads the first ``[up|down|left|right|w|a|s|d]`` (ignore-case) in the action. A move
is legal when the next cell is on the board and not a wall, and, if it holds a box, the cell
beyond is on the board and free floor or an empty goal (a box never pushes another box).
"""

import random
import re

GAMES = ["Sokoban-v0", "Sokoban-v0-medium"]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "Sokoban-v0": {
        "command": "autoharness verify Sokoban-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3982,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "Sokoban-v0-medium": {
        "command": "autoharness verify Sokoban-v0-medium --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 4223,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_ACTION = re.compile(r"\[(up|down|left|right|w|a|s|d)\]", re.IGNORECASE)
_ALIAS = {"w": "up", "a": "left", "s": "down", "d": "right"}
_DELTA = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}
_ROW = re.compile(r"^[#_O√XPS](?: [#_O√XPS])*$", re.MULTILINE)


def _board(obs: str) -> list[list[str]]:
    block = obs.rsplit("Current Board:", 1)[-1].split("Available Moves", 1)[0]
    return [line.split() for line in _ROW.findall(block)]


def _legal(board: list[list[str]], move: str) -> bool:
    player = [(r, c) for r, row in enumerate(board) for c, v in enumerate(row) if v in "PS"]
    if not player or move not in _DELTA:
        return False
    (r, c), (dr, dc) = player[0], _DELTA[move]

    def cell(y: int, x: int) -> str:
        return board[y][x] if 0 <= y < len(board) and 0 <= x < len(board[y]) else "#"

    ahead = cell(r + dr, c + dc)
    if ahead in "X√":
        return cell(r + 2 * dr, c + 2 * dc) in "_O"
    return ahead in "_O"


def propose_action(obs: str) -> str:
    board = _board(obs)
    moves = [m for m in _DELTA if _legal(board, m)]
    move = random.choice(moves) if moves else "up"
    if random.random() < 0.3:  # the engine also takes the WASD aliases
        move = {v: k for k, v in _ALIAS.items()}[move]
    return f"[{move}]"


def eval_action(obs: str, action: str) -> bool:
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    m = _ACTION.search(action)
    if m is None:
        return False
    raw = m.group(1).lower()
    return _legal(_board(obs), _ALIAS.get(raw, raw))


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# Breadth-first search over (player, boxes) states, pruning boxes pushed into dead corners (a
# box off the goals against two perpendicular walls can never move again), for the fewest
# moves that put every box on a goal. The engine ends the game after move max_turns + 1 (its
# turn check runs before the counter moves on) and then scores the share of boxes on goals, so
# when no full solution fits in the moves left, the search plays towards the reachable state
# with the most boxes on goals. A goal the player stands on is drawn as "P"; it is recovered
# from earlier boards (or, on the first move, from there being fewer goals than boxes).

_TURN_LIMITS = {6: 30, 8: 50}  # board height -> max_turns of Sokoban-v0 / Sokoban-v0-medium
_MAX_STATES = 15_000
_SOKOBAN_PLANS: dict = {}


def _all_boards(obs: str) -> list[list[list[str]]]:
    boards = []
    for block in obs.split("Current Board:")[1:]:
        rows = [line.split() for line in _ROW.findall(block.split("Available Moves", 1)[0])]
        if rows:
            boards.append(rows)
    return boards


def _layout(obs: str):
    """(walls, goals, boxes, player, moves made) or None."""
    boards = _all_boards(obs)
    if not boards:
        return None
    board = boards[-1]
    walls, goals, boxes, player = set(), set(), set(), None
    for r, row in enumerate(board):
        for c, v in enumerate(row):
            if v == "#":
                walls.add((r, c))
            elif v in "O√":
                goals.add((r, c))
            if v in "X√":
                boxes.add((r, c))
            elif v in "PS":
                player = (r, c)
    for earlier in boards[:-1]:
        for r, row in enumerate(earlier):
            for c, v in enumerate(row):
                if v in "O√":
                    goals.add((r, c))
    if len(goals) < len(boxes) and player is not None:
        goals.add(player)  # the one cell nothing has shown yet
    if player is None or not boxes:
        return None
    return walls, goals, boxes, player, len(boards) - 1, len(board)


def _dead_cells(walls: set, goals: set, height: int, width: int) -> set:
    dead = set()
    for r in range(height):
        for c in range(width):
            if (r, c) in walls or (r, c) in goals:
                continue
            vertical = (r - 1, c) in walls or (r + 1, c) in walls
            horizontal = (r, c - 1) in walls or (r, c + 1) in walls
            if vertical and horizontal:
                dead.add((r, c))
    return dead


def _plan(walls: set, goals: set, boxes: set, player: tuple, moves_left: int,
          height: int, width: int) -> list[str]:
    """Moves to a state with every box on a goal, or else to the reachable state (within
    moves_left) with the most; cells are bits r * width + c of integer masks."""
    dead = _dead_cells(walls, goals, height, width)
    cells = height * width

    def bit(cell: tuple[int, int]) -> int:
        return 1 << (cell[0] * width + cell[1])

    blocked = sum(bit(w) for w in walls if 0 <= w[0] < height and 0 <= w[1] < width)
    dead_mask = sum(bit(d) for d in dead)
    goal_mask = sum(bit(g) for g in goals)
    steps = []  # per cell: (move, neighbour, the cell beyond it) for moves that stay on board
    for index in range(cells):
        r, c = divmod(index, width)
        options = []
        for move, (dr, dc) in _DELTA.items():
            if 0 <= r + dr < height and 0 <= c + dc < width:
                ahead = (r + dr) * width + c + dc
                beyond = (r + 2 * dr) * width + c + 2 * dc
                inside = 0 <= r + 2 * dr < height and 0 <= c + 2 * dc < width
                options.append((move, ahead, beyond if inside else -1))
        steps.append(options)
    start = (player[0] * width + player[1], sum(bit(b) for b in boxes))
    total = len(boxes)
    parent: dict = {start: None}
    frontier, depth = [start], 0
    best, best_placed = start, (start[1] & goal_mask).bit_count()
    while frontier and depth < moves_left and best_placed < total:
        depth += 1
        nxt = []
        for state in frontier:
            at, on = state
            for move, ahead, beyond in steps[at]:
                if blocked >> ahead & 1:
                    continue
                moved = on
                if on >> ahead & 1:
                    if beyond < 0 or (blocked | on | dead_mask) >> beyond & 1:
                        continue
                    moved = on ^ (1 << ahead) ^ (1 << beyond)
                child = (ahead, moved)
                if child in parent:
                    continue
                parent[child] = (state, move)
                placed = (moved & goal_mask).bit_count()
                if placed > best_placed:
                    best, best_placed = child, placed
                    if placed == total:
                        break
                nxt.append(child)
            if best_placed == total or len(parent) > _MAX_STATES:
                break
        if len(parent) > _MAX_STATES:
            break
        frontier = nxt
    moves = []
    state = best
    while parent[state] is not None:
        state, move = parent[state]
        moves.append(move)
    return moves[::-1]


def choose_action(obs: str) -> str:
    layout = _layout(obs)
    if layout is None:
        return propose_action(obs)
    walls, goals, boxes, player, made, height = layout
    width = max((c for _, c in walls), default=0) + 1
    moves_left = _TURN_LIMITS.get(height, 30) + 1 - made
    key = (player, frozenset(boxes), frozenset(goals))
    if key not in _SOKOBAN_PLANS:
        moves = _plan(walls, goals, boxes, player, max(moves_left, 1), height, width)
        if not moves:
            return propose_action(obs)
        if len(_SOKOBAN_PLANS) > 5000:
            _SOKOBAN_PLANS.clear()
        at, on = player, set(boxes)
        for move in moves:
            _SOKOBAN_PLANS[(at, frozenset(on), frozenset(goals))] = move
            dr, dc = _DELTA[move]
            at = (at[0] + dr, at[1] + dc)
            if at in on:
                on = (on - {at}) | {(at[0] + dr, at[1] + dc)}
    move = _SOKOBAN_PLANS[key]
    action = f"[{move}]"
    return action if eval_action(obs, action) else propose_action(obs)
