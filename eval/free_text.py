"""Which benchmark games accept free text as a move?

At positions of a harness-driven game, ask the oracle about strings that name no move at all.
A game where such a string is legal somewhere has a free-text component (a message, a pass that
takes any text, a parser that ignores what it does not understand); its legal-action rate says
less there, and a verifier must accept that text too. The table is written to eval/free-text.md.

    python eval/free_text.py [--positions 40]
"""

from __future__ import annotations

import argparse

import pandas as pd

from autoharness.arena import GameEnv, benchmark_ids
from autoharness.harness.library import find_harness
from autoharness.harness.runtime import SandboxedHarness

JUNK = ["hello", "[hello world]", "I pass.", "[]", "[???]", "let me think about this"]


def probe(game_id: str, positions: int) -> dict:
    seen = accepted_positions = 0
    accepted: set[str] = set()
    source = find_harness(game_id).read_text()
    with SandboxedHarness(source, name=game_id, seed=0) as harness:
        episode = 0
        while seen < positions and episode < 20:
            env = GameEnv(game_id, seed=episode)
            episode += 1
            while not env.done and seen < positions:
                seen += 1
                hits = [junk for junk in JUNK if env.is_legal(junk).legal]
                accepted.update(hits)
                accepted_positions += bool(hits)
                action = harness.propose(env.observation())
                if not isinstance(action, str):
                    break
                env.step(action)
    return {"game": game_id, "positions": seen, "positions_accepting_junk": accepted_positions,
            "junk_accepted": ", ".join(repr(j) for j in JUNK if j in accepted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=40)
    parser.add_argument("--out", default="eval/free-text.md")
    args = parser.parse_args()
    rows = [probe(game, args.positions) for game in benchmark_ids()]
    table = pd.DataFrame(rows)
    free = table[table.positions_accepting_junk > 0]
    text = free.to_string(index=False)
    print(text)
    with open(args.out, "w") as handle:
        handle.write("# Games that accept free text as a move\n\n"
                     f"Oracle verdicts on {len(JUNK)} strings that name no move ({JUNK}) at the "
                     f"first {args.positions} positions of harness-driven games (seeds 0, 1, …), "
                     f"for all {len(table)} benchmark games. Games not listed accepted none of "
                     "them at those positions.\n\n```\n" + text + "\n```\n")


if __name__ == "__main__":
    main()
