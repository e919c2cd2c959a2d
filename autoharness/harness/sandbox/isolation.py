"""Which sandbox layers this machine gives, said once, and ``--require-isolation``.

``probe()`` starts one worker with a trivial harness and reads its layer report (what the kernel
actually allowed, with the reason for each missing layer); commands print ``summary()`` once.
With isolation required (``require(True)``, or ``AUTOHARNESS_REQUIRE_ISOLATION=1`` in the
environment, which worker processes of a command inherit), every worker checks the kernel layers
itself before any harness code runs and refuses to load the harness when one is missing.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from autoharness.harness.sandbox.protocol import REQUIRED_LAYERS, missing_layers

ENV = "AUTOHARNESS_REQUIRE_ISOLATION"
REQUIRED = REQUIRED_LAYERS
_NAMES = {
    "pidns": "PID namespace", "netns": "network namespace", "ipcns": "IPC namespace",
    "utsns": "UTS namespace",
    "userns": "user namespace", "mountns": "private root", "landlock": "Landlock",
    "uid": "unprivileged uid", "no_new_privs": "no-new-privs", "pdeathsig": "parent-death signal",
    "seccomp": "seccomp", "host_nondumpable": "non-dumpable host", "cgroup": "cgroup",
    "rlimit_nproc": "no new processes", "rlimit_nofile": "descriptor limit",
    "rlimit_as": "memory limit",
}
_PROBE = '''GAMES = ["Probe-v0"]
def propose_action(obs):
    return "ok"
def eval_action(obs, action):
    return True
'''


def required() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


def require(on: bool = True) -> None:
    """Require the kernel layers for every worker started from now on (in this process and
    the processes it starts)."""
    if on:
        os.environ[ENV] = "1"
    else:
        os.environ.pop(ENV, None)


@dataclass(frozen=True)
class Isolation:
    active: dict[str, bool]
    details: dict[str, str]

    @property
    def missing(self) -> dict[str, str]:
        return missing_layers(self.active, self.details)

    def summary(self) -> str:
        """One line: the kernel layers in force and, for each missing layer, why."""
        shown = [name for name in _NAMES if name in self.active]
        on = []
        for name in shown:
            if self.active[name]:
                detail = self.details.get(name, "")
                short = detail if name in ("landlock", "uid") and len(detail) < 40 else ""
                on.append(_NAMES[name] + (f" ({short})" if short else ""))
        off = [f"{_NAMES[name]} ({self.details.get(name, 'unavailable')})" for name in shown
               if not self.active[name] and not (name == "userns" and self.active.get("uid"))]
        verdict = ("kernel isolation complete" if not self.missing else
                   "kernel isolation INCOMPLETE (missing: " + ", ".join(self.missing) + ")")
        return (f"sandbox: {verdict}; active: {', '.join(on) or 'none'}"
                + (f"; not active: {'; '.join(off)}" if off else ""))


@functools.cache
def probe() -> Isolation:
    """The layers a worker gets here (one trivial worker, started once per process)."""
    from autoharness.harness.sandbox.sandboxed import SandboxedHarness

    with SandboxedHarness(_PROBE, name="probe", budget=None, require_isolation=False) as worker:
        active, details = worker.protections, worker.layer_details
    return Isolation(active, details)
