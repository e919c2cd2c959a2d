"""The probe engine's run: lanes of play with every position judged by the engine.

A lane is one seed. At each position ``propose_action`` is asked, and the oracle judges the
answer; a legal answer is played, an illegal one (or a failed call) is recorded and the lane goes
on with a legal action that is known there (``substitute``); the lane ends only where none is
known, or after ``steps`` positions. Lanes advance in lockstep so one harness round trip serves a
round.

Every position probes ``eval_action`` with the proposal and with the moves the engine lists there
that the lane had not seen listed before (plus a few others). A sampled share of the positions
(``ProbePlan.positions`` over the run) gets the full probe: every listed move, the run's
vocabulary (every action the engine accepted anywhere in the run, in turn, within a budget), k
more proposals (their legality counts for the proposer and their spread for ``coverage.py``),
and the stress mix (``candidates.py``); a share of those (``ProbePlan.retry_share``) is probed
once more as the engine shows it after rejecting a move there (``after_rejection``). The
oracle judges every probed action, except that a move the engine lists is taken at its word
("legal") and sent to the oracle only when the verifier disagrees, or for a few audited at each
fully probed position (``list_errors`` counts listed moves the oracle rejected; the lists are
exact in every game measured, see tests/probes).
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autoharness.arena import decidability
from autoharness.arena.env import GameEnv, Verdict
from autoharness.arena.movelists import listed_moves
from autoharness.arena.profiles import DEFAULT_PROFILE, check_profile
from autoharness.arena.rollout import SLOW_RESET_GAMES, episode_seed
from autoharness.harness.stuck import IllegalClassifier
from autoharness.probes.candidates import stress_mix
from autoharness.probes.coverage import (
    CoverageTracker,
    beyond_samples,
    move_class,
    move_key,
    move_text,
    open_forms,
)
from autoharness.probes.kinds import (
    FALSE_ACCEPT,
    FALSE_REJECT,
    HARNESS_FAILURE,
    ILLEGAL_PROPOSAL,
    KINDS,
    NARROW_PROPOSER,
    SOURCE_DIVERSITY,
    SOURCE_LISTED,
    SOURCE_PROPOSAL,
    SOURCE_RETRY,
    SOURCE_STRESS,
    SOURCE_VOCABULARY,
    Contradiction,
)
from autoharness.probes.plan import Harness, ProbePlan
from autoharness.probes.report import ProbeReport
from autoharness.probes.vocabulary import Vocabulary


@dataclass
class _Lane:
    seed: int
    episode: int = 0
    actions: int = 0
    env: GameEnv | None = None
    finished: bool = False
    start: GameEnv | None = None  # a fresh copy of the first episode, for slow-reset games
    last_listed: dict[int, frozenset[str]] = field(default_factory=dict)


@dataclass
class _Position:
    """One position being probed: the truths found there, cached."""

    env: GameEnv
    observation: str
    player: int
    seed: int
    step: int
    listed: list[str] | None
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    outcomes: bool = False  # verdicts say where legal actions lead (coverage, unlisted moves)
    replies: list[str] | None = None  # the others' answers to a held move (GameEnv.is_legal)
    independent: set[str] = field(default_factory=set)  # probed here whatever the samples were

    @property
    def listed_set(self) -> frozenset[str]:
        return frozenset(self.listed or ())

    def known_legal(self) -> list[str]:
        return [a for a, v in self.verdicts.items() if v.legal]


class ProbeRun:
    def __init__(self, game_id: str, harness: Harness, seeds: Sequence[int], steps: int,
                 plan: ProbePlan, rng_seed: int, engine: str, players: int | None = None,
                 progress: Callable[[int], None] | None = None,
                 watch: Callable[[Contradiction], bool] | None = None) -> None:
        self.game_id, self.harness, self.steps, self.plan = game_id, harness, steps, plan
        self.engine, self.players, self.progress = check_profile(engine), players, progress
        self.watch, self.stopped = watch, False
        self.report = ProbeReport(game_id, list(seeds), steps, engine=self.engine,
                                  vocabulary_budget=plan.vocabulary_total,
                                  diversity_samples=plan.diversity_samples)
        self.rng = random.Random(rng_seed)
        self.retry_rng = random.Random(rng_seed + 2)  # its own: the other probes' draws stay
        self.stress_rng = random.Random(rng_seed + 3)  # so too the stress mix's
        total = max(1, len(self.report.seeds) * steps)
        self.full_probability = min(1.0, plan.positions / total)
        self.vocabulary = Vocabulary(plan.vocabulary_total)
        self.coverage = CoverageTracker(alpha=plan.alpha)
        self.classifier = IllegalClassifier(harness, self.vocabulary.words,
                                            random.Random(rng_seed + 1),
                                            vocabulary_limit=plan.substitute_vocabulary)
        self._kept: dict[str, int] = {}
        self.spread_keys: set[str] = set()  # move_keys seen naming moves to different states
        self.same_kinds: dict[str, str] = {}  # kind of move -> the kind it was seen to be one with
        self.open_forms: set[str] = set()  # forms seen with no end the game tells (coverage)

    # -- bookkeeping --------------------------------------------------------------------------
    def truth(self, position: _Position, action: str) -> Verdict:
        verdict = position.verdicts.get(action)
        if verdict is None:
            if position.outcomes and position.replies is None:
                # the others' answers, where the engine holds a move until they have moved
                position.replies = self.vocabulary.first_moves(8)
            verdict = position.env.is_legal(action, outcome=position.outcomes,
                                            replies=position.replies or ())
            self.report.oracle_checks += 1
            position.verdicts[action] = verdict
            if verdict.legal:
                self.vocabulary.learn(action)
        return verdict

    def add(self, kind: str, position: _Position, action: str | None, verdict: Verdict | None,
            said: bool | None, failure: str | None = None, source: str | None = None,
            missing: tuple[str, ...] = (), produced: tuple[str, ...] = (),
            pattern: str | None = None) -> None:
        report = self.report
        report.contradiction_counts[kind] = report.contradiction_counts.get(kind, 0) + 1
        report.first_found.setdefault(kind, report.interactions)
        item = Contradiction(
            kind, self.game_id, position.seed, position.step, position.player,
            position.observation, action, None if verdict is None else verdict.legal,
            None if verdict is None else verdict.reason, said, failure, source,
            tuple(missing), tuple(produced), report.interactions, pattern)
        if self.watch is not None and self.watch(item):
            self.stopped = True
        share = max(10, self.plan.max_contradictions // len(KINDS))
        if (self._kept.get(kind, 0) >= share
                or len(report.contradictions) >= self.plan.max_contradictions):
            return
        self._kept[kind] = self._kept.get(kind, 0) + 1
        report.contradictions.append(item)

    # -- lanes --------------------------------------------------------------------------------
    def new_episode(self, lane: _Lane) -> None:
        if lane.start is not None:
            lane.env = lane.start.clone()
        else:
            lane.env = GameEnv(self.game_id, seed=episode_seed(lane.seed, lane.episode),
                               players=self.players, engine=self.engine)
            if self.game_id in SLOW_RESET_GAMES:
                lane.start = lane.env.clone()
        lane.last_listed = {}

    def run(self) -> ProbeReport:
        lanes = [_Lane(seed) for seed in self.report.seeds]
        for lane in lanes:
            self.new_episode(lane)
        started = time.perf_counter()
        while True:
            active = [lane for lane in lanes if not lane.finished]
            if not active:
                break
            observations = [lane.env.observation() for lane in active]
            proposals = self.harness.propose_many(observations)
            for lane, observation, proposal in zip(active, observations, proposals, strict=True):
                self.position(lane, observation, proposal)
                if self.progress is not None:
                    self.progress(self.report.actions)
            if self.spent():
                break
        self.report.elapsed_s = time.perf_counter() - started
        self.report.vocabulary_size = len(self.vocabulary.words)
        self.report.vocabulary_probes = self.vocabulary.spent
        return self.report

    def spent(self) -> bool:
        plan, report = self.plan, self.report
        return self.stopped or (plan.max_interactions is not None
                                and report.interactions >= plan.max_interactions)

    def position(self, lane: _Lane, observation: str, proposal: Any) -> None:
        env = lane.env
        here = _Position(env, observation, env.current_player,
                         episode_seed(lane.seed, lane.episode), lane.actions, listed_moves(env))
        self.report.listed_positions += here.listed is not None
        full = self.rng.random() < self.full_probability
        here.outcomes = full and here.listed is None
        self.report.positions_probed += full
        play = self.judge_proposal(here, proposal)
        samples = self.diversity(here) if full else []
        self.probe(here, lane, proposal, samples, full)
        if full:
            self.check_coverage(here, samples)
            if self.retry_rng.random() < self.plan.retry_share:
                self.after_rejection(here, proposal)
        if play is None:
            if not self.plan.continue_after_illegal:
                lane.finished = True
                return
            play = self.substitute(here, proposal)
            if play is None:
                self.report.lanes_stuck += 1
                lane.finished = True
                return
            self.report.substitutions += 1
        result = env.step(play)
        if result.legal:
            self.vocabulary.learn(play)
        elif play == proposal and proposal in here.listed_set:  # the engine's list was wrong
            self.report.illegal_actions += 1
            self.report.legal_proposals -= 1
            self.add(ILLEGAL_PROPOSAL, here, proposal, Verdict(False, result.reason), None,
                     source=SOURCE_PROPOSAL)
        self.report.episodes_finished += result.done
        lane.actions += 1
        if lane.actions >= self.steps:
            lane.finished = True
        elif result.done:
            lane.episode += 1
            self.new_episode(lane)

    # -- the proposer ---------------------------------------------------------------------------
    def judge_proposal(self, here: _Position, proposal: Any) -> str | None:
        """Count the lane's proposal; the action to play if it is legal."""
        report = self.report
        report.actions += 1
        report.proposals += 1
        report.interactions += 1
        if not isinstance(proposal, str):
            report.harness_failures += 1
            report.illegal_actions += 1
            self.add(HARNESS_FAILURE, here, None, None, None, str(proposal), SOURCE_PROPOSAL)
            return None
        if proposal in here.listed_set:  # the engine's own word; the step confirms it
            report.legal_proposals += 1
            self.coverage.note_produced(move_key(proposal))
            return proposal
        verdict = self.truth(here, proposal)
        if verdict.legal:
            report.legal_proposals += 1
            self.coverage.note_produced(self.name_at(here, proposal))
            return proposal
        report.illegal_actions += 1
        report.engine_errors += verdict.engine_error is not None
        undecidable = (decidability.forced_guess(here.env, here.observation)
                       and not decidability.verdict_decided(here.env, here.observation, proposal))
        report.illegal_undecidable += undecidable
        if not undecidable:
            self.add(ILLEGAL_PROPOSAL, here, proposal, verdict, None, source=SOURCE_PROPOSAL)
        return None

    def diversity(self, here: _Position) -> list[str]:
        """k more proposals at a fully probed position, each judged: the string answers."""
        k = self.plan.diversity_samples
        if k <= 0:
            return []
        answers = self.harness.propose_many([here.observation] * k)
        return [a for a in answers if self.judge_sample(here, a, SOURCE_DIVERSITY)]

    def judge_sample(self, here: _Position, answer: Any, source: str) -> bool:
        """Count one proposal that is not a lane's move; False where the call failed."""
        report = self.report
        report.proposals += 1
        report.interactions += 1
        if not isinstance(answer, str):
            report.harness_failures += 1
            self.add(HARNESS_FAILURE, here, None, None, None, str(answer), source)
            return False
        verdict = Verdict(True) if answer in here.listed_set else self.truth(here, answer)
        if verdict.legal:
            report.legal_proposals += 1
        elif (not decidability.forced_guess(here.env, here.observation)
              or decidability.verdict_decided(here.env, here.observation, answer)):
            self.add(ILLEGAL_PROPOSAL, here, answer, verdict, None, source=source)
        return True

    def check_coverage(self, here: _Position, samples: list[str]) -> None:
        """The spread test, on moves (``move_key``): the legal ones the engine lists, or else
        those the other probes found legal here (not this position's own samples)."""
        if here.listed is not None:
            legal_samples = [move_key(a) for a in samples
                             if here.verdicts.get(a, Verdict(True)).legal]
            known = [move_key(a) for a in here.listed
                     if here.verdicts.get(a, Verdict(True)).legal]
        else:
            known, legal_samples = self.unlisted_moves(here, samples)
        spelled: dict[str, str] = {}  # move -> its shortest legal spelling here
        for action in sorted([*here.known_legal(), *(here.listed or [])], key=len, reverse=True):
            spelled[self.name_at(here, action)] = action
        exact = here.listed is not None
        open_ended: frozenset[str] = frozenset()
        if not exact:
            self.open_forms |= open_forms(known, here.observation)
            open_ended = beyond_samples(known, legal_samples, self.open_forms)
        for finding in self.coverage.observe(known, legal_samples, exact, open_ended):
            self.report.narrow_proposer += 1
            self.add(NARROW_PROPOSER, here, spelled.get(finding.action, finding.action),
                     Verdict(True), None, finding.why, SOURCE_DIVERSITY,
                     tuple(spelled.get(a, a) for a in finding.missing), tuple(samples),
                     pattern=finding.unit)

    def name_at(self, here: _Position, action: str) -> str:
        """A move's name at ``here``: its ``move_key`` where the engine lists the moves (the
        list names them), else ``move_name``."""
        return move_key(action) if here.listed is not None else self.move_name(action)

    def move_name(self, action: str) -> str:
        """A move's name where the engine lists none: its ``move_key``, or its whole text
        (``move_text``) once that key was seen naming moves that reach different states: the
        first bracketed token need not be the move ("[Propose] ABCDE", Tak's
        "[place () {(2,3): [F0]}]")."""
        key = move_key(action)
        name = move_text(action) if key in self.spread_keys else key
        kind = move_class(name)
        root = self.kind_of(kind)
        return name if root == kind else root + name[len(kind):]

    def kind_of(self, kind: str) -> str:
        """The kind of move ``kind`` was found to be one with (``same_kinds``), else itself."""
        while (root := self.same_kinds.get(kind, kind)) != kind:
            kind = root
        return kind

    def unlisted_moves(self, here: _Position, samples: list[str]) -> tuple[list[str], list[str]]:
        """Where the engine lists no moves: (the moves other probes found legal here, the
        samples' moves), both as one name per *move*. The engine tells which spellings are one
        move (they lead to the same state: "[w]" and "[up]") and which legal actions are no
        move to ask of a proposer: one that changes nothing ("[A A]" in Tower of Hanoi) or ends
        the game with the mover beaten (walking into a wall)."""
        before = here.env.state_key()
        # A key covers different moves where two of its texts reach different states. (One text
        # reaching two states is no sign: Surround keeps the raw text of a pending move.)
        reached: dict[str, dict[str, set[str]]] = {}  # move_key -> move_text -> states
        for action, verdict in here.verdicts.items():
            if verdict.legal and verdict.after is not None:
                texts = reached.setdefault(move_key(action), {})
                texts.setdefault(move_text(action), set()).add(verdict.after)
        for key, texts in reached.items():
            if key not in self.spread_keys and any(
                    not (a & b) for a, b in itertools.combinations(texts.values(), 2)):
                self.spread_keys.add(key)
        # Where two kinds of move reach one state ("[w]" is "[up]"; "[raise 5]" is "[bet 5]"
        # before any bet), they are one kind here: the proposer need not produce both. Where
        # they do so with the same arguments (" 5"), they are synonyms for the rest of the run
        # (two moves without arguments may meet by chance: Surround's walls end the game).
        by_state: dict[str, dict[str, str]] = {}  # state -> kind -> the arguments after it
        for action, verdict in here.verdicts.items():
            if verdict.legal and verdict.after not in (None, before) and not verdict.loses:
                move = self.move_name(action)
                kind = move_class(move)
                by_state.setdefault(verdict.after, {})[kind] = move[len(kind):]
        same: dict[str, str] = {}
        for kinds in by_state.values():
            if len(kinds) > 1:
                root = min(same.get(k, k) for k in kinds)
                for kind in kinds:
                    same[kind] = root
                for (one, rest), (other, also) in itertools.combinations(kinds.items(), 2):
                    if rest.strip() and rest == also:
                        self.same_kinds[max(one, other)] = min(one, other)
        name: dict[str, str] = {}  # state reached -> the move's name (its least spelling)
        for action, verdict in here.verdicts.items():
            if verdict.legal and verdict.after is not None:
                key = self.move_name(action)
                name[verdict.after] = min(name.get(verdict.after, key), key)
        if same:
            for after, move in name.items():
                kind = move_class(move)
                if same.get(kind, kind) != kind:
                    name[after] = same[kind] + move[len(kind):]

        def move_of(action: str) -> str | None:
            verdict = here.verdicts.get(action)
            if verdict is None or verdict.after is None:  # no outcome known: the spelling
                return self.move_name(action) if verdict is None or verdict.legal else None
            if not verdict.legal or verdict.after == before or verdict.loses:
                return None
            return name[verdict.after]

        own = set(samples) - here.independent
        # A move the observation does not show to be legal (a Minesweeper cell that only the
        # oracle knows holds no mine) is none a proposer can be asked for.
        known = [m for a in here.verdicts if a not in own and (m := move_of(a)) is not None
                 and decidability.verdict_decided(here.env, here.observation, a)]
        moves = [m for a in samples if (m := move_of(a)) is not None]
        return list(dict.fromkeys(known)), moves

    # -- the verifier ---------------------------------------------------------------------------
    def candidates(self, here: _Position, lane: _Lane, proposal: Any, samples: list[str],
                   full: bool) -> dict[str, str]:
        """The actions to ask eval_action about here, each with its source."""
        chosen: dict[str, str] = {}

        def take(actions, source: str) -> None:
            for action in actions:
                chosen.setdefault(action, source)

        if isinstance(proposal, str):
            take([proposal], SOURCE_PROPOSAL)
        listed = here.listed or []
        if full:
            take(listed, SOURCE_LISTED)
        elif listed:
            seen = lane.last_listed.get(here.player, frozenset())
            fresh = [a for a in listed if a not in seen]
            if len(fresh) > self.plan.new_listed:
                fresh = self.rng.sample(fresh, self.plan.new_listed)
            old = [a for a in listed if a in seen]
            take(fresh + self.rng.sample(old, min(len(old), self.plan.other_listed)),
                 SOURCE_LISTED)
        lane.last_listed[here.player] = here.listed_set
        if full:
            # The vocabulary's turn is blind to the samples: a move both produced is still
            # known here from a source of its own (``unlisted_moves``), and asked once.
            words = self.vocabulary.turn(self.plan.vocabulary_per_position, set(chosen))
            here.independent.update(words)
            take(samples, SOURCE_DIVERSITY)
            take(words, SOURCE_VOCABULARY)
            take(stress_mix(here.observation, proposal if isinstance(proposal, str) else None,
                            self.stress_rng, self.vocabulary.numbers), SOURCE_STRESS)
        return chosen

    def probe(self, here: _Position, lane: _Lane, proposal: Any, samples: list[str],
              full: bool) -> None:
        chosen = self.candidates(here, lane, proposal, samples, full)
        if not chosen:
            return
        actions = list(chosen)
        verdicts = self.harness.evaluate_many(here.observation, actions)
        listed = here.listed_set
        audit = set(self.rng.sample(sorted(listed), min(len(listed), self.plan.list_audit))
                    ) if full else set()
        for action, said in zip(actions, verdicts, strict=True):
            if action in listed and said is True and action not in audit | set(here.verdicts):
                truth = Verdict(True)  # the engine's own list; the oracle hears disagreements
                self.vocabulary.learn(action)
            else:
                truth = self.truth(here, action)
                if action in listed and not truth.legal:
                    self.report.list_errors += 1
            self.judge_verdict(here, action, chosen[action], said, truth)

    def judge_verdict(self, here: _Position, action: str, source: str, said: Any,
                      truth: Verdict) -> None:
        report = self.report
        report.interactions += 1
        report.stress_checks += 1
        report.probes_by_source[source] = report.probes_by_source.get(source, 0) + 1
        report.stress_legal += truth.legal
        report.stress_engine_errors += truth.engine_error is not None
        if not isinstance(said, bool):
            report.harness_failures += 1
            self.add(HARNESS_FAILURE, here, action, truth, None, str(said), source)
            return
        if said == truth.legal:
            report.accepted_legal += said
            report.rejected_illegal += not said
            return
        if not decidability.verdict_decided(here.env, here.observation, action):
            if said:
                report.undecidable_false_accepts += 1
            else:
                report.undecidable_false_rejects += 1
        elif said:
            report.false_accepts += 1
            report.engine_error_accepts += truth.engine_error is not None
            self.add(FALSE_ACCEPT, here, action, truth, True, source=source)
        else:
            report.false_rejects += 1
            self.add(FALSE_REJECT, here, action, truth, False, source=source)

    # -- after a rejected move --------------------------------------------------------------------
    def after_rejection(self, here: _Position, proposal: Any) -> None:
        """Probe the position the engine shows a player whose move it rejected: the same
        board, the rejection notice in the text, the same player asked again. An agent's
        illegal move (or a verifier's false accept) leads there in play; the lanes never do,
        since they go on with legal moves. One proposal and a few verdicts: the rejected move,
        the proposal, and legal moves known here."""
        rejected = sorted(a for a, v in here.verdicts.items()
                          if not v.legal and v.engine_error is None)
        if not rejected:
            return
        move = proposal if proposal in rejected else self.retry_rng.choice(rejected)
        twin = here.env.clone()
        if twin.step(move).legal or twin.done or twin.current_player != here.player:
            return  # the engine ends the game or passes the turn on a rejected move
        self.report.retry_positions += 1
        there = _Position(twin, twin.observation(), here.player, here.seed, here.step,
                          listed_moves(twin))
        [answer] = self.harness.propose_many([there.observation])
        self.judge_sample(there, answer, SOURCE_RETRY)
        known = here.known_legal() or list(here.listed or ())
        actions = list(dict.fromkeys(
            [move, *([answer] if isinstance(answer, str) else []),
             *self.retry_rng.sample(known, min(len(known), 2))]))
        for action, said in zip(actions, self.harness.evaluate_many(there.observation, actions),
                                strict=True):
            self.judge_verdict(there, action, SOURCE_RETRY, said, self.truth(there, action))

    # -- going on after an illegal proposal -----------------------------------------------------
    def substitute(self, here: _Position, proposal: Any) -> str | None:
        """A legal action to play instead: one judged legal here, else the first legal among the
        listed moves, more proposals, the vocabulary and the quoted tokens; None: stuck."""
        known = here.known_legal()
        if known:
            return self.rng.choice(known)
        rejected = proposal if isinstance(proposal, str) else ""
        for candidate in self.classifier.candidates(here.env, here.observation, rejected):
            if self.truth(here, candidate).legal:
                return candidate
        self.report.illegal_stuck += 1
        return None


def run_probes(game_id: str, harness: Harness, seeds: Sequence[int] = range(10),
               steps: int = 1000, *, plan: ProbePlan | None = None, rng_seed: int = 0,
               engine: str = DEFAULT_PROFILE, players: int | None = None,
               progress: Callable[[int], None] | None = None,
               watch: Callable[[Contradiction], bool] | None = None) -> ProbeReport:
    """Judge a harness's proposals and verdicts with the engine over seeds × steps.

    ``watch(contradiction)`` sees every contradiction as it is found (kept or not); True stops
    the run after the current round (detection studies, ``eval/learn_signal.py``)."""
    run = ProbeRun(game_id, harness, seeds, steps, plan or ProbePlan(), rng_seed, engine,
                   players, progress, watch)
    stats = getattr(harness, "stats", None)  # the runtimes' HarnessStats, for the slow count
    slow_before = stats.failures.get("slow", 0) if stats is not None else 0
    report = run.run()
    if stats is not None:
        report.slow_calls = stats.failures.get("slow", 0) - slow_before
    meter = getattr(harness, "meter", None)  # SandboxedHarness's time budget
    report.slow = getattr(meter, "exceeded", None)
    return report
