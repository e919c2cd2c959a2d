"""Checkers: the game ends when a player has no legal move (upstream TextArena PR #181).

0.7.4 checks, after a move, whether the player who just moved can still move, and if not calls
``state.set_winners(player_id=...)``, a keyword ``TwoPlayerState.set_winners`` does not take: the
engine raises ``TypeError``. It never checks the player about to move, so a player left without
any legal move is asked for one anyway, and every answer is rejected.

Upstream's behaviour, kept here: after each move, if the player about to move has no legal move,
the mover wins; otherwise, if the mover has none left, the player about to move wins; then the
turn limit as before.
"""

from __future__ import annotations

from textarena.envs.Checkers.env import CheckersEnv

UPSTREAM = ("TextArena PR #181 (Fixed bug in Checkers-v0 when one player may have no available "
            "moves)")


class FixedCheckersEnv(CheckersEnv):
    def _check_gameover(self) -> None:
        state = self.state
        board = state.game_state["board"]
        red = sum(cell.lower() == "r" for row in board for cell in row)
        black = sum(cell.lower() == "b" for row in board for cell in row)
        if red == 0:
            state.set_winner(player_id=1, reason="Red has no pieces left. Black wins!")
            return
        if black == 0:
            state.set_winner(player_id=0, reason="Black has no pieces left. Red wins!")
            return
        mover = state.current_player_id
        for stuck, winner in ((1 - mover, mover), (mover, 1 - mover)):
            if not self._has_legal_move(stuck):
                state.set_winner(player_id=winner, reason=f"Player {stuck} has no moves left.")
                return
        if state.check_turn_limit():
            state.set_draw(reason="The turn limit has been reached.")
