"""The harness as the policy: the optional ``choose_action(obs) -> str`` of a harness file.

* ``episodes`` — whole episodes played by a harness function (``choose_action`` or
  ``propose_action``) in a hint-free engine, every action judged by the engine, with the
  episode's reward, its ending and the time of every call;
* ``check`` — ``verify``'s policy line: the policy's legality, rewards and move times;
* ``rewards`` — the reward benchmark (``autoharness bench --metric reward``);
* ``objective`` — ``autoharness learn --objective policy``: the paper's H = 0 if any action is
  illegal, else 0.5 + 0.5 · (mean reward, normalised per game to [0, 1]);
* ``paper`` — the AutoHarness paper's published figures, for side columns.
"""
