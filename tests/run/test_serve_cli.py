"""`newsfigures serve` in a terminal, as a user runs it: Ctrl-C stops it and the server it
started, and the command it prints to trigger a run works from a new terminal.

The command runs on a pseudo-terminal that is its controlling terminal, so Ctrl-C (the byte
0x03 typed into it) is delivered as a terminal delivers it: SIGINT to the foreground process
group. Each test copies the project (state in its own .prefect/) and serves on a free port
without the UI; whatever it started is killed, by pid, at teardown.
"""

from __future__ import annotations

import contextlib
import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
import yaml
from support import REPO, alive, copy_project, descendants, listening

from newsfigures.config import Project

pytestmark = pytest.mark.prefect

LOOPBACK = "127.0.0.1"
SERVING_TIMEOUT = 240.0  # a first server start migrates a new database
STOP_TIMEOUT = 60.0
RUN_TIMEOUT = 180.0
TERMINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
# Make the pseudo-terminal on stdin the controlling terminal of a new session, then become
# the command: the command's process group is the terminal's foreground group.
WITH_TERMINAL = (
    "import fcntl, os, sys, termios; os.setsid(); fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class Terminal:
    """`newsfigures serve` on a pseudo-terminal; what it printed, and what it started."""

    def __init__(self, project: Path, port: int) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PREFECT_") and key != "NEWSFIGURES_PROJECT"
        }
        env.update(
            PREFECT_SERVER_API_PORT=str(port),
            PREFECT_SERVER_UI_ENABLED="false",  # saves building the UI
            NO_COLOR="1",
            TERM="xterm",
            NO_PROXY=f"{LOOPBACK},localhost",
            no_proxy=f"{LOOPBACK},localhost",
        )
        self.project = project
        self.port = port
        self.api = f"http://{LOOPBACK}:{port}/api"
        self.seen: dict[int, str] = {}
        self._output = bytearray()
        self._master, slave = pty.openpty()
        command = [sys.executable, "-m", "newsfigures.cli", "--project", str(project), "serve"]
        self.process = subprocess.Popen(
            [sys.executable, "-c", WITH_TERMINAL, *command],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=project,
            env=env,
        )
        os.close(slave)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):  # EIO once no process holds the terminal
            while chunk := os.read(self._master, 65536):
                self._output.extend(chunk)

    @property
    def output(self) -> str:
        return self._output.decode(errors="replace").replace("\r\n", "\n")

    def wait_serving(self, deployment: str) -> None:
        """Until the deployment is registered on the server it started and the command it
        prints to trigger a run has been printed."""
        deadline = time.monotonic() + SERVING_TIMEOUT
        with httpx.Client(base_url=self.api, trust_env=False, timeout=5) as api:
            while time.monotonic() < deadline:
                assert self.process.poll() is None, f"serve exited:\n{self.output}"
                self.seen.update(descendants(self.process.pid))
                printed = re.search(r"deployment run[^\n]*\n", self.output)
                with contextlib.suppress(httpx.HTTPError):
                    if printed and api.get(f"/deployments/name/{deployment}").status_code == 200:
                        return
                time.sleep(0.5)
        pytest.fail(
            f"serve did not serve {deployment} within {SERVING_TIMEOUT:.0f} s:\n{self.output}"
        )

    def ctrl_c(self) -> None:
        os.write(self._master, b"\x03")

    def close(self) -> None:
        """Kill whatever is still running of what this started, by pid."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # its session's group
            self.process.wait()
        for pid in self.seen:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        os.close(self._master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    started = Terminal(copy_project(tmp_path / "project"), _free_port())
    try:
        yield started
    finally:
        started.close()


def _deployment() -> str:
    from flows.pipeline import pipeline

    spec = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    return f"{pipeline.name}/{spec['deployments'][0]['name']}"


def test_ctrl_c_stops_serve_and_the_server_it_started(terminal: Terminal) -> None:
    terminal.wait_serving(_deployment())
    started = dict(terminal.seen)
    assert started, "serve started no process (its Prefect server)"

    terminal.ctrl_c()
    try:
        terminal.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve still running {STOP_TIMEOUT:.0f} s after Ctrl-C:\n{terminal.output}")

    output = terminal.output
    assert terminal.process.returncode == 0, output
    assert "Traceback" not in output, output
    assert "newsfigures serve stopped" in output.splitlines()[-1], output
    assert not listening(terminal.port), f"port {terminal.port} still answers"
    assert not [pid for pid in started if alive(pid)], f"still running: {started}"


def _printed_command(output: str) -> str:
    """The command serve printed to run the deployment now (`$ ` is a prompt, not typed)."""
    lines = [line.strip() for line in output.splitlines() if "deployment run" in line]
    assert lines, f"serve printed no command to trigger a run:\n{output}"
    return lines[-1].removeprefix("$ ")


def _new_terminal(home: Path) -> dict[str, str]:
    """A new terminal's environment: no Prefect setting, no virtualenv on the PATH."""
    venv = Path(sys.prefix)
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if not p.startswith(str(venv))]
    return {"PATH": os.pathsep.join(path), "HOME": str(home), "LANG": "C.UTF-8"}


def _wait_terminal(api: httpx.Client, flow_run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        run = api.get(f"/flow_runs/{flow_run_id}").json()
        if (run.get("state") or {}).get("type") in TERMINAL_STATES:
            return run
        time.sleep(0.5)
    pytest.fail(f"flow run {flow_run_id} did not finish within {RUN_TIMEOUT:.0f} s")


def test_the_printed_command_runs_the_deployment_from_a_new_terminal(
    terminal: Terminal, project: Project, tmp_path: Path
) -> None:
    terminal.wait_serving(_deployment())
    command = _printed_command(terminal.output)

    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "home").mkdir(parents=True)
    done = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=elsewhere,
        env=_new_terminal(elsewhere / "home"),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    said = f"$ {command}\n{done.stdout}{done.stderr}"
    assert done.returncode == 0, said
    flow_run = re.search(r"UUID: ([0-9a-f-]{36})", done.stdout)
    assert flow_run, said

    with httpx.Client(base_url=terminal.api, trust_env=False, timeout=10) as api:
        run = _wait_terminal(api, flow_run.group(1))
    assert run["state"]["type"] == "COMPLETED", f"{run['state']}\n{terminal.output}"
    # The deployment's warehouse, in the served project: every seed article loaded.
    database = terminal.project / "warehouse" / project.settings.warehouse.database
    with duckdb.connect(str(database), read_only=True) as con:
        documents = con.execute("select count(*) from documents").fetchone()
    assert documents == (len(list((terminal.project / "seeds").glob("*.txt"))),)
