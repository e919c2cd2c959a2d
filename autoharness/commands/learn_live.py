"""What ``learn --games`` shows while it runs, on stderr: a live table on a terminal (game, LLM
calls, best h, cost, status), else one progress line whenever a game's calls, h or status
changes (logs and CI read those)."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator

from autoharness.learn.library_run import Board, GameState

SHOWN_DONE = 8  # finished games kept in the live table (the running ones are all shown)


def _h(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _cost(value: float | None) -> str:
    return "?" if value is None else f"${value:.4f}"


class Display:
    def __init__(self, games: tuple[str, ...], title: str, *, live: bool | None = None) -> None:
        self.games, self.title = games, title
        self.live = sys.stderr.isatty() if live is None else live
        self.board = Board(games, self.changed)
        self._said: dict[str, tuple] = {}
        self._lock = threading.Lock()
        self.started = time.perf_counter()

    # -- non-TTY: progress lines ----------------------------------------------------------
    def changed(self, state: GameState) -> None:
        if self.live:
            return  # the live table redraws itself
        key = (state.calls, state.best, state.status if state.done else "running")
        with self._lock:
            if self._said.get(state.game) == key:
                return
            self._said[state.game] = key
            done = sum(s.done for s in self.board.snapshot())
            note = f" ({state.note})" if state.done and state.note else ""
            # one write per line, under the lock: game threads never share a line
            sys.stderr.write(f"learn [{done}/{len(self.games)} done] {state.game}: calls "
                             f"{state.calls} · h {_h(state.best)} · {_cost(state.cost)} · "
                             f"{state.status}{note}\n")
            sys.stderr.flush()

    # -- TTY: the live table --------------------------------------------------------------
    def render(self):  # noqa: ANN201 - a rich renderable
        from rich.table import Table

        states = self.board.snapshot()
        running = [s for s in states if not s.done and s.status != "waiting"]
        finished = [s for s in states if s.done]
        waiting = len(states) - len(running) - len(finished)
        calls = sum(s.calls for s in states)
        costs = [s.cost for s in states if s.cost is not None]
        unknown = any(s.cost is None and s.calls for s in states)
        minutes = (time.perf_counter() - self.started) / 60
        table = Table(title=self.title, caption=(
            f"{len(finished)}/{len(states)} done · {len(running)} running · {waiting} waiting · "
            f"{calls} LLM calls · ${sum(costs):.4f}{' + unknown' if unknown else ''} · "
            f"{minutes:.1f} min"))
        for column in ("game", "calls", "h", "cost", "status"):
            table.add_column(column, justify="right" if column in ("calls", "h", "cost")
                             else "left")
        for state in [*running, *finished[-SHOWN_DONE:]]:
            table.add_row(state.game, str(state.calls), _h(state.best), _cost(state.cost),
                          state.status)
        return table

    @contextlib.contextmanager
    def showing(self) -> Iterator[Display]:
        if not self.live:
            print(f"{self.title}: {len(self.games)} games", file=sys.stderr, flush=True)
            yield self
            return
        from rich.console import Console
        from rich.live import Live

        with Live(get_renderable=self.render, console=Console(stderr=True),
                  refresh_per_second=2, transient=False):
            yield self
