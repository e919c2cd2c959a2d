"""UltimateTicTacToe: a draw when no square is left to play (upstream TextArena PR #182).

0.7.4 calls it a draw only when all nine mini-boards are won. A mini-board that fills up without
a winner is never marked on the macro board, so once every mini-board is won or full the player
to move has no legal square, the game goes on, and every answer is rejected.

Upstream's behaviour, kept here: a draw when every mini-board is full, or the macro board is.
"""

from __future__ import annotations

from textarena.envs.UltimateTicTacToe.env import UltimateTicTacToeEnv

UPSTREAM = ("TextArena PR #182 (Fixed bug in UltimateTicTacToe-v0 where the draw condition was not "
            "checked properly)")


def _full(board: list[list[str]]) -> bool:
    return all(cell != " " for row in board for cell in row)


class FixedUltimateTicTacToeEnv(UltimateTicTacToeEnv):
    def _is_draw(self) -> bool:
        game_state = self.state.game_state
        return all(_full(mini) for mini in game_state["board"]) or _full(game_state["macro_board"])
