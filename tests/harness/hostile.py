"""Building hostile harness sources for the sandbox tests.

``source(attack)`` gives a harness whose ``eval_action(obs, "attack")`` and
``propose_action("attack")`` run the attack, and that otherwise answers ``True`` / ``"ok"``.
``ESCAPE`` defines ``_module(name)``: the classic escape from a restricted namespace (walk
``object.__subclasses__()`` to a function whose ``__globals__`` hold ``sys``), which defeats the
import guard and reaches any module, so the tests exercise the audit hook and the kernel layers.
"""

from __future__ import annotations

import textwrap

ESCAPE = '''
def _sys():
    for cls in ().__class__.__base__.__subclasses__():
        init = cls.__dict__.get("__init__")
        found = getattr(init, "__globals__", None)
        if isinstance(found, dict) and hasattr(found.get("sys"), "modules"):
            return found["sys"]
    raise RuntimeError("no escape route")


def _module(name):
    sys = _sys()
    if name not in sys.modules:
        sys.modules["builtins"].__import__(name)
    return sys.modules[name]
'''


def source(attack: str = "pass", propose_attack: str | None = None, prelude: str = "",
           extra: str = "") -> str:
    """A harness running ``attack`` on ``eval_action(obs, "attack")`` (and ``propose_attack``,
    default the same, on ``propose_action("attack")``)."""
    def block(code: str) -> str:
        return textwrap.indent(textwrap.dedent(code).strip("\n") or "pass", " " * 8)

    body = block(attack)
    propose_body = block(propose_attack if propose_attack is not None else attack)
    return (f'"""A hostile test harness."""\nGAMES = ["Test-v0"]\n{prelude}\n{ESCAPE}\n{extra}\n'
            f"def eval_action(obs, action):\n    if action == 'attack':\n{body}\n"
            f"    return True\n\n\n"
            f"def propose_action(obs):\n    if obs == 'attack':\n{propose_body}\n"
            f"    return 'ok'\n")
