"""prefect.yaml for real, on loopback only.

1. The production path (~25 s on 2 idle cores): a `prefect server start` on 127.0.0.1, the
   process work pool prefect.yaml names, `prefect deploy --all` from a copy of the project, a
   process worker, one run of the deployment, the warehouse it builds in the copy, and the
   runs the server's scheduler creates from the declared cron.
2. `newsfigures serve`: what it hands to Prefect's runner from prefect.yaml (monkeypatched:
   it never blocks), its errors, and the loopback server it starts when no API is configured
   (~10 s). The command in a terminal (Ctrl-C, the trigger command) is test_serve_cli.py.

Every process started here is stopped (SIGTERM, then SIGKILL, whole process group) in the
fixture teardown, whatever the test's outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
import yaml
from support import REPO, copy_project

pytestmark = pytest.mark.prefect

LOOPBACK = "127.0.0.1"
SERVER_START_TIMEOUT = 120.0
CLI_TIMEOUT = 120.0
RUN_TIMEOUT = 180.0
TERMINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _declared() -> dict[str, Any]:
    return yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))


def _prefect_cli() -> list[str]:
    script = Path(sys.executable).with_name("prefect")
    return [str(script)] if script.exists() else [sys.executable, "-m", "prefect"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 60) -> str:
    if not path.exists():
        return f"({path} not written)"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


@dataclass
class Started:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 60) -> str:
        return f"--- {self.name} log ({self.log}), last {lines} lines ---\n{_tail(self.log, lines)}"


@dataclass
class Processes:
    """Long-running subprocesses, each in its own process group, all stopped at teardown."""

    logs: Path
    started: list[Started] = field(default_factory=list)

    def start(self, name: str, args: list[str], env: dict[str, str], cwd: Path) -> Started:
        log = self.logs / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
            )
        process = Started(name, popen, log)
        self.started.append(process)
        return process

    def tails(self) -> str:
        return "\n".join(p.tail() for p in self.started)

    def stop_all(self) -> None:
        """Stop the last started first (the worker before the server), every one of them."""
        failures = []
        for process in reversed(self.started):
            try:
                _stop(process.popen)
            except Exception as exc:  # keep stopping the others
                failures.append(f"{process.name}: {exc!r}")
        assert not failures, f"could not stop: {failures}"


def _signal_group(popen: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(popen.pid, sig)  # the group this test created (start_new_session)


def _stop(popen: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Terminate the process and its children, then kill what is left."""
    if popen.poll() is None:
        _signal_group(popen, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            popen.wait(timeout=grace)
    # Children (a flow-run process, say) can outlive the leader: kill the group regardless.
    _signal_group(popen, signal.SIGKILL)
    if popen.poll() is None:
        popen.wait(timeout=30)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    logs = tmp_path / "logs"
    logs.mkdir()
    group = Processes(logs)
    try:
        yield group
    finally:
        group.stop_all()


@dataclass(frozen=True)
class Server:
    api_url: str
    home: Path
    process: Started


def _environment(home: Path, api_url: str | None, cwd: Path) -> dict[str, str]:
    """A clean Prefect environment: no setting inherited from the developer's shell."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PREFECT_") and key != "NEWSFIGURES_PROJECT"
    }
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="INFO",
        # Nothing here is remote: never route loopback through a proxy.
        NO_PROXY=f"{LOOPBACK},localhost",
        no_proxy=f"{LOOPBACK},localhost",
        # What a shell sets after `cd`; prefect.yaml's `{{ $PWD }}` reads this variable.
        PWD=str(cwd),
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def _wait_healthy(server: Started, api_url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    with httpx.Client(trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline:
            if server.popen.poll() is not None:
                return False
            try:
                if client.get(f"{api_url}/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
    return False


@pytest.fixture
def prefect_server(tmp_path: Path, processes: Processes) -> Server:
    """`prefect server start` on a free 127.0.0.1 port, with its own PREFECT_HOME."""
    home = tmp_path / "prefect-home"
    home.mkdir()
    for attempt in range(3):  # another process may take the free port before the server does
        port = _free_port()
        api_url = f"http://{LOOPBACK}:{port}/api"
        args = [*_prefect_cli(), "server", "start", "--host", LOOPBACK, "--port", str(port)]
        args += ["--no-ui", "--analytics-off"]
        server = processes.start(
            f"server-{attempt}", args, _environment(home, None, tmp_path), tmp_path
        )
        if _wait_healthy(server, api_url, SERVER_START_TIMEOUT):
            return Server(api_url, home, server)
        if server.popen.poll() is None or "already in use" not in _tail(server.log):
            break
    pytest.fail(f"the Prefect server did not answer on {api_url}/health\n{processes.tails()}")


def _cli(args: list[str], env: dict[str, str], cwd: Path, processes: Processes) -> str:
    command = [*_prefect_cli(), *args]
    try:
        done = subprocess.run(
            command, env=env, cwd=cwd, capture_output=True, text=True, timeout=CLI_TIMEOUT
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"`prefect {' '.join(args)}` did not finish in {CLI_TIMEOUT:.0f} s: {exc}")
    output = done.stdout + done.stderr
    assert done.returncode == 0, (
        f"`prefect {' '.join(args)}` (in {cwd}) exited {done.returncode}:\n{output}\n"
        f"{processes.tails()}"
    )
    return output


def _flow_run_logs(api: httpx.Client, flow_run_id: str) -> str:
    try:
        response = api.post(
            "/logs/filter",
            json={"logs": {"flow_run_id": {"any_": [flow_run_id]}}, "sort": "TIMESTAMP_ASC"},
        )
        return "\n".join(
            f"{logging.getLevelName(log['level'])} {log['message']}"
            for log in response.json()[-40:]
        )
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        return f"(flow run logs unavailable: {exc})"


def _post(api: httpx.Client, path: str, body: dict[str, Any]) -> Any:
    response = api.post(path, json=body)
    assert response.status_code == 200, (
        f"POST {path} {body}: {response.status_code} {response.text}"
    )
    return response.json()


def _wait_for_run(
    api: httpx.Client, run_name: str, processes: Processes
) -> tuple[dict[str, Any], float]:
    """The flow run named `run_name`, once terminal (bounded by RUN_TIMEOUT)."""
    started = time.monotonic()
    run: dict[str, Any] | None = None
    while time.monotonic() - started < RUN_TIMEOUT:
        found = _post(api, "/flow_runs/filter", {"flow_runs": {"name": {"any_": [run_name]}}})
        run = found[0] if found else None
        if run and (run.get("state") or {}).get("type") in TERMINAL_STATES:
            return run, time.monotonic() - started
        time.sleep(0.5)
    state = (run or {}).get("state") or {}
    pytest.fail(
        f"flow run {run_name} did not finish within {RUN_TIMEOUT:.0f} s (last state: "
        f"{state.get('type')} {state.get('name')!r})\n"
        + (_flow_run_logs(api, run["id"]) if run else "(the run was never created)")
        + f"\n{processes.tails()}"
    )


def _scheduled_runs(api: httpx.Client, deployment_id: str, timeout: float = 60) -> list[Any]:
    """The runs the server's scheduler created from the deployment's schedules."""
    deadline = time.monotonic() + timeout
    while True:
        runs = _post(
            api,
            "/flow_runs/filter",
            {
                "flow_runs": {
                    "deployment_id": {"any_": [deployment_id]},
                    "state": {"type": {"any_": ["SCHEDULED"]}},
                },
                "sort": "EXPECTED_START_TIME_ASC",
                "limit": 5,
            },
        )
        runs = [run for run in runs if run.get("auto_scheduled")]
        if runs or time.monotonic() > deadline:
            return runs
        time.sleep(1)


def test_prefect_deploy_worker_and_run_build_the_warehouse(
    tmp_path: Path, processes: Processes, prefect_server: Server
) -> None:
    from prefect.server.schemas.schedules import CronSchedule

    declared = _declared()
    spec = declared["deployments"][0]
    pool = spec["work_pool"]["name"]
    project = copy_project(tmp_path / "project")
    env = _environment(prefect_server.home, prefect_server.api_url, project)

    _cli(["--no-prompt", "work-pool", "create", pool, "--type", "process"], env, project, processes)
    # The worker imports Prefect while the deployment is created: start it first.
    worker_env = {**env, "PREFECT_WORKER_QUERY_SECONDS": "1"}
    worker_args = [*_prefect_cli(), "worker", "start", "--pool", pool, "--limit", "1"]
    worker_args += ["--install-policy", "never"]
    processes.start("worker", worker_args, worker_env, project)
    _cli(["--no-prompt", "deploy", "--all"], env, project, processes)

    full_name = f"{_flow_name()}/{spec['name']}"
    with httpx.Client(base_url=prefect_server.api_url, trust_env=False, timeout=10) as api:
        response = api.get(f"/deployments/name/{full_name}")
        assert response.status_code == 200, f"no deployment {full_name}: {response.text}"
        deployment = response.json()
        assert deployment["work_pool_name"] == pool
        assert deployment["entrypoint"] == spec["entrypoint"]
        assert deployment["parameters"] == spec["parameters"]
        stored = sorted(
            (s["schedule"].get("cron"), s["schedule"].get("timezone"), s["active"])
            for s in deployment["schedules"]
        )
        expected = sorted(
            (s["cron"], s.get("timezone"), s.get("active", True)) for s in spec["schedules"]
        )
        assert stored == expected, f"schedules {stored}, prefect.yaml declares {expected}"
        # The pull step must send the worker to the folder `prefect deploy` ran in, not the repo.
        directories = [
            step[name]["directory"]
            for step in deployment["pull_steps"]
            for name in step
            if name.endswith("set_working_directory")
        ]
        assert directories == [str(project)], (
            f"pull step directories {directories}, expected [{str(project)!r}]"
        )

        run_name = f"test-{uuid.uuid4().hex[:12]}"
        _cli(["deployment", "run", full_name, "--flow-run-name", run_name], env, project, processes)
        run, waited = _wait_for_run(api, run_name, processes)
        state = run["state"]
        assert state["type"] == "COMPLETED", (
            f"flow run {run['name']} ended {state['type']} {state.get('name')!r}: "
            f"{state.get('message')}\n{_flow_run_logs(api, run['id'])}\n{processes.tails()}"
        )
        print(f"flow run {run_name} completed {waited:.1f} s after it was requested")

        # The server's scheduler turned the declared cron into upcoming runs.
        upcoming = _scheduled_runs(api, deployment["id"])
        assert upcoming, (
            f"the scheduler created no run for {full_name}\n{prefect_server.process.tail()}"
        )
        times = [datetime.fromisoformat(run["expected_start_time"]) for run in upcoming]
        declared_cron = spec["schedules"][0]
        grid = asyncio.run(
            CronSchedule(
                cron=declared_cron["cron"], timezone=declared_cron.get("timezone")
            ).get_dates(n=len(times), start=times[0])
        )
        assert times == grid, f"scheduled run times {times}, the declared cron gives {grid}"

    databases = sorted((project / "warehouse").rglob("*.duckdb"))
    assert databases, (
        f"no *.duckdb under {project / 'warehouse'}: "
        f"{sorted(str(p.relative_to(project)) for p in (project / 'warehouse').rglob('*'))}"
    )
    counts = {}
    for database in databases:
        with duckdb.connect(str(database), read_only=True) as con:
            tables = {
                row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()
            }
            views = {
                row[0] for row in con.execute("select view_name from duckdb_views()").fetchall()
            }
            if "documents" in tables | views:
                counts[database] = con.execute("select count(*) from documents").fetchone()[0]
    # The warehouse (and any state database beside it) holds the 5 seed documents.
    assert counts and set(counts.values()) == {5}, f"documents per database: {counts}"


def _flow_name() -> str:
    from flows.pipeline import pipeline

    return pipeline.name


# --- newsfigures serve: what it hands to the runner, read from prefect.yaml -------------------


def _serve_project(tmp_path: Path, prefect_yaml: str | None = None) -> Path:
    project = tmp_path / "serve-project"
    project.mkdir()
    if prefect_yaml is None:
        shutil.copy2(REPO / "prefect.yaml", project / "prefect.yaml")
    else:
        (project / "prefect.yaml").write_text(prefect_yaml, encoding="utf-8")
    return project


def _fake_runner(
    monkeypatch: pytest.MonkeyPatch, on_start: Callable[[], None] = lambda: None
) -> list[dict[str, Any]]:
    """Prefect's runner as `serve` drives it, recording `add_flow` and never blocking."""
    from prefect.runner import Runner

    calls: list[dict[str, Any]] = []

    def add_flow(self: Runner, flow: Any, **kwargs: Any) -> uuid.UUID:
        calls.append({"flow": flow, "cwd": Path.cwd(), **kwargs})
        return uuid.uuid4()

    async def start(self: Runner, *args: Any, **kwargs: Any) -> None:
        on_start()

    monkeypatch.setattr(Runner, "add_flow", add_flow)
    monkeypatch.setattr(Runner, "start", start)
    return calls


def test_serve_passes_prefect_yaml_deployment_to_the_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.pipeline import pipeline
    from newsfigures.run.serve import serve

    spec = _declared()["deployments"][0]
    project = _serve_project(tmp_path)
    calls = _fake_runner(monkeypatch)
    before = Path.cwd()
    # An API URL is configured, so serve() starts no server of its own.
    api_url = f"http://{LOOPBACK}:9/api"
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        serve(project)
    assert Path.cwd() == before

    (call,) = calls
    assert call["flow"] is pipeline
    assert call["cwd"] == project  # runs start in the project, like a worker after its pull
    assert call["name"] == spec["name"]
    assert call["parameters"] == spec["parameters"]
    assert call["concurrency_limit"] == spec["concurrency_limit"]
    assert call["paused"] is False
    assert [(s.cron, s.timezone, s.active) for s in call["schedules"]] == [
        (s["cron"], s.get("timezone"), s.get("active", True)) for s in spec["schedules"]
    ]
    # The trigger command names the API, so that it works without PREFECT_API_URL set.
    printed = capsys.readouterr().out
    assert f"PREFECT_API_URL={api_url}" in printed
    assert f"deployment run {pipeline.name}/{spec['name']}" in printed

    # And Prefect itself accepts them: the deployment the runner would register.
    options = {k: v for k, v in call.items() if k not in ("flow", "cwd")}
    deployment = pipeline.to_deployment(**options)
    assert deployment.name == spec["name"]
    assert deployment.parameters == spec["parameters"]
    assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in deployment.schedules] == [
        (s["cron"], s.get("timezone"), s.get("active", True)) for s in spec["schedules"]
    ]


def test_serve_starts_and_stops_a_loopback_server_when_no_api_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_HOME,
        PREFECT_SERVER_API_PORT,
        temporary_settings,
    )

    from newsfigures.run.serve import serve

    home = tmp_path / "prefect-home"
    project = _serve_project(tmp_path)
    seen: dict[str, Any] = {}

    def on_start() -> None:
        seen["api_url"] = os.environ.get("PREFECT_API_URL")
        seen["setting"] = PREFECT_API_URL.value()
        with httpx.Client(trust_env=False, timeout=5) as client:
            seen["health"] = client.get(f"{seen['api_url']}/health").status_code

    _fake_runner(monkeypatch, on_start)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    # The server the test starts inherits the environment: keep its state in tmp_path.
    monkeypatch.setenv("PREFECT_HOME", str(home))
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    monkeypatch.setenv("PREFECT_SERVER_UI_ENABLED", "false")  # saves building the UI (~8 s)
    settings = {PREFECT_HOME: str(home), PREFECT_SERVER_API_PORT: _free_port()}
    with temporary_settings(updates=settings, restore_defaults={PREFECT_API_URL}):
        serve(project)

    log = _tail(home / "serve-server.log")
    assert seen.get("health") == 200, f"{seen}\n{log}"
    assert seen["api_url"] == seen["setting"]
    assert seen["api_url"].startswith(f"http://{LOOPBACK}:"), seen
    assert "PREFECT_API_URL" not in os.environ
    with httpx.Client(trust_env=False, timeout=2) as client, pytest.raises(httpx.ConnectError):
        client.get(f"{seen['api_url']}/health")  # stopped with serve()


@pytest.mark.parametrize(
    ("prefect_yaml", "deployment", "message"),
    [
        (None, "nightly", "no deployment named 'nightly' under 'deployments'"),
        ("name: x\n", None, "no deployments declared"),
        (
            "deployments:\n  - name: a\n    entrypoint: flows/pipeline.py:pipeline\n"
            "    schedules:\n      - cron: '0 * * * *'\n        timezone: Mars/Olympus\n",
            None,
            "deployments[a].schedules[0].timezone: unknown time zone 'Mars/Olympus'",
        ),
        (
            "deployments:\n  - name: a\n    entrypoint: flows/pipeline.py:pipeline\n"
            "    schedules:\n      - cron: 'every hour'\n",
            None,
            "deployments[a].schedules[0].cron",
        ),
        (
            "deployments:\n  - name: a\n    entrypoint: flows/nope.py:pipeline\n",
            None,
            "deployments[a].entrypoint: cannot import flows.nope",
        ),
        (
            "deployments:\n  - name: a\n    entrypoint: flows/pipeline.py:pipeline\n"
            "  - name: b\n    entrypoint: flows/pipeline.py:pipeline\n",
            None,
            "2 deployments declared (a, b): choose one with --deployment NAME",
        ),
    ],
)
def test_serve_names_prefect_yaml_and_the_key_when_the_declaration_is_wrong(
    tmp_path: Path, prefect_yaml: str | None, deployment: str | None, message: str
) -> None:
    from newsfigures.config import ConfigError
    from newsfigures.run.serve import serve

    project = _serve_project(tmp_path, prefect_yaml)
    with pytest.raises(ConfigError) as raised:
        serve(project, deployment)
    assert str(project / "prefect.yaml") in str(raised.value)
    assert message in str(raised.value)


def test_serve_without_prefect_yaml(tmp_path: Path) -> None:
    from newsfigures.config import ConfigError
    from newsfigures.run.serve import serve

    with pytest.raises(ConfigError, match=r"prefect\.yaml: file not found"):
        serve(tmp_path)
