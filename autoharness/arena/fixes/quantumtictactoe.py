"""QuantumTicTacToe: the missing endings (upstream TextArena PR #183).

0.7.4, when an entanglement cycle collapses, solidifies only the cycle's own marks. A spooky mark
that shares a square with a newly solid mark stays spooky (it should collapse into its other
square), the game never ends in a draw, and when a single square is left nobody can move (a move
needs two empty squares), so every answer is rejected.

Upstream's behaviour, kept here, after the cycle's marks solidify: dependent spooky marks
collapse into their other square, repeatedly; if exactly one square is left, it takes the mark of
the player to move next; the win check as before; a full board is a draw. One deliberate
difference: upstream's draw check runs after the win check and overwrites a win on the move that
fills the board; here a full board is a draw only when nobody has won (legality is the same).
"""

from __future__ import annotations

import textarena as ta
from textarena.envs.QuantumTicTacToe.env import QuantumTicTacToeEnv

UPSTREAM = ("TextArena PR #183 (Fixed QuantumTicTacToe_v0: missing game ending conditions; "
            "dependent superposition was not resolved properly)")


def _symbol(player: int) -> str:
    return "X" if player == 1 else "O"


class FixedQuantumTicTacToeEnv(QuantumTicTacToeEnv):
    def _collapse_superpositions(self, move_ids: list[int]) -> None:
        board = self.state.game_state["board"]
        superpositions = self.state.game_state["superpositions"]
        for move_id in move_ids:  # the cycle: each mark into the first of its squares still free
            if move_id not in superpositions:
                continue
            player, a, b = superpositions.pop(move_id)
            free = next(((r, c) for r, c in (a, b) if board[r][c] == ""), None)
            if free is not None:
                self._solidify(free, player, "Superposition resolved")
        self._collapse_dependents()
        empty = self._empty_squares()
        if len(empty) == 1:  # nobody can place a two-square mark: it goes to the next player
            self._solidify(empty[0], 1 - self.state.current_player_id,
                           "Superposition for last cell resolved")
        for player in range(2):
            if self._check_winner(_symbol(player)):
                self.state.set_winner(player_id=player,
                                      reason=f"Player {player} wins with solidified marks!")
        if not self.state.done and not self._empty_squares():
            self.state.set_draw(reason="The game is a draw!")

    def _collapse_dependents(self) -> None:
        board = self.state.game_state["board"]
        superpositions = self.state.game_state["superpositions"]
        changed = True
        while changed:
            changed = False
            for move_id, (player, a, b) in list(superpositions.items()):
                solid = [board[r][c] != "" for r, c in (a, b)]
                if not any(solid):
                    continue
                del superpositions[move_id]
                if not all(solid):
                    self._solidify(b if solid[0] else a, player,
                                   "Dependent superposition resolved")
                changed = True
                break

    def _solidify(self, square: tuple[int, int], player: int, what: str) -> None:
        r, c = square
        self.state.game_state["board"][r][c] = _symbol(player)
        self.state.add_observation(message=f"{what}. Cell ({r}, {c}) is now {_symbol(player)}.",
                                   observation_type=ta.ObservationType.GAME_MESSAGE)

    def _empty_squares(self) -> list[tuple[int, int]]:
        board = self.state.game_state["board"]
        return [(r, c) for r in range(3) for c in range(3) if board[r][c] == ""]
