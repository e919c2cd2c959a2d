"""Breakthrough: the game ends when a player has no legal move (upstream TextArena PR #180).

In 0.7.4 the game ends only when a piece reaches the far row or one side has no pieces. Pieces
that are all blocked (a piece moves straight ahead only onto an empty square and diagonally only
to capture) leave the player to move with no legal action, and every answer is rejected.

Upstream's behaviour, kept here: after the 0.7.4 checks, if White has no legal move Black wins,
else if Black has none White wins — whoever is to move — with the board shown before the end.
"""

from __future__ import annotations

import textarena as ta
from textarena.envs.Breakthrough.env import BreakthroughEnv

UPSTREAM = ("TextArena PR #180 (Fixed bug in Breakthrough-v0 when one player may have no "
            "available moves)")


class FixedBreakthroughEnv(BreakthroughEnv):
    def _check_winner(self) -> None:
        super()._check_winner()
        if self.state.done:
            return
        for player in (0, 1):
            if not self._can_move(player):
                self.state.add_observation(message=self._render_board(),
                                           observation_type=ta.ObservationType.GAME_BOARD)
                self.state.set_winner(player_id=1 - player,
                                      reason=f"Player {player} has no more moves.")
                return

    def _can_move(self, player: int) -> bool:
        board, size = self.state.game_state["board"], self.board_size
        own, enemy, step = ("W", "B", 1) if player == 0 else ("B", "W", -1)
        for row in range(size):
            ahead = row + step
            if not 0 <= ahead < size:
                continue
            for col in range(size):
                if board[row][col] != own:
                    continue
                if board[ahead][col] == "":
                    return True
                if any(0 <= c < size and board[ahead][c] == enemy for c in (col - 1, col + 1)):
                    return True
        return False
