"""UCT and single-observer ISMCTS over any game model given as functions.

Standard library only and no ``from __future__`` import: this file's source is also appended to a
harness file (``derive.with_planner``) so that the search runs inside the sandbox worker, next to
the world model, without a round trip per model call. Its one top-level name is a class, so it
does not collide with a harness's own helpers.

A model is five functions over states: ``legal_actions(s) -> list[str]``, ``apply(s, a) -> s'``,
``current_player(s) -> int``, ``is_terminal(s) -> bool``, ``returns(s) -> list[float]``, and
optionally ``value(s) -> list[float]`` (an estimate of the returns). A search starts either from
one root state (perfect information, no chance: plain UCT, states cached in the tree) or from a
``sample(rng)`` that draws a determinisation per iteration (hidden information or chance:
single-observer ISMCTS, the tree keyed by action sequences, children scored with availability
counts). Leaves are scored by ``value`` when given (after ``rollout_depth`` random moves,
default 0), else by a random playout to the end (at most ``rollout_limit`` moves; unfinished
playouts score 0 for everyone).
"""

import math
import random


class AutoharnessMCTS:
    """``AutoharnessMCTS(model functions...).search(...)`` -> a dict with the chosen action."""

    class Node:
        __slots__ = ("visits", "total", "avail", "children", "player", "state", "untried")

        def __init__(self, player):
            self.visits = 0
            self.total = 0.0  # sum of the returns of ``player``, who chose the move into here
            self.avail = 0
            self.children = {}
            self.player = player
            self.state = None
            self.untried = None

    def __init__(self, legal_actions, apply, current_player, is_terminal, returns, value=None,
                 players=2, exploration=1.0, rollout_limit=400, rollout_depth=0,
                 step_in_place=None):
        self.legal_actions = legal_actions
        self.apply = apply
        self.current_player = current_player
        self.is_terminal = is_terminal
        self.returns = returns
        self.value = value
        self.players = int(players)
        self.exploration = float(exploration)
        self.rollout_limit = int(rollout_limit)
        self.rollout_depth = int(rollout_depth)
        # For models whose states are costly to copy (the engine itself): after the first move of
        # a playout, whose state belongs to no tree node, moves may change the state in place.
        self.step_in_place = step_in_place
        self.root = None
        self.simulations = 0
        self.model_calls = 0

    # -- one search ---------------------------------------------------------------------------
    def start(self, root=None, sample=None, seed=0):
        """Begin a search (a new tree) from ``root`` or from determinisations ``sample(rng)``."""
        if (root is None) == (sample is None):
            raise ValueError("give exactly one of root and sample")
        self.fixed_root = root
        self.sample = sample
        self.rng = random.Random(seed)
        self.root = self.Node(-1)
        if sample is None:
            self.root.state = root
        self.simulations = 0
        self.model_calls = 0

    def run(self, simulations, clock=None, deadline=None):
        """Add up to ``simulations`` iterations (stop early at ``deadline`` of ``clock()``)."""
        for _ in range(int(simulations)):
            if clock is not None and deadline is not None and clock() >= deadline:
                break
            self.iterate()
        return self.simulations

    def result(self):
        root = self.root
        ranked = sorted(root.children.items(), key=lambda item: (-item[1].visits, item[0]))
        return {
            "action": ranked[0][0] if ranked else None,
            "simulations": self.simulations,
            "model_calls": self.model_calls,
            "visits": {a: n.visits for a, n in ranked},
            "values": {a: (n.total / n.visits if n.visits else 0.0) for a, n in ranked},
        }

    def search(self, root=None, sample=None, simulations=100, seed=0, clock=None, seconds=None):
        self.start(root=root, sample=sample, seed=seed)
        deadline = clock() + seconds if clock is not None and seconds is not None else None
        self.run(simulations if deadline is None or simulations else 10 ** 9, clock, deadline)
        return self.result()

    # -- internals ------------------------------------------------------------------------------
    def _scores(self, raw):
        self.model_calls += 1
        if isinstance(raw, (int, float)):
            return [float(raw)] * max(1, self.players)
        return [float(x) for x in raw]

    def iterate(self):
        rng, root = self.rng, self.root
        cached = self.sample is None
        legal_actions, apply, is_terminal = self.legal_actions, self.apply, self.is_terminal
        state = root.state if cached else self.sample(rng)
        node, path = root, [root]
        log, c = math.log, self.exploration
        while True:
            calls = 1
            if is_terminal(state):
                self.model_calls += calls
                break
            if cached and node.untried is not None:
                actions = None
            else:
                actions = legal_actions(state)
                calls += 1
                if cached:
                    node.untried = list(actions)
            self.model_calls += calls
            if cached:
                if not node.untried and not node.children:
                    break
                if node.untried:
                    action = node.untried.pop(rng.randrange(len(node.untried)))
                    child = self.Node(self.current_player(state))
                    state = apply(state, action)
                    self.model_calls += 2
                    child.state = state
                    node.children[action] = child
                    path.append(child)
                    break
                parent_log = log(node.visits) if node.visits > 0 else 0.0
                best, best_score = None, -1e300
                for child in node.children.values():
                    score = child.total / child.visits + c * math.sqrt(parent_log / child.visits)
                    if score > best_score:
                        best, best_score = child, score
                node = best
                state = node.state
                path.append(node)
                continue
            # ISMCTS: only the children legal in this determinisation compete.
            if not actions:
                break
            children = node.children
            untried = [a for a in actions if a not in children]
            for a in actions:
                if a in children:
                    children[a].avail += 1
            if untried:
                action = untried[rng.randrange(len(untried))]
                child = self.Node(self.current_player(state))
                child.avail = 1
                state = apply(state, action)
                self.model_calls += 2
                children[action] = child
                path.append(child)
                break
            best, best_action, best_score = None, None, -1e300
            for a in actions:
                child = children[a]
                score = child.total / child.visits + c * math.sqrt(log(child.avail) / child.visits)
                if score > best_score:
                    best, best_action, best_score = child, a, score
            state = apply(state, best_action)
            self.model_calls += 1
            node = best
            path.append(node)
        scores = self._evaluate(state)
        for visited in path:
            visited.visits += 1
            if 0 <= visited.player < len(scores):
                visited.total += scores[visited.player]
        self.simulations += 1

    def _evaluate(self, state):
        rng = self.rng
        legal_actions, apply, is_terminal = self.legal_actions, self.apply, self.is_terminal
        limit = self.rollout_depth if self.value is not None else self.rollout_limit
        moves = 0
        finished = is_terminal(state)
        while not finished and moves < limit:
            actions = legal_actions(state)
            if not actions:
                break
            action = actions[rng.randrange(len(actions))]
            if moves and self.step_in_place is not None:
                state = self.step_in_place(state, action)
            else:
                state = apply(state, action)
            moves += 1
            finished = is_terminal(state)
        self.model_calls += 1 + 3 * moves
        if finished:
            return self._scores(self.returns(state))
        if self.value is not None:
            return self._scores(self.value(state))
        return [0.0] * max(1, self.players)
