"""The Prefect server a run starts dies with the run, however the run ends.

`newsfigures run` is killed with SIGKILL (its pid only, as an OOM killer or `kill -9` would):
no finally, no atexit. Whatever it started (the loopback Prefect server, the process pool's
workers) must not outlive it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import REPO, alive, descendants, listening

from newsfigures.config import Project

pytestmark = pytest.mark.prefect

CLI = [sys.executable, "-m", "newsfigures.cli"]
UNDER_WAY_TIMEOUT = 240.0  # the server's start and the workers' imports, on a busy machine
GRACE = 10.0


def _port(command_line: str) -> int | None:
    found = re.search(r"--port (\d+)", command_line)
    return int(found.group(1)) if found else None


def _wait_under_way(cli: subprocess.Popen[bytes], lock: Path, workers: bool) -> dict[int, str]:
    """Every process below the CLI seen until the run holds the warehouse lock (and, for a
    process-pool run, its workers have started)."""
    seen: dict[int, str] = {}
    deadline = time.monotonic() + UNDER_WAY_TIMEOUT
    while time.monotonic() < deadline:
        assert cli.poll() is None, f"the run ended (exit {cli.returncode}) before it was killed"
        seen.update(descendants(cli.pid))
        holding = lock.exists() and lock.read_text().startswith("run ")
        pool = any("multiprocessing.spawn" in line for line in seen.values())
        if holding and (pool or not workers):
            return seen
        time.sleep(0.2)
    pytest.fail(f"the run was not under way within {UNDER_WAY_TIMEOUT:.0f} s: {seen}")


def test_a_killed_run_leaves_no_process_behind(project: Project, tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synth

    # Big enough for the process pool (`auto`), so that its workers are tested too.
    files = project.settings.execution.process_from_files
    synth.generate(files, tmp_path / "articles", seed=11, gold=False)
    warehouse = tmp_path / "warehouse"
    env = {**os.environ, "NO_COLOR": "1"}
    cli = subprocess.Popen(
        [*CLI, "run", "--seeds", str(tmp_path / "articles"), "--warehouse", str(warehouse)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    seen: dict[int, str] = {}
    try:
        workers = project.settings.execution.task_runner in ("auto", "process")
        seen = _wait_under_way(cli, warehouse / ".lock", workers)
        ports = {port for line in seen.values() if (port := _port(line))}
        assert ports, f"no Prefect server among the run's processes: {seen}"

        os.kill(cli.pid, signal.SIGKILL)  # the CLI only, not its process group
        cli.wait()
        deadline = time.monotonic() + GRACE
        while time.monotonic() < deadline and any(alive(pid) for pid in seen):
            time.sleep(0.2)

        survivors = {pid: line for pid, line in seen.items() if alive(pid)}
        assert not survivors, f"still running {GRACE:.0f} s after the run was killed: {survivors}"
        assert not [port for port in ports if listening(port)], "the server's port still answers"
    finally:
        # Whatever this test started and is still running, by pid.
        if cli.poll() is None:
            cli.kill()
            cli.wait()
        for pid in seen:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_ctrl_c_stops_a_process_pool_run_and_everything_it_started(
    project: Project, tmp_path: Path
) -> None:
    """Ctrl-C in a terminal is SIGINT to the whole foreground process group: the run, its
    server and the pool's workers. The workers leave it to the run, which stops the pool,
    says "interrupted" and exits 2, leaving no process behind."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synth

    files = project.settings.execution.process_from_files
    synth.generate(files, tmp_path / "articles", seed=12, gold=False)
    warehouse = tmp_path / "warehouse"
    cli = subprocess.Popen(
        [*CLI, "run", "--seeds", str(tmp_path / "articles"), "--warehouse", str(warehouse)],
        cwd=REPO,
        env={**os.environ, "NO_COLOR": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    seen: dict[int, str] = {}
    try:
        workers = project.settings.execution.task_runner in ("auto", "process")
        seen = _wait_under_way(cli, warehouse / ".lock", workers)
        os.killpg(cli.pid, signal.SIGINT)
        _, stderr = cli.communicate(timeout=UNDER_WAY_TIMEOUT)
        assert cli.returncode == 2, stderr.decode(errors="replace")[-2000:]
        assert stderr.decode().strip().splitlines()[-1] == "interrupted"
        deadline = time.monotonic() + GRACE
        while time.monotonic() < deadline and any(alive(pid) for pid in seen):
            time.sleep(0.2)
        assert not {pid: line for pid, line in seen.items() if alive(pid)}
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
        for pid in seen:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
