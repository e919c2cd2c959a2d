"""``verify``'s policy line: does the harness's ``choose_action`` play legal moves, and what does
it earn?

When a harness defines ``choose_action``, ``verify`` plays one episode per seed with it in every
seat (``policy.episodes``, capped at ``--steps`` actions), the engine judging every action. The
policy is clean when no action was illegal (a forced Minesweeper guess excepted, as in the
legality figures) and no call failed or overran the timeout; its figures (legal rate, mean
reward, 95th-percentile move time) are printed, put in ``--json`` and, with ``--update-card``,
written under ``VERIFIED[game]["policy"]``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from autoharness.policy.episodes import POLICY, percentile, play_episode


@dataclass
class PolicyCheck:
    game: str
    seeds: list[int]
    max_turns: int
    episodes: int = 0
    actions: int = 0
    illegal_actions: int = 0
    illegal_undecidable: int = 0  # forced guesses (apart, as in the legality figures)
    harness_failures: int = 0  # choose_action calls that failed (the move fell back)
    unfinished: int = 0  # episodes cut off at max_turns
    episodes_without_reward: int = 0
    rewards: list[float | None] = field(default_factory=list)
    p95_move_ms: float = 0.0
    max_move_ms: float = 0.0
    examples: list[dict] = field(default_factory=list)  # the first illegal actions / failures

    @property
    def avoidable_illegal(self) -> int:
        return self.illegal_actions - self.illegal_undecidable

    @property
    def legal_rate(self) -> float:
        return 1.0 - self.avoidable_illegal / self.actions if self.actions else 0.0

    @property
    def mean_reward(self) -> float:
        return sum(r or 0.0 for r in self.rewards) / len(self.rewards) if self.rewards else 0.0

    @property
    def clean(self) -> bool:
        return self.actions > 0 and not self.avoidable_illegal and not self.harness_failures

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(legal_rate=self.legal_rate, mean_reward=self.mean_reward, clean=self.clean)
        return data

    def text(self) -> str:
        rewards = ", ".join("none" if r is None else f"{r:.2f}" for r in self.rewards)
        return (f"policy (choose_action): legal rate {self.legal_rate:.4f} over {self.actions:,} "
                f"actions in {self.episodes} episodes; illegal {self.avoidable_illegal} "
                f"(forced guesses apart: {self.illegal_undecidable}); failed calls "
                f"{self.harness_failures}; mean reward {self.mean_reward:.3f} ({rewards}); "
                f"unfinished at {self.max_turns} actions {self.unfinished}; move time p95 "
                f"{self.p95_move_ms:.1f} ms, max {self.max_move_ms:.1f} ms")

    def card_entry(self, command: str) -> dict:
        """The card's ``VERIFIED[game]["policy"]``: the figures and the command behind them."""
        return {"command": command, "date": datetime.date.today().isoformat(),
                "legal_rate": round(self.legal_rate, 6), "actions": self.actions,
                "illegal_actions": self.avoidable_illegal,
                "illegal_undecidable": self.illegal_undecidable,
                "harness_failures": self.harness_failures, "episodes": self.episodes,
                "mean_reward": round(self.mean_reward, 4),
                "p95_move_ms": round(self.p95_move_ms, 1)}


def check_policy(game: str, harness: Any, seeds: list[int], max_turns: int, *,
                 engine: str = "stock",
                 progress: Callable[[int], None] | None = None) -> PolicyCheck | None:
    """The policy's figures over ``seeds``; None when the harness defines no ``choose_action``."""
    if not harness.defines(POLICY):
        return None
    check = PolicyCheck(game, list(seeds), max_turns)
    times: list[float] = []
    for seed in seeds:
        episode = play_episode(game, harness, seed, POLICY, max_turns=max_turns, engine=engine)
        check.episodes += 1
        check.actions += episode.turns
        check.illegal_actions += episode.illegal
        check.illegal_undecidable += episode.illegal_undecidable
        check.harness_failures += episode.failures
        check.unfinished += episode.unfinished
        check.episodes_without_reward += episode.reward is None
        check.rewards.append(episode.reward)
        times.extend(episode.call_seconds)
        for mistake in episode.mistakes:
            if len(check.examples) < 3:
                check.examples.append({"seed": seed, **asdict(mistake),
                                       "observation": mistake.observation[-600:]})
        if progress:
            progress(episode.turns)
    check.p95_move_ms = 1000 * (percentile(times, 0.95) or 0.0)
    check.max_move_ms = 1000 * max(times, default=0.0)
    return check
