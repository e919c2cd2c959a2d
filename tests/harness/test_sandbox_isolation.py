"""Degrading visibly: the layer report, ``--require-isolation``, the host's own hardening, the
cgroup layer (against a stand-in cgroup tree) and other architectures."""

from __future__ import annotations

import ctypes
import os
import time

import pytest
from typer.testing import CliRunner

from autoharness.cli import app
from autoharness.harness.runtime import SandboxedHarness
from autoharness.harness.sandbox import cgroup, isolation, seccomp

TRIVIAL = 'GAMES = ["T-v0"]\ndef propose_action(obs):\n    return "ok"\n' \
          'def eval_action(obs, action):\n    return True\n'
HANGS_AT_LOAD = TRIVIAL + "while True:\n    pass\n"


@pytest.fixture
def not_required(monkeypatch):
    monkeypatch.setenv(isolation.ENV, "0")


def test_the_report_names_every_layer_and_every_missing_reason(not_required):
    report = isolation.probe()
    line = report.summary()
    assert line.startswith("sandbox: kernel isolation ") and "\n" not in line
    assert "[" not in line and "{" not in line  # stays out of the way of JSON on stdout
    for layer, active in report.active.items():
        if not active and layer not in ("userns", "time_budget"):
            assert report.details.get(layer), layer
    if os.geteuid() == 0 and seccomp.supported() is None and report.active.get("landlock"):
        assert report.missing == {}, report.missing  # this machine (and CI): everything


def test_require_isolation_refuses_before_harness_code_runs(not_required):
    started = time.monotonic()
    with SandboxedHarness(HANGS_AT_LOAD, require_isolation=True, disable=["seccomp"],
                          load_timeout=5) as harness:
        refusal = harness.propose("x")
    assert refusal.kind == "blocked" and "seccomp" in refusal.message
    assert time.monotonic() - started < 3  # it never ran the module (that would time out)


def test_require_isolation_from_the_environment(monkeypatch):
    monkeypatch.setenv(isolation.ENV, "1")
    with SandboxedHarness(TRIVIAL, disable=["pidns"]) as harness:
        assert harness.propose("x").kind == "blocked"
    with SandboxedHarness(TRIVIAL) as harness:
        missing = isolation.missing_layers(harness.protections, harness.layer_details)
        assert (harness.propose("x") == "ok") == (not missing)


def test_the_flag_exits_3_when_a_kernel_layer_is_missing(monkeypatch, not_required):
    fake = isolation.Isolation({"seccomp": False, "pidns": True},
                               {"seccomp": "the seccomp filter is written for x86-64"})
    monkeypatch.setattr(isolation, "probe", lambda: fake)
    result = CliRunner().invoke(app, ["verify", "tictactoe", "--steps", "5", "--seeds", "1",
                                      "--require-isolation"])
    assert result.exit_code == 3, result.output
    assert "--require-isolation" in result.output and "x86-64" in result.output
    assert os.environ[isolation.ENV] == "1"  # workers started by the command refuse too
    without = CliRunner().invoke(app, ["verify", "tictactoe", "--steps", "5", "--seeds", "1"])
    assert without.exit_code == 3  # still required in this process: a real run would refuse


def test_the_host_is_not_dumpable_once_a_worker_ran(not_required):
    with SandboxedHarness(TRIVIAL) as harness:
        assert harness.propose("x") == "ok"
        assert harness.protections["host_nondumpable"]
    libc = ctypes.CDLL(None)
    assert libc.prctl(3, 0, 0, 0, 0) == 0  # PR_GET_DUMPABLE


def test_other_architectures_are_refused_clearly(monkeypatch):
    class Uname:
        machine = "aarch64"

    monkeypatch.setattr(seccomp.os, "uname", lambda: Uname())
    reason = seccomp.supported()
    assert reason and "x86-64" in reason and "aarch64" in reason
    assert seccomp.install(lambda *args: pytest.fail("must not call prctl"), ctypes) == reason


def test_a_delegated_cgroup_gets_per_worker_limits(tmp_path, monkeypatch):
    root = tmp_path / "delegated"
    root.mkdir()
    (root / "cgroup.controllers").write_text("cpu memory pids\n")
    (root / "cgroup.subtree_control").write_text("")
    monkeypatch.setenv(cgroup.ENV, str(root))
    cgroup.delegated.cache_clear()
    try:
        found, detail = cgroup.delegated()
        assert found == root and "memory.max" in detail
        group = cgroup.attach(4242, 256)
        assert group is not None and group.parent == root
        assert (group / "cgroup.procs").read_text() == "4242"
        assert (group / "pids.max").read_text() == "3"
        assert int((group / "memory.max").read_text()) == (256 + 64) << 20
        assert (group / "cpu.max").read_text() == "100000 100000"
        (root / "cgroup.controllers").write_text("cpu\n")
        cgroup.delegated.cache_clear()
        found, detail = cgroup.delegated()
        assert found is None and "memory" in detail and "pids" in detail
    finally:
        cgroup.delegated.cache_clear()


def test_without_delegation_the_reason_is_given(monkeypatch):
    monkeypatch.delenv(cgroup.ENV, raising=False)
    cgroup.delegated.cache_clear()
    try:
        found, detail = cgroup.delegated()
        assert found is None and cgroup.ENV in detail
    finally:
        cgroup.delegated.cache_clear()


def test_the_scripts_directory_is_not_on_the_worker_path(monkeypatch):
    # under a console script (``autoharness verify``) sys.path[0] is ``.venv/bin``: inside the
    # installation's prefix, but no library, so it is neither on the worker's path nor mounted
    import sys

    from autoharness.harness.sandbox import paths

    scripts = os.path.dirname(sys.executable)
    monkeypatch.setattr(sys, "path", [scripts, *sys.path])
    found = paths.library_paths.__wrapped__()
    assert os.path.realpath(scripts) not in {os.path.realpath(p) for p in found}
    assert any(os.path.isfile(os.path.join(p, "random.py")) for p in found)  # the stdlib stays
