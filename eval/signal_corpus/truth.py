"""A mutant's true per-action legality, measured apart from any signal.

Per game, once (``Reference``): positions from the *library* harness's own play on seeds no
signal run uses, until 40,000 actions were judged (at most 2,000 positions); at each, a reference
set of actions — every move the engine lists, k library proposals, a sample of the library's
vocabulary (legal actions it played anywhere), near misses — each judged by the oracle (nothing
trusted), and whether the observation decides it.

Per mutant (``measure``): at every reference position its proposer is sampled k times (each
answer judged by the oracle) and its verifier judges the whole reference set. Then

    T = p_true · v_true,  p_true = legal proposals / proposals,
    v_true = (accept rate on the legal reference actions + reject rate on the illegal ones) / 2,

a failed call counting as wrong, undecidable verdicts not counted: the same quantity h estimates,
but exhaustive over fixed positions. ``live`` says whether the mutant differs from the library
anywhere here (a wrong answer the library does not give, or a legal action the library's
proposer produced at >= 10 positions that the mutant's never did, or k samples that spread over
< 85% as many distinct legal actions as the library's); a mutant that is not live is
equivalent as far as the engine can tell, and is left out of the detection rates.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from autoharness.arena import decidability
from autoharness.arena.env import GameEnv
from autoharness.arena.movelists import listed_moves
from autoharness.arena.rollout import episode_seed
from autoharness.probes.candidates import stress_mix

TRUTH_SEED = 900_000


@dataclass
class RefPosition:
    env: GameEnv
    observation: str
    actions: list[str]
    legal: list[bool]
    decided: list[bool]
    library_right: list[bool]
    library_samples: list[str]  # the library's legal proposals here


@dataclass
class Reference:
    game: str
    positions: list[RefPosition] = field(default_factory=list)
    library_produced: Counter = field(default_factory=Counter)  # legal action -> positions


def build_reference(game: str, library, vocabulary: list[str], judged: int = 40_000,
                    max_positions: int = 2000, lanes: int = 20, steps: int = 250, k: int = 8,
                    vocabulary_sample: int = 16, seed: int = 0) -> Reference:
    """Positions until ``judged`` oracle verdicts (or ``max_positions``): enough that rare
    classes (en passant, an under-promotion) occur, whatever the game's list lengths."""
    rng = random.Random(seed)
    reference = Reference(game)
    total = 0
    for lane in range(lanes):
        env, episode = GameEnv(game, seed=TRUTH_SEED + lane), 0
        for _step in range(steps):
            if total >= judged or len(reference.positions) >= max_positions:
                return reference
            if env.done:
                episode += 1
                env = GameEnv(game, seed=episode_seed(TRUTH_SEED + lane, episode))
            observation = env.observation()
            samples = [a for a in library.propose_many([observation] * k) if isinstance(a, str)]
            pool = list(listed_moves(env) or []) + samples
            pool += rng.sample(vocabulary, min(len(vocabulary), vocabulary_sample))
            pool += stress_mix(observation, samples[0] if samples else None, rng)
            actions = list(dict.fromkeys(pool))
            verdicts = [env.is_legal(a) for a in actions]
            total += len(actions)
            legal = [v.legal for v in verdicts]
            said = library.evaluate_many(observation, actions)
            position = RefPosition(
                env.clone(), observation, actions, legal,
                [decidability.verdict_decided(env, observation, a) for a in actions],
                [s is t for s, t in zip(said, legal, strict=True)],
                [a for a in samples if legal[actions.index(a)]])
            reference.positions.append(position)
            for action in set(position.library_samples):
                reference.library_produced[action] += 1
            playable = position.library_samples or [a for a, ok in zip(actions, legal,
                                                                       strict=True) if ok]
            if not playable:
                break
            env.step(rng.choice(playable))
    return reference


@dataclass
class Truth:
    T: float
    p_true: float
    v_true: float
    live: bool
    why_live: str


def measure(harness, reference: Reference, k: int = 8) -> Truth:
    proposals = legal_proposals = 0
    legal_n = legal_ok = illegal_n = illegal_ok = 0
    differs: list[str] = []
    produced: Counter = Counter()
    spread = library_spread = 0
    for position in reference.positions:
        index = {a: i for i, a in enumerate(position.actions)}
        library_spread += len(set(position.library_samples))
        here: set[str] = set()
        for answer in harness.propose_many([position.observation] * k):
            proposals += 1
            if not isinstance(answer, str):
                differs.append("propose_action failed")
                continue
            i = index.get(answer)
            ok = position.legal[i] if i is not None else position.env.is_legal(answer).legal
            legal_proposals += ok
            if not ok:
                differs.append("illegal proposal")
            elif answer not in here:
                here.add(answer)
                produced[answer] += 1
        spread += len(here)
        said = harness.evaluate_many(position.observation, position.actions)
        for verdict, legal, decided, library_right in zip(
                said, position.legal, position.decided, position.library_right, strict=True):
            if not decided:
                continue
            right = verdict is legal
            if legal:
                legal_n += 1
                legal_ok += right
            else:
                illegal_n += 1
                illegal_ok += right
            if not right and library_right:
                differs.append("wrong verdict where the library is right")
    rates = ([legal_ok / legal_n] if legal_n else []) + ([illegal_ok / illegal_n] if illegal_n
                                                         else [])
    v_true = sum(rates) / len(rates) if rates else 0.0
    p_true = legal_proposals / proposals if proposals else 0.0
    never = [a for a, n in reference.library_produced.items() if n >= 10 and not produced[a]]
    if never:
        differs.append(f"never proposed {len(never)} legal actions the library often proposes")
    if library_spread and spread < 0.85 * library_spread:
        differs.append(f"proposals spread over {spread} distinct legal actions where the "
                       f"library's spread over {library_spread}")
    return Truth(p_true * v_true, p_true, v_true, bool(differs),
                 "; ".join(dict.fromkeys(differs))[:200])
