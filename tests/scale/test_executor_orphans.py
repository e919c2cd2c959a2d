"""A driver killed with SIGKILL takes its local pool with it.

ProcessPoolExecutor's workers wait on a queue whose writing end they hold themselves, so without
the pool's driver watch they (and the forkserver, which waits for them) outlived a killed
`learn --games` or `bench` forever."""

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DRIVER = textwrap.dedent("""
    import os, sys, time
    from autoharness.scale.executor import LocalExecutor

    executor = LocalExecutor(2)
    pids = {executor.submit(os.getpid).result() for _ in range(8)}
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(600)
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_pool_workers_exit_when_the_driver_is_killed() -> None:
    driver = subprocess.Popen([sys.executable, "-c", DRIVER], cwd=REPO, text=True,
                              stdout=subprocess.PIPE, start_new_session=True)
    try:
        workers = [int(pid) for pid in driver.stdout.readline().split()]
        assert workers and driver.pid not in workers
        assert all(_alive(pid) for pid in workers)
        os.kill(driver.pid, signal.SIGKILL)  # the driver alone: nothing gets to clean up
        driver.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "pool workers outlived their driver"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(driver.pid, signal.SIGKILL)
        driver.wait()
