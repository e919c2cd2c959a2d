"""The AutoHarness paper's game-play figures (Lou et al., arXiv 2603.03329), for side columns.

Only the means over the 16 one-player games are published as numbers in the text we could read;
no per-game figure is given here, so none is shown per game. Every column built from these is
labelled as the paper's: they were measured by the paper's authors, on their engine build, with
LLMs we cannot reach, and are not reproduced by this repository.
"""

from __future__ import annotations

SOURCE = "Lou et al. 2026 (AutoHarness, arXiv 2603.03329)"

#: Mean reward over the paper's 16 one-player game-play games.
PAPER_MEANS: dict[str, float] = {
    "Gemini-2.5-Flash": 0.673,
    "Gemini-2.5-Pro": 0.707,
    "GPT-5.2-High": 0.844,
    "Gemini-2.5-Flash + harness": 0.745,
    "harness-as-policy (Flash-synthesised code)": 0.870,
}

#: The paper's policy-search settings, quoted in the docs.
PAPER_POLICY_SEARCH = {"objective": "H = 0 if an action is illegal, else 0.5 + 0.5 r",
                       "node_budget": 256, "mean_iterations": 89.4, "mean_h": 0.939}
