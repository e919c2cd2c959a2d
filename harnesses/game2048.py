"""2048 harness: the last framed board in the observation (rows ``|  2      .   |``) is
the position.

A move is one of Up/Down/Left/Right (or W/S/A/D), any case. The engine scans the bracket groups
``[...]`` from the last one backwards and, inside each, the words from the last backwards, taking
the first direction word it meets; an action without brackets is wrapped first. A direction is
legal only if it changes the board: some tile can slide into a gap or merge with an equal one.
"""

import random
import re

GAMES = [
    "2048-v0",
    "2048-v0-easy",
    "2048-v0-extreme",
    "2048-v0-hard",
    "2048-v0-mega-easy",
    "2048-v0-super-easy",
    "2048-v0-ultra-easy",
    "2048-v0-very-easy",
    "2048-v0-very-hard",
]
PROVENANCE = {
    "method": "hand-written",
    "notes": "written by hand against the engine oracle, with `autoharness verify` as feedback",
}
VERIFIED = {
    "2048-v0": {
        "command": "autoharness verify 2048-v0 --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-easy": {
        "command": "autoharness verify 2048-v0-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-extreme": {
        "command": "autoharness verify 2048-v0-extreme --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-hard": {
        "command": "autoharness verify 2048-v0-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-mega-easy": {
        "command": "autoharness verify 2048-v0-mega-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3210,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-super-easy": {
        "command": "autoharness verify 2048-v0-super-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3161,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-ultra-easy": {
        "command": "autoharness verify 2048-v0-ultra-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3087,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-very-easy": {
        "command": "autoharness verify 2048-v0-very-easy --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3214,
        "harness_failures": 0,
        "engine_errors": 0,
    },
    "2048-v0-very-hard": {
        "command": "autoharness verify 2048-v0-very-hard --seeds 10 --steps 1000",
        "date": "2026-11-22",
        "legal_rate": 1.0,
        "actions": 10000,
        "illegal_actions": 0,
        "false_accepts": 0,
        "false_rejects": 0,
        "false_reject_rate": 0.0,
        "stress_checks": 3123,
        "harness_failures": 0,
        "engine_errors": 0,
    },
}

_GROUP = re.compile(r"\[[^\[\]]*\]")
_WORD = re.compile(r"\b\w+\b")
_DIRECTIONS = {"UP": "Up", "W": "Up", "DOWN": "Down", "S": "Down",
               "LEFT": "Left", "A": "Left", "RIGHT": "Right", "D": "Right"}


def _board(obs: str) -> list[list[int]]:
    """The last board printed: rows between the ``+---+`` frame lines, '.' as 0."""
    frame = obs.rsplit("Score:", 1)[-1]
    rows = [line.strip()[1:-1].split() for line in frame.splitlines()
            if line.startswith("|") and line.rstrip().endswith("|")]
    return [[0 if cell == "." else int(cell) for cell in row] for row in rows]


def _line_moves(line: list[int]) -> bool:
    """Does sliding this line towards index 0 change it (a gap before a tile, or a merge)?"""
    tiles = [v for v in line if v]
    if line[: len(tiles)] != tiles:
        return True
    return any(a == b for a, b in zip(tiles, tiles[1:], strict=False))


def _legal_moves(board: list[list[int]]) -> list[str]:
    columns = [list(col) for col in zip(*board, strict=True)]
    lines = {"Left": board, "Right": [row[::-1] for row in board],
             "Up": columns, "Down": [col[::-1] for col in columns]}
    return [d for d, ls in lines.items() if any(_line_moves(line) for line in ls)]


def _parse(action: str) -> str | None:
    """The direction the engine reads from ``action``, or None."""
    if "[" not in action and "]" not in action:
        action = f"[{action}]"
    for group in reversed(_GROUP.findall(action)):
        for word in reversed(_WORD.findall(group[1:-1])):
            if word.upper() in _DIRECTIONS:
                return _DIRECTIONS[word.upper()]
    return None


def propose_action(obs: str) -> str:
    legal = _legal_moves(_board(obs))
    return f"[{random.choice(legal)}]" if legal else "[Up]"


def eval_action(obs: str, action: str) -> bool:
    direction = _parse(action)
    return direction is not None and direction in _legal_moves(_board(obs))


# ---- world model (hand-written; checked by `autoharness verify --world-model`) -----------------
# Separate from the code above (its own helpers, prefixed _wm_). State: (n, cells, score, target,
# seed): cells the last framed board row by row (0 = empty), score the "Score:" above it, n and
# the target tile from the rules. Chance: after a move that changes the board the engine puts a 2
# (90 %) or a 4 (10 %) on a uniformly chosen empty cell; the world model draws it from
# random.Random(seed) and keeps a fresh seed in the state, so ``apply`` is deterministic. A
# parsed state has seed None (then the draw is seeded from the position); ``sample_state`` sets
# it. The game ends when a tile reaches the target (reward 1) or no move is left (reward: half the
# score over 1.5x the least score that makes the target, half the largest tile over the target).

_WM_RULES = re.compile(r"playing 2048 on a (\d+)x\d+ board\. Your goal is to reach a (\d+) tile")
_WM_SCORE = re.compile(r"Score: (\d+)")
_WM_GROUP = re.compile(r"\[[^\[\]]*\]")
_WM_WORD = re.compile(r"\b\w+\b")
_WM_NAMES = {"UP": "up", "W": "up", "DOWN": "down", "S": "down", "LEFT": "left", "A": "left",
             "RIGHT": "right", "D": "right"}


_WM_ACTIONS: dict = {}  # action text -> direction read from it (bounded)


def _wm_direction(action: str) -> str | None:
    if action in _WM_ACTIONS:
        return _WM_ACTIONS[action]
    if len(_WM_ACTIONS) > 10_000:
        _WM_ACTIONS.clear()
    direction = _WM_ACTIONS[action] = _wm_read_direction(action)
    return direction


def _wm_read_direction(action: str) -> str | None:
    for group in reversed(_WM_GROUP.findall(action)):
        for word in reversed(_WM_WORD.findall(group[1:-1])):
            if word.upper() in _WM_NAMES:
                return _WM_NAMES[word.upper()]
    return None


def _wm_lines(n: int, direction: str) -> list[list[int]]:
    """Cell indices of each line, in the order tiles slide along it."""
    if direction == "left":
        return [[r * n + c for c in range(n)] for r in range(n)]
    if direction == "right":
        return [[r * n + c for c in reversed(range(n))] for r in range(n)]
    if direction == "up":
        return [[r * n + c for r in range(n)] for c in range(n)]
    return [[r * n + c for r in reversed(range(n))] for c in range(n)]


# Caches for the planner's speed (pure functions of their keys; bounded): the lines of a board
# size and direction, a line's slide, a board's slide.
_WM_LINE_CACHE: dict = {}
_WM_ROW_CACHE: dict = {}
_WM_SLIDE_CACHE: dict = {}


def _wm_slide_line(tiles: tuple) -> tuple[tuple, int]:
    """One line slid towards its first cell: (the new line, the score gained)."""
    known = _WM_ROW_CACHE.get(tiles)
    if known is not None:
        return known
    values = [v for v in tiles if v]
    merged, gained, i = [], 0, 0
    while i < len(values):
        if i + 1 < len(values) and values[i] == values[i + 1]:
            merged.append(values[i] * 2)
            gained += values[i] * 2
            i += 2
        else:
            merged.append(values[i])
            i += 1
    known = (tuple(merged + [0] * (len(tiles) - len(merged))), gained)
    if len(_WM_ROW_CACHE) > 100_000:
        _WM_ROW_CACHE.clear()
    _WM_ROW_CACHE[tiles] = known
    return known


def _wm_slide(n: int, cells: tuple, direction: str) -> tuple[tuple, int]:
    key = (n, cells, direction)
    known = _WM_SLIDE_CACHE.get(key)
    if known is not None:
        return known
    lines = _WM_LINE_CACHE.get((n, direction))
    if lines is None:
        lines = _WM_LINE_CACHE[(n, direction)] = _wm_lines(n, direction)
    board, gained = list(cells), 0
    for line in lines:
        slid, line_gain = _wm_slide_line(tuple(map(cells.__getitem__, line)))
        gained += line_gain
        for index, tile in zip(line, slid, strict=True):
            board[index] = tile
    known = (tuple(board), gained)
    if len(_WM_SLIDE_CACHE) > 200_000:
        _WM_SLIDE_CACHE.clear()
    _WM_SLIDE_CACHE[key] = known
    return known


def _wm_stuck(n: int, cells: tuple) -> bool:
    if 0 in cells:
        return False
    for r in range(n):
        for c in range(n):
            v = cells[r * n + c]
            if c + 1 < n and cells[r * n + c + 1] == v or r + 1 < n and cells[(r + 1) * n + c] == v:
                return False
    return True


def _wm_completion(cells: tuple, score: int, target: int) -> float:
    if max(cells) >= target:
        return 1.0
    least, tile = 0, target
    while tile > 2:
        least, tile = least + tile, tile // 2
    return float(min(1.0, 0.5 * score / (least * 1.5) + 0.5 * max(cells) / target))


def parse_state(obs: str) -> tuple:
    rules = _WM_RULES.search(obs)
    n, target = (int(rules.group(1)), int(rules.group(2))) if rules else (4, 2048)
    scores = _WM_SCORE.findall(obs)
    board = _board(obs)
    cells = tuple(v for row in board for v in row) if len(board) == n else (0,) * (n * n)
    return (n, cells, int(scores[-1]) if scores else 0, target, None)


_WM_LAST_PARSE: dict = {}  # the last observation parsed by sample_state (the planner's root)


def sample_state(obs: str, seed: int) -> tuple:
    parsed = _WM_LAST_PARSE.get(obs)
    if parsed is None:
        _WM_LAST_PARSE.clear()
        parsed = _WM_LAST_PARSE[obs] = parse_state(obs)
    return parsed[:4] + (int(seed),)


def is_terminal(state: tuple) -> bool:
    n, cells, _score, target, _seed = state
    return max(cells) >= target or _wm_stuck(n, cells)


def legal_actions(state: tuple) -> list[str]:
    if is_terminal(state):
        return []
    n, cells = state[0], state[1]
    return [f"[{d}]" for d in ("up", "down", "left", "right") if _wm_slide(n, cells, d)[0] != cells]


def apply(state: tuple, action: str) -> tuple:
    n, cells, score, target, seed = state
    direction = _wm_direction(action if "[" in action or "]" in action else f"[{action}]")
    slid, gained = _wm_slide(n, cells, direction) if direction else (cells, 0)
    if slid == cells:
        raise ValueError(f"{action} does not change the board")
    rng = random.Random(seed if seed is not None else hash((cells, score)))
    empties = [i for i, v in enumerate(slid) if v == 0]
    board = list(slid)
    board[rng.choice(empties)] = 4 if rng.random() < 0.1 else 2
    next_seed = rng.getrandbits(62) if seed is not None else None
    return (n, tuple(board), score + gained, target, next_seed)


def current_player(state: tuple) -> int:
    return 0


def returns(state: tuple) -> list[float]:
    n, cells, score, target, _seed = state
    if not is_terminal(state):
        return [0.0]
    return [_wm_completion(cells, score, target)]


def value(state: tuple) -> list[float]:
    return [_wm_completion(state[1], state[2], state[3])]


# ---- policy: choose_action (hand-written) -------------------------------------------------------
# Expectimax over moves and tile spawns (a 2 with probability 0.9, a 4 with 0.1, on a uniform
# empty cell, as the engine spawns them), on a 4x4 board packed into one integer (a nibble per
# cell holding the tile's exponent). Rows are looked up in tables filled on demand: a row's
# result and score for a left and a right slide, and its heuristic value — empty cells, adjacent
# equal tiles, monotone rows and columns, and a penalty on large tiles spread out (the weights are
# the well-known ones of nneonneo's 2048 AI; the code is ours). Two moves deep (one while more
# than 6 cells are empty); chance branches less likely than _P48_CUTOFF are cut and positions
# are cached within a move, so a move takes about 15 ms (at most ~50 ms) of CPython; a third
# move of depth costs ~10x that, too much for the 1 s call timeout on a loaded machine. Other
# board sizes fall back to a one-ply greedy move (the registered 2048 variants are all 4x4).

_P48_CUTOFF = 0.0001
_P48_ROWS: dict = {}
_P48_LOST = 200000.0


def _p48_row(row: int) -> tuple[int, int, int, int, float]:
    """(left result, left gain, right result, right gain, heuristic) of a 16-bit row."""
    info = _P48_ROWS.get(row)
    if info is not None:
        return info
    cells = [(row >> (4 * i)) & 0xF for i in range(4)]
    left, left_gain = _p48_slide(cells)
    right_rev, right_gain = _p48_slide(cells[::-1])
    info = (_p48_pack(left), left_gain, _p48_pack(right_rev[::-1]), right_gain,
            _p48_heuristic(cells))
    _P48_ROWS[row] = info
    return info


def _p48_slide(cells: list[int]) -> tuple[list[int], int]:
    tiles = [v for v in cells if v]
    out, gain, i = [], 0, 0
    while i < len(tiles):
        if i + 1 < len(tiles) and tiles[i] == tiles[i + 1] and tiles[i] < 15:
            out.append(tiles[i] + 1)
            gain += 1 << (tiles[i] + 1)
            i += 2
        else:
            out.append(tiles[i])
            i += 1
    return out + [0] * (4 - len(out)), gain


def _p48_pack(cells: list[int]) -> int:
    return cells[0] | cells[1] << 4 | cells[2] << 8 | cells[3] << 12


def _p48_heuristic(cells: list[int]) -> float:
    empty = cells.count(0)
    merges, previous, counter = 0, 0, 0
    for v in cells:
        if v:
            if v == previous:
                counter += 1
            elif counter:
                merges += 1 + counter
                counter = 0
            previous = v
    if counter:
        merges += 1 + counter
    left = right = 0.0
    for a, b in zip(cells, cells[1:], strict=False):
        if a > b:
            left += a ** 4 - b ** 4
        else:
            right += b ** 4 - a ** 4
    total = sum(v ** 3.5 for v in cells)
    return (_P48_LOST + 270.0 * empty + 700.0 * merges - 47.0 * min(left, right)
            - 11.0 * total)


def _p48_transpose(x: int) -> int:
    a1 = x & 0xF0F00F0FF0F00F0F
    a2 = x & 0x0000F0F00000F0F0
    a3 = x & 0x0F0F00000F0F0000
    a = a1 | (a2 << 12) | (a3 >> 12)
    b1 = a & 0xFF00FF0000FF00FF
    b2 = a & 0x00FF00FF00000000
    b3 = a & 0x00000000FF00FF00
    return b1 | (b2 >> 24) | (b3 << 24)


def _p48_move(board: int, direction: str) -> tuple[int, int]:
    """(board after the slide, score gained); rows are 16-bit fields, row 0 lowest."""
    vertical = direction in ("Up", "Down")
    x = _p48_transpose(board) if vertical else board
    pick = 0 if direction in ("Left", "Up") else 2
    out, gain = 0, 0
    for i in range(4):
        info = _p48_row((x >> (16 * i)) & 0xFFFF)
        out |= info[pick] << (16 * i)
        gain += info[pick + 1]
    return (_p48_transpose(out) if vertical else out), gain


def _p48_value(board: int) -> float:
    t = _p48_transpose(board)
    return sum(_p48_row((board >> (16 * i)) & 0xFFFF)[4] + _p48_row((t >> (16 * i)) & 0xFFFF)[4]
               for i in range(4))


class _P48Search:
    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.cache: dict = {}

    def best(self, board: int) -> tuple[str | None, float]:
        choice, best = None, -1.0
        for direction in ("Up", "Down", "Left", "Right"):
            moved, _ = _p48_move(board, direction)
            if moved != board:
                value = self.chance(moved, 1, 1.0)
                if value > best:
                    choice, best = direction, value
        return choice, best

    def chance(self, board: int, depth: int, probability: float) -> float:
        if depth > self.depth or probability < _P48_CUTOFF:
            return _p48_value(board)
        key = (board, depth)
        if key in self.cache:
            return self.cache[key]
        empties = [i for i in range(16) if not (board >> (4 * i)) & 0xF]
        if not empties:
            return _p48_value(board)
        share = probability / len(empties)
        total = 0.0
        for i in empties:
            total += 0.9 * self.player(board | (1 << (4 * i)), depth, share * 0.9)
            total += 0.1 * self.player(board | (2 << (4 * i)), depth, share * 0.1)
        value = total / len(empties)
        self.cache[key] = value
        return value

    def player(self, board: int, depth: int, probability: float) -> float:
        best = 0.0  # no move left: lost, worth nothing
        for direction in ("Up", "Down", "Left", "Right"):
            moved, _ = _p48_move(board, direction)
            if moved != board:
                best = max(best, self.chance(moved, depth + 1, probability))
        return best


def _p48_pack_board(board: list[list[int]]) -> int | None:
    packed = 0
    for r, row in enumerate(board):
        for c, tile in enumerate(row):
            if tile:
                exponent = tile.bit_length() - 1
                if tile != 1 << exponent or not 1 <= exponent <= 15:
                    return None
                packed |= exponent << (16 * r + 4 * c)
    return packed


def choose_action(obs: str) -> str:
    board = _board(obs)
    legal = _legal_moves(board) if board else []
    if not legal:
        return propose_action(obs)
    packed = _p48_pack_board(board) if len(board) == 4 and all(len(r) == 4 for r in board) \
        else None
    if packed is None:  # not a 4x4 board: the move that keeps the most empty cells
        return f"[{max(legal, key=lambda d: (_p48_empties_after(board, d), d))}]"
    empty = sum(1 for row in board for v in row if not v)
    choice, _ = _P48Search(1 if empty > 6 else 2).best(packed)
    return f"[{choice}]" if choice in legal else f"[{legal[0]}]"


def _p48_empties_after(board: list[list[int]], direction: str) -> int:
    cells = tuple(v for row in board for v in row)
    slid, _ = _wm_slide(len(board), cells, direction.lower())
    return slid.count(0)
