"""Code world models: harness functions that simulate the game, their verification against the
engine (``verify``), an MCTS/ISMCTS planner over them (``uct``, ``agent``) and the world-model
objective for ``learn``. ``derive`` describes the functions a harness file may define."""
