"""The Prefect API a command talks to: the configured one, else a server on 127.0.0.1 that this
process starts, owns and stops, and that dies with it.

Prefect's own ephemeral mode (Prefect 3.8, `prefect.server.api.server.SubprocessASGIServer`)
runs its API in a uvicorn *subprocess* and stops it from `atexit`: a CLI killed with SIGKILL
leaves that server running, holding its port and the SQLite database in PREFECT_HOME. So both
commands start their server here instead, through `lifeline` (the kernel kills it when this
process dies), in a session of its own (a terminal's Ctrl-C reaches this process, which then
stops the server after Prefect is done with it):

- `newsfigures run` (`services=False`): the very server Prefect's ephemeral mode starts
  (uvicorn on Prefect's app, the services a flow run needs, no UI, no scheduler);
- `newsfigures serve` (`services=True`): `prefect server start`, scheduler and UI included
  (Prefect cannot schedule on an ephemeral server).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from newsfigures.run import lifeline

LOOPBACK = "127.0.0.1"
# uvicorn's exit status when it could not start (the port taken between choice and bind).
_STARTUP_FAILURE = 3


@dataclass(frozen=True)
class PrefectApi:
    """The API in use; `log` is the server's log when this process started the server."""

    url: str
    log: Path | None = None

    @property
    def started_here(self) -> bool:
        return self.log is not None


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the server will bind: a port left in TIME_WAIT by a previous server is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def _server_command(port: int, services: bool) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of the server: see the module's docstring."""
    import prefect
    from prefect.settings import get_current_settings

    # The settings in effect here (temporary ones included), as Prefect passes them on.
    env = {**os.environ, **get_current_settings().to_environment_variables(exclude_unset=True)}
    # The server's console is its log file: what the CLI keeps off the terminal belongs there.
    env.pop("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", None)
    address = ["--host", LOOPBACK, "--port", str(port)]
    if services:
        start = ["server", "start", *address, "--analytics-off"]
        return [sys.executable, "-m", "prefect", *start], env
    # As SubprocessASGIServer._run_uvicorn_command starts it in Prefect 3.8.
    env.update(PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1", PREFECT__SERVER_FINAL="1")
    app = ["--app-dir", str(prefect.__module_path__.parent), "--factory"]
    app += ["prefect.server.api.server:create_app", "--log-level", "error", "--lifespan", "on"]
    return [sys.executable, "-m", "uvicorn", *app, *address], env


def _start(port: int, services: bool, log_path: Path) -> subprocess.Popen[bytes]:
    command, env = _server_command(port, services)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        return subprocess.Popen(
            lifeline.command(command),
            stdin=subprocess.DEVNULL,  # not the terminal's: it reads nothing, in its own session
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


def _wait_healthy(
    server: subprocess.Popen[bytes], api_url: str, deadline: float, log_path: Path
) -> bool:
    """True once the server answers, False if it could not start; raises if it ended
    otherwise or did not answer by `deadline`."""
    import httpx

    with httpx.Client(trust_env=False, timeout=2) as client:
        while True:
            if server.poll() is not None:
                if server.returncode == _STARTUP_FAILURE:
                    return False
                raise RuntimeError(
                    f"the Prefect server exited with code {server.returncode}: see {log_path}"
                )
            try:
                if client.get(f"{api_url}/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Prefect server did not answer in time: see {log_path}")
            time.sleep(0.1)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def loopback_server(
    log_path: Path, timeout: float, *, services: bool, port: int | None = None
) -> Iterator[str]:
    """A Prefect server on 127.0.0.1 for the duration of the block; yields its API URL.

    `port` when free, else any free port. The server dies with this process (`lifeline`),
    so start it from the main thread.
    """
    deadline = time.monotonic() + timeout
    while True:
        chosen = port if port is not None and _port_is_free(port) else _free_port()
        api_url = f"http://{LOOPBACK}:{chosen}/api"
        server = _start(chosen, services, log_path)
        try:
            healthy = _wait_healthy(server, api_url, deadline, log_path)
        except BaseException:
            _stop(server)
            raise
        if healthy:
            break
        if _port_is_free(chosen):  # it did not fail for want of its port
            raise RuntimeError(f"the Prefect server could not start: see {log_path}")
        # Another process took the port between the choice and the bind: choose again.
    try:
        yield api_url
    finally:
        _stop(server)


def _drain_prefect_workers() -> None:
    """Send what Prefect's background workers still hold (logs, events). They flush at
    exit, after this process stopped its server: flushed then, they would retry against a
    closed port."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all()
    EventsWorker.drain_all()


@contextmanager
def _api_url(api_url: str) -> Iterator[None]:
    """PREFECT_API_URL for the block, everywhere Prefect looks: the variable, for this
    process's children (flow-run processes, process-pool workers); Prefect's process-wide
    settings, read from the environment at import, for its threads that start without a
    settings context; the current settings context. Wherever it is missing, Prefect starts
    an ephemeral server of its own."""
    from prefect.context import refresh_global_settings_context
    from prefect.settings import PREFECT_API_URL, temporary_settings

    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api_url
    refresh_global_settings_context()
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
        refresh_global_settings_context()


@contextmanager
def prefect_api(log_name: str, *, services: bool) -> Iterator[PrefectApi]:
    """The configured Prefect API (PREFECT_API_URL), else a `loopback_server` started for the
    block, logging to PREFECT_HOME/`log_name`, and set for this process and its children."""
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_HOME,
        PREFECT_SERVER_API_PORT,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    )

    configured = PREFECT_API_URL.value()
    if configured:
        yield PrefectApi(configured)
        return
    log_path = Path(PREFECT_HOME.value()) / log_name
    timeout = float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    # `prefect server start`'s port, as a user of the UI expects it; an ephemeral one's is any.
    port = int(PREFECT_SERVER_API_PORT.value()) if services else None
    with loopback_server(log_path, timeout, services=services, port=port) as url, _api_url(url):
        try:
            yield PrefectApi(url, log_path)
        finally:
            _drain_prefect_workers()
