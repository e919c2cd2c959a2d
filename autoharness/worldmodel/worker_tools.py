# ---- autoharness world-model tools (appended by autoharness to run next to the model) ----------
# Standard library only, no ``from __future__``; every top-level name starts with ``_autoharness``
# except ``plan``, the one entry point (a harness function name the runtime can call). It reads the
# harness's own functions from the module globals and relies on ``AutoharnessMCTS`` (uct.py), which
# is appended just before this block.
import copy as _autoharness_copy

_AUTOHARNESS_TREES = {}


def _autoharness_model(request):
    namespace = globals()
    value = namespace.get("value") if request.get("use_value", True) else None
    return AutoharnessMCTS(  # noqa: F821 - defined by uct.py, appended before this block
        namespace["legal_actions"], namespace["apply"], namespace["current_player"],
        namespace["is_terminal"], namespace["returns"], value=value,
        players=request.get("players", 2), exploration=request.get("exploration", 1.0),
        rollout_limit=request.get("rollout_limit", 400),
        rollout_depth=request.get("rollout_depth", 0))


def _autoharness_search(obs, request):
    namespace = globals()
    key = request.get("key")
    planner = _AUTOHARNESS_TREES.get(key) if request.get("resume") else None
    if planner is None:
        planner = _autoharness_model(request)
        seed = int(request.get("seed", 0))
        sample_state = namespace.get("sample_state")
        if sample_state is not None and request.get("determinise", True):
            pool = int(request.get("determinisations", 0))
            if pool > 0:
                drawn = [sample_state(obs, seed * 1_000_003 + i) for i in range(pool)]

                def sample(rng, drawn=drawn):
                    return drawn[rng.randrange(len(drawn))]
            else:
                def sample(rng):
                    return sample_state(obs, rng.getrandbits(31))
            planner.start(sample=sample, seed=seed)
        else:
            planner.start(root=namespace["parse_state"](obs), seed=seed)
    planner.run(int(request.get("simulations", 100)))
    _AUTOHARNESS_TREES.clear()
    if key is not None:
        _AUTOHARNESS_TREES[key] = planner
    return planner.result()


def _autoharness_purity(request):
    """For each ``[name, args]``: does the call change its arguments, and does calling it again
    on an identical copy give an equal result?"""
    namespace = globals()
    report = []
    for name, args in request["calls"]:
        fn = namespace.get(name)
        if fn is None:
            report.append({"error": f"{name} is not defined"})
            continue
        before = _autoharness_copy.deepcopy(args)
        twin = _autoharness_copy.deepcopy(args)
        try:
            first = fn(*args)
            second = fn(*twin)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            report.append({"error": f"{type(error).__name__}: {error}"})
            continue
        report.append({"mutated": args != before, "repeatable": first == second})
    return report


def _autoharness_calls(request):
    """Many harness calls in one round trip: ``[name, args]`` each, answered ``{"value": v}`` or
    ``{"error": "Type: message"}``."""
    namespace = globals()
    answers = []
    for name, args in request["calls"]:
        try:
            answers.append({"value": namespace[name](*args)})
        except Exception as error:  # noqa: BLE001 - reported per item
            answers.append({"error": f"{type(error).__name__}: {error}"})
    return answers


def plan(obs, request):
    """The world-model tools: ``op`` "search" (MCTS from ``obs``), "purity" (mutation and
    repeatability probes), "calls" (a batch of harness calls) or "legal"
    (``legal_actions(parse_state(obs))`` in one call)."""
    op = request.get("op", "search")
    if op == "search":
        return _autoharness_search(obs, request)
    if op == "purity":
        return _autoharness_purity(request)
    if op == "calls":
        return _autoharness_calls(request)
    if op == "legal":
        namespace = globals()
        return list(namespace["legal_actions"](namespace["parse_state"](obs)))
    raise ValueError(f"unknown op {op!r}")
