"""The dynamics and information tiers, along engine trajectories.

At every position of a lane (a seed; a new episode starts when one ends, until ``steps``
actions): the state parses, names the engine's player to move and is not over; every listed
action the engine is asked about is legal, and every legal probe is one of the listed moves
(``probing``); the model's functions do not change their arguments and answer the same input the
same way (every ``purity_every`` positions). Then a listed legal action is played on the engine
and the transition compared:

* **no ``sample_state``** (perfect information, no chance): ``apply(parse_state(obs_t), a_t)``
  must equal ``parse_state(obs_t+1)`` exactly, name the next player, and be terminal with the
  engine's rewards exactly when the engine ended.
* **with ``sample_state``**: the truth is every player's view parsed and merged (what *some* player
  sees is known; the rest stays unknown). Determinisations are ``sample_state(obs_t, seed)`` with
  every known part replaced by the truth; the engine's next truth must be reproduced by some
  determinisation's ``apply`` (searched up to ``max_samples``: chance outcomes can be rare), and
  every ``reroll_every`` transitions each distinct predicted outcome must be one the engine can
  produce (its step re-run with other random seeds, up to ``max_rerolls``).

The information tier (files with ``sample_state``): determinisations agree with everything
``parse_state`` knows, fill in everything some player knows, are not over, have the same player to
move and the same legal actions as the observation, and — when the hidden part takes only a few
values — the true one is among them.
"""

from __future__ import annotations

import random
from typing import Any

from autoharness.arena.env import GameEnv
from autoharness.arena.rollout import episode_seed
from autoharness.worldmodel import report as R
from autoharness.worldmodel.calls import ModelCalls, action_list, failed
from autoharness.worldmodel.probing import (
    Oracle,
    merged,
    normal,
    probe_actions,
    views,
)
from autoharness.worldmodel.values import (
    as_returns,
    brief,
    covers,
    differences,
    freeze,
    holes,
    overlay,
    project,
    same,
)

D, INFO = "dynamics", "information"


class Lane:
    """One seed's trajectory and every check along it."""

    def __init__(self, game: str, seed: int, steps: int, model: ModelCalls,
                 report: R.WorldModelReport, *, engine: str, players: int,
                 settings: dict[str, int]) -> None:
        self.game, self.seed, self.steps = game, seed, steps
        self.model, self.report = model, report
        self.engine, self.players = engine, players
        self.settings = settings
        self.rng = random.Random(seed * 7919 + 17)
        self.determinised = report.determinised
        self.has_value = model.defines("value")
        self.vocabulary: list[str] = []
        self._vocabulary_seen: set[str] = set()
        self.step = 0
        self.on_step: Any = None  # called with the lane's actions so far (progress)

    # -- recording ------------------------------------------------------------------------------
    def fail(self, tier: str, kind: str, env: GameEnv | None, obs: str, action: str | None,
             engine: str, model: str, next_obs: str | None = None) -> None:
        player = env.current_player if env is not None and not env.done else None
        self.report.fail(tier, R.ModelContradiction(tier, kind, self.game, self.seed, self.step,
                                                    player, obs, action, engine, model, next_obs))

    def expect(self, ok: bool, tier: str, kind: str, env: GameEnv | None, obs: str,
               action: str | None, engine: str, model: str, next_obs: str | None = None) -> bool:
        self.report.check(tier)
        if not ok:
            self.fail(tier, kind, env, obs, action, engine, model, next_obs)
        return ok

    def called(self, value: Any, what: str, env: GameEnv | None, obs: str,
               action: str | None = None, tier: str = D) -> bool:
        """A check that a model call answered at all (a failure is a contradiction)."""
        return self.expect(not failed(value), tier, R.FAILURE, env, obs, action,
                           "the call should return a plain value", f"{what}: {value}")

    # -- the lane -------------------------------------------------------------------------------
    def run(self) -> None:
        episode = 0
        env = GameEnv(self.game, seed=self.seed, engine=self.engine)
        while self.step < self.steps:
            if env.done:
                episode += 1
                env = GameEnv(self.game, seed=episode_seed(self.seed, episode), engine=self.engine)
            keep_going = self.position(env)
            if self.on_step is not None:
                self.on_step(self.step)
            if not keep_going:
                if env.done:
                    continue
                break

    def position(self, env: GameEnv) -> bool:
        """All checks at the current position, then one step; False ends the lane."""
        self.report.positions += 1
        obs = env.observation()
        player = env.current_player
        state = self.model.parse(obs)
        if not self.called(state, "parse_state(obs)", env, obs):
            return False
        legal, terminal, mover = self.model.batch([("legal_actions", (state,)),
                                                    ("is_terminal", (state,)),
                                                    ("current_player", (state,))])
        if not self.called(legal, "legal_actions(parse_state(obs))", env, obs):
            return False
        listed = action_list(legal)
        if not self.expect(listed is not None, D, R.TYPE, env, obs, None,
                           "legal_actions returns a list of str", brief(legal)):
            return False
        self.expect(mover == player, D, R.PLAYER, env, obs, None,
                    f"player {player} is to move", f"current_player(state) = {brief(mover)}")
        if terminal is True or not listed:
            return self.stuck(env, obs, state, listed, terminal)
        self.expect(terminal is False, D, R.TERMINAL, env, obs, None,
                    "the game is not over", f"is_terminal(state) = {brief(terminal)}")
        oracle = Oracle(env)
        action = self.legal_set(env, oracle, obs, listed)
        if action is None:
            return False
        if (self.report.positions - 1) % self.settings["purity_every"] == 0:
            self.purity(env, obs, state, action)
        truth = state
        samples: list[Any] = []
        if self.determinised:
            truth, samples = self.information(env, obs, state, listed)
        return self.transition(env, obs, state, truth, samples, action)

    # -- legal actions --------------------------------------------------------------------------
    def legal_set(self, env: GameEnv, oracle: Oracle, obs: str, listed: list[str]) -> str | None:
        """Soundness and completeness of the listed actions; the action to play (or None)."""
        for action in listed:
            if action not in self._vocabulary_seen and len(self.vocabulary) < 2000:
                self._vocabulary_seen.add(action)
                self.vocabulary.append(action)
        duplicates = len(listed) - len(set(listed))
        self.expect(duplicates == 0, D, R.LEGAL_SET, env, obs, None,
                    "each legal move listed once",
                    f"{duplicates} repeated entries in {brief(listed)}")
        tested = self.rng.sample(listed, min(len(listed), self.settings["sound_checks"]))
        illegal = [a for a in tested if not oracle.legal(a)]
        self.expect(not illegal, D, R.LEGAL_SET, env, obs, illegal[0] if illegal else None,
                    f"the engine rejects {brief(illegal)}",
                    f"legal_actions lists them among {len(listed)} actions")
        playable = [a for a in tested if a not in illegal]
        if not playable:
            playable = [a for a in listed if a not in tested and oracle.legal(a)][:1]
        known = {normal(a, env) for a in listed}
        missing = []
        for probe in probe_actions(env, self.model.harness, obs, listed, self.vocabulary, self.rng,
                                   self.settings["probes"]):
            if normal(probe, env) in known or not oracle.legal(probe):
                continue
            if not oracle.same_move_as_one_of(probe, listed):
                missing.append(probe)
                break
        self.expect(not missing, D, R.LEGAL_SET, env, obs, missing[0] if missing else None,
                    f"the engine accepts {brief(missing)}, a move not in the list",
                    f"legal_actions = {brief(listed, 600)}")
        if not playable:
            self.fail(D, R.LEGAL_SET, env, obs, None, "the engine rejects every listed action",
                      f"legal_actions = {brief(listed, 600)}")
            return None
        return self.rng.choice(playable)

    def stuck(self, env: GameEnv, obs: str, state: Any, listed: list[str] | None,
              terminal: Any) -> bool:
        """The model says the game is over (or lists nothing) while the engine goes on: right only
        if the engine accepts no action here, and then the model's returns must be what the
        engine gives once the stuck player's answers are used up."""
        oracle = Oracle(env)
        probes = probe_actions(env, self.model.harness, obs, list(listed or []), self.vocabulary,
                               self.rng, self.settings["probes"] * 2)
        accepted = next((p for p in probes if oracle.legal(p)), None)
        said = f"is_terminal = {brief(terminal)}, legal_actions = {brief(listed)}"
        if not self.expect(accepted is None, D, R.TERMINAL, env, obs, accepted,
                           f"the game goes on: the engine accepts {accepted!r}", said):
            return False
        self.report.engine_stuck += 1
        twin = env.clone()
        for _ in range(6):
            if twin.done:
                break
            twin.step("[autoharness: no legal move]")
        rewards = _rewards(twin, self.players) if twin.done else None
        if rewards is not None:
            mine = as_returns(self.model.one("returns", state), self.players)
            self.expect(mine is not None and _close(mine, rewards), D, R.RETURNS, env, obs, None,
                        f"with no legal move the engine ends the game with rewards {rewards}",
                        f"returns(state) = {mine}")
        self.step += 1
        env.done = True  # this episode cannot go on; the lane starts a new one
        return False

    # -- purity ---------------------------------------------------------------------------------
    def purity(self, env: GameEnv, obs: str, state: Any, action: str) -> None:
        probes: list[list] = [["parse_state", [obs]], ["legal_actions", [state]],
                              ["apply", [state, action]], ["current_player", [state]],
                              ["is_terminal", [state]], ["returns", [state]]]
        if self.determinised:
            probes.append(["sample_state", [obs, self.rng.getrandbits(31)]])
        if self.has_value:
            probes.append(["value", [state]])
        answer = self.model.purity(probes)
        if not self.called(answer, "the purity probe", env, obs, action):
            return
        for (name, _args), item in zip(probes, answer, strict=False):
            if not isinstance(item, dict):
                continue
            if item.get("error"):
                self.fail(D, R.FAILURE, env, obs, action, "the call should not raise",
                          f"{name}: {item['error']}")
                continue
            self.expect(not item.get("mutated"), D, R.PURITY, env, obs, action,
                        f"{name} leaves its arguments as they were", f"{name} changed its argument")
            self.expect(bool(item.get("repeatable")), D, R.PURITY, env, obs, action,
                        f"{name} gives the same answer to the same input",
                        f"{name} answered two identical calls differently")

    # -- information ----------------------------------------------------------------------------
    def information(self, env: GameEnv, obs: str, state: Any,
                    listed: list[str]) -> tuple[Any, list[Any]]:
        """The merged truth and the first determinisations, checked."""
        parsed = self.model.many("parse_state", [(v,) for v in views(env)])
        good = [p for p in parsed if not failed(p)]
        truth, conflict = merged(good) if len(good) == len(parsed) else (state, None)
        self.expect(conflict is None, D, R.VIEWS, env, obs, None,
                    "the players' observations describe one state",
                    f"their parse_state results conflict at {conflict}")
        count = self.settings["samples"]
        seeds = [self.rng.getrandbits(31) for _ in range(count)]
        samples = self.model.many("sample_state", [(obs, s) for s in seeds])
        usable = [s for s in samples if not failed(s)]
        for sample in samples:
            if failed(sample):
                self.called(sample, "sample_state(obs, seed)", env, obs, tier=INFO)
                return truth, []
        self.report.check(INFO, len(usable))
        for sample in usable:
            if not covers(sample, state):
                where = differences(sample, state, limit=3, unknown_right=True)
                self.fail(INFO, R.DETERMINISATION, env, obs, None,
                          "a determinisation keeps everything parse_state(obs) knows",
                          f"sample_state differs at {'; '.join(where)}")
                break
        self.report.check(INFO, len(usable))
        for sample in usable:
            unfilled = holes(sample, truth, limit=3)
            if unfilled:
                self.fail(INFO, R.DETERMINISATION, env, obs, None,
                          "a determinisation fills in every hidden part",
                          f"left unknown: {'; '.join(unfilled)}")
                break
        self.rules_under(env, obs, usable, listed)
        self.support(env, obs, usable, truth)
        self.tally(obs, state, usable, truth)
        return truth, usable

    def tally(self, obs: str, state: Any, samples: list[Any], truth: Any) -> None:
        """Count, per information state, the true hidden parts and the sampled ones (for
        ``never_true``)."""
        entry = self.report.support.setdefault(freeze(state), {
            "visits": 0, "truths": set(), "drawn": {}, "example": (self.seed, self.step, obs)})
        entry["visits"] += 1
        entry["truths"].add(freeze(project(truth, truth)))
        for sample in samples:
            key = freeze(project(sample, truth))
            entry["drawn"][key] = entry["drawn"].get(key, 0) + 1

    def rules_under(self, env: GameEnv, obs: str, samples: list[Any], listed: list[str]) -> None:
        player = env.current_player
        answers = self.model.batch([(name, (s,)) for s in samples
                                    for name in ("current_player", "is_terminal", "legal_actions")])
        movers, ends, legal_sets = answers[0::3], answers[1::3], answers[2::3]
        expected = sorted(listed)
        for mover, end, legal in zip(movers, ends, legal_sets, strict=True):
            got = action_list(legal)
            ok = mover == player and end is False and got is not None and sorted(got) == expected
            if not self.expect(ok, INFO, R.DETERMINISATION, env, obs, None,
                               f"player {player} to move, not over, the legal actions of the "
                               f"observation {brief(expected)}",
                               f"current_player {brief(mover)}, is_terminal {brief(end)}, "
                               f"legal_actions {brief(legal)}"):
                break

    def support(self, env: GameEnv, obs: str, samples: list[Any], truth: Any) -> None:
        """When the determinisations take only a few distinct values, the truth is one of them.
        A hint from the first draws (at most a quarter distinct) is followed up with
        ``support_draws`` draws in all; only if those still show at most ``support_distinct``
        values and none is the truth is it a contradiction — for a sampler uniform over N >=
        that many values the chance of missing the truth is at most (1 - 1/N) ** draws (1e-5)."""
        distinct = {freeze(project(s, truth)) for s in samples}
        if len(samples) < 8 or len(distinct) > len(samples) // 4:
            return
        if any(covers(s, truth) for s in samples):
            self.report.check(INFO)
            return
        more = self.model.many("sample_state", [
            (obs, self.rng.getrandbits(31))
            for _ in range(self.settings["support_draws"] - len(samples))])
        drawn = samples + [s for s in more if not failed(s)]
        distinct = {freeze(project(s, truth)) for s in drawn}
        if len(distinct) > self.settings["support_distinct"]:
            return
        self.expect(any(covers(s, truth) for s in drawn), INFO, R.DETERMINISATION, env, obs,
                    None, "the true hidden state is among the determinisations",
                    f"{len(distinct)} distinct determinisations in {len(drawn)}, none of them "
                    f"agreeing with what the players see ({brief(truth, 400)})")

    # -- transitions ----------------------------------------------------------------------------
    def transition(self, env: GameEnv, obs: str, state: Any, truth: Any, samples: list[Any],
                   action: str) -> bool:
        before = env.clone() if self.determinised else None
        result = env.step(action)
        self.step += 1
        self.report.transitions += 1
        if result.engine_error is not None:
            self.report.engine_errors += 1
            return False
        if not result.legal:  # the oracle accepted it on a copy: a chance game's copy differed
            return not env.done
        if self.determinised:
            self.chance_transition(env, before, obs, state, truth, samples, action)
        else:
            self.exact_transition(env, obs, state, action)
        if env.done:
            self.report.episodes_finished += 1
            if not self.determinised:
                self.final_views(env)
        return True

    def exact_transition(self, env: GameEnv, obs: str, state: Any, action: str) -> None:
        predicted = self.model.apply(state, action)
        if not self.called(predicted, "apply(state, action)", env, obs, action):
            return
        self.outcome(env, obs, action, predicted, None)

    def outcome(self, env: GameEnv, obs: str, action: str, predicted: Any, truth: Any) -> None:
        """``predicted`` against the engine after the step (``truth``: the merged next truth, or
        None to parse the next observation and compare exactly)."""
        end, paid, mover = self.model.batch([("is_terminal", (predicted,)),
                                             ("returns", (predicted,)),
                                             ("current_player", (predicted,))])
        next_obs = env.observation() if not env.done else (env.view(0) or "")
        said = f"is_terminal(apply(state, {action!r})) = {brief(end)}"
        if end is True and not env.done:
            pass  # a stuck player to move? The next position's ``stuck`` check decides.
        elif not self.expect(end is env.done, D, R.TERMINAL, None, obs, action,
                             "the game is over" if env.done else "the game goes on", said,
                             next_obs):
            return
        if env.done:
            rewards = _rewards(env, self.players)
            mine = as_returns(paid, self.players)
            self.expect(rewards is not None and mine is not None and _close(mine, rewards), D,
                        R.RETURNS, None, obs, action, f"the engine's rewards are {rewards}",
                        f"returns(apply(state, action)) = {mine}", next_obs)
            return
        self.expect(mover == env.current_player, D, R.PLAYER, None, obs, action,
                    f"player {env.current_player} moves next",
                    f"current_player(apply(state, action)) = {brief(mover)}", next_obs)
        if truth is not None:
            return
        parsed = self.model.parse(next_obs)
        if not self.called(parsed, "parse_state(next observation)", env, next_obs):
            return
        if not same(predicted, parsed):
            where = "; ".join(differences(predicted, parsed, limit=4))
            self.fail(D, R.TRANSITION, None, obs, action,
                      f"parse_state(next observation) = {brief(parsed, 500)}",
                      f"apply(parse_state(obs), {action!r}) = {brief(predicted, 500)}; "
                      f"they differ at {where}", next_obs)
        else:
            self.report.check(D)

    def chance_transition(self, env: GameEnv, before: GameEnv | None, obs: str, state: Any,
                          truth: Any, samples: list[Any], action: str) -> None:
        # After the end no player is shown the final position (2048 never prints it): then only
        # the end and the rewards are compared.
        after = None if env.done else self.next_truth(env)
        if after is None and not env.done:
            return
        if after is not None:
            # What no player saw before the step (e.g. a board the engine shows a player for the
            # first time) cannot be predicted: compare only what was known.
            after = project(after, truth)
        next_obs = env.observation() if not env.done else (env.view(0) or "")
        rewards = _rewards(env, self.players) if env.done else None
        pool = [overlay(truth, s) for s in samples] or [truth]
        predictions = self.model.many("apply", [(d, action) for d in pool])
        for prediction in predictions:
            if failed(prediction):
                self.called(prediction, "apply(determinisation, action)", env, obs, action)
                return
        match = self.agreeing(predictions, after, rewards)
        drawn = len(predictions)
        while match is None and drawn < self.settings["max_samples"]:
            batch = min(256, self.settings["max_samples"] - drawn)
            more = self.model.many("sample_state", [(obs, self.rng.getrandbits(31))
                                                    for _ in range(batch)])
            more = [overlay(truth, s) for s in more if not failed(s)]
            found = [p for p in self.model.many("apply", [(d, action) for d in more])
                     if not failed(p)]
            drawn += batch
            match = self.agreeing(found, after, rewards)
        if match is None:
            if after is not None:
                nearest = min(predictions,
                              key=lambda p: len(differences(p, after, 50, True, False)))
                where = "; ".join(differences(nearest, after, limit=4, unknown_right=True))
                engine = f"the engine's next state, as the players see it: {brief(after, 500)}"
            else:
                nearest = predictions[0]
                where = "the end of the game or the rewards"
                engine = f"the game is over with rewards {rewards}"
            self.expect(False, D, R.TRANSITION, None, obs, action, engine,
                        f"none of {drawn} determinisations' apply(d, {action!r}) agrees; the "
                        f"nearest differs at {where}", next_obs)
            match = nearest
        else:
            self.report.check(D)
        self.outcome(env, obs, action, match, after if after is not None else truth)
        if (before is not None and after is not None
                and (self.report.transitions - 1) % self.settings["reroll_every"] == 0):
            self.rerolls(before, obs, action, predictions, next_obs, truth)

    def agreeing(self, predictions: list[Any], after: Any,
                 rewards: list[float] | None) -> Any:
        """The first prediction that agrees with the engine's next truth (or, after the end,
        that is over with the engine's rewards)."""
        if after is not None:
            return next((p for p in predictions if covers(p, after)), None)
        answers = self.model.batch([(name, (p,)) for p in predictions
                                    for name in ("is_terminal", "returns")])
        for prediction, end, value in zip(predictions, answers[0::2], answers[1::2],
                                          strict=True):
            mine = as_returns(value, self.players) if end is True else None
            if mine is not None and rewards is not None and _close(mine, rewards):
                return prediction
        return None

    def next_truth(self, env: GameEnv) -> Any:
        parsed = self.model.many("parse_state", [(v,) for v in views(env)])
        if any(failed(p) for p in parsed):
            self.called(next(p for p in parsed if failed(p)), "parse_state(a view)", env, "")
            return None
        truth, _conflict = merged(parsed)
        return truth

    def rerolls(self, before: GameEnv, obs: str, action: str, predictions: list[Any],
                next_obs: str, known: Any) -> None:
        """Each distinct predicted outcome is one the engine's own chance can produce."""
        wanted = {freeze(p): p for p in predictions}
        # A re-run that ends the game shows no next position: those are matched by the end and
        # the rewards instead.
        answers = self.model.batch([(name, (p,)) for p in wanted.values()
                                    for name in ("is_terminal", "returns")])
        final = {key: as_returns(paid, self.players) if end is True else None
                 for key, end, paid in zip(wanted, answers[0::2], answers[1::2], strict=True)}
        ended: list[list[float]] = []
        outcomes: dict[Any, Any] = {}
        saved = random.getstate()
        tries = 0
        try:
            while wanted and tries < self.settings["max_rerolls"]:
                batch_views = []
                for _ in range(min(64, self.settings["max_rerolls"] - tries)):
                    twin = before.clone()
                    random.seed(self.rng.getrandbits(63))
                    twin.step(action)
                    tries += 1
                    if twin.done:
                        rewards = _rewards(twin, self.players)
                        if rewards is not None and rewards not in ended:
                            ended.append(rewards)
                        continue
                    batch_views.append(views(twin))
                flat = self.model.many("parse_state", [(v,) for vs in batch_views for v in vs])
                width = max(len(batch_views[0]) if batch_views else 1, 1)
                for index in range(0, len(flat), width):
                    group = flat[index:index + width]
                    if any(failed(g) for g in group):
                        continue
                    outcome, _ = merged(group)
                    outcome = project(outcome, known)
                    outcomes.setdefault(freeze(outcome), outcome)
                for key, prediction in list(wanted.items()):
                    if final[key] is not None:
                        if any(_close(final[key], r) for r in ended):
                            del wanted[key]
                    elif any(covers(prediction, o) for o in outcomes.values()):
                        del wanted[key]
        finally:
            random.setstate(saved)
        self.report.check(D)
        if wanted:
            odd = next(iter(wanted.values()))
            self.report.tiers[D].checks -= 1
            self.expect(False, D, R.TRANSITION, None, obs, action,
                        f"in {tries} re-runs of this step the engine never produced it "
                        f"({len(outcomes)} distinct outcomes)",
                        f"apply(determinisation, {action!r}) = {brief(odd, 500)}", next_obs)

    def final_views(self, env: GameEnv) -> None:
        """After the end, every player's observation parses to a finished game with the engine's
        rewards."""
        rewards = _rewards(env, self.players)
        for text in views(env):
            parsed = self.model.parse(text)
            if not self.called(parsed, "parse_state(final observation)", None, text):
                continue
            end, paid = self.model.batch([("is_terminal", (parsed,)), ("returns", (parsed,))])
            mine = as_returns(paid, self.players)
            self.expect(end is True and mine is not None and rewards is not None
                        and _close(mine, rewards), D, R.TERMINAL, None, text, None,
                        f"the game is over with rewards {rewards}",
                        f"is_terminal = {brief(end)}, returns = {mine} for the final observation")


def _rewards(env: GameEnv, players: int) -> list[float] | None:
    try:
        rewards, _info = env.close()
    except Exception:  # noqa: BLE001 - an engine that breaks at the end
        return None
    if not rewards:
        return None
    return [float(rewards.get(p, 0.0)) for p in range(players)]


def _close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 1e-6 for x, y in zip(a, b, strict=True))


def never_true(report: R.WorldModelReport, game: str, min_visits: int = 30,
               min_share: float = 0.25) -> None:
    """The information tier's rule check, over the whole run: in an information state seen at
    least ``min_visits`` times, a hidden part that ``sample_state`` draws at least ``min_share``
    of the time but that was never the truth breaks the rules (e.g. dealing the player's own card
    to the opponent). A correct sampler trips it with probability below
    ``(1 - min_share) ** min_visits`` (2e-4) per state and value."""
    for entry in report.support.values():
        if entry["visits"] < min_visits:
            continue
        total = sum(entry["drawn"].values())
        report.check(INFO)
        odd = [key for key, count in entry["drawn"].items()
               if count >= min_share * total and key not in entry["truths"]]
        if odd:
            seed, step, obs = entry["example"]
            report.fail(INFO, R.ModelContradiction(
                INFO, R.DETERMINISATION, game, seed, step, None, obs, None,
                f"in {entry['visits']} visits of this information state the hidden part was "
                f"never {brief(odd[0], 300)}",
                f"sample_state draws it {entry['drawn'][odd[0]]} times in {total}"))

