"""Serve the pipeline on the schedule `prefect.yaml` declares, with one command.

`prefect deploy` + a process work pool + `prefect worker start` is the production path; this
is the one-command alternative: a Prefect runner (what `flow.serve(...)` starts) registers
the deployment declared in `prefect.yaml` (name, entrypoint, parameters, schedules,
concurrency limit) and runs its flow runs in this process's children. The schedule is read
from `prefect.yaml`, never repeated in code. The runner is started here rather than through
`flow.serve`, so that the command printed to trigger a run is printed once the deployment
exists, and names the API it must talk to.

Prefect cannot schedule on its ephemeral API (the runner warns "Cannot schedule flows on an
ephemeral server" and no run is ever created), so when `PREFECT_API_URL` is not set this
starts a Prefect server on 127.0.0.1 for as long as it serves (`newsfigures.run.server`),
keeping its state in `PREFECT_HOME` (the project's `.prefect/` when run from the CLI).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shlex
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsfigures.config import ConfigError, read_yaml
from newsfigures.run.server import PrefectApi, prefect_api

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.schedules import Schedule

PREFECT_FILE = "prefect.yaml"
# prefect.yaml keys of a schedule, as Prefect's own `prefect.schedules.Schedule` names them.
_SCHEDULE_KEYS = frozenset(
    {
        "cron",
        "interval",
        "rrule",
        "timezone",
        "anchor_date",
        "day_or",
        "active",
        "parameters",
        "slug",
    }
)
# Deployment keys a runner has a meaning for, and those only `prefect deploy` uses.
_SERVED_KEYS = frozenset(
    {
        "name",
        "description",
        "entrypoint",
        "parameters",
        "schedules",
        "concurrency_limit",
        "tags",
        "version",
        "paused",
        "enforce_parameter_schema",
    }
)
_WORKER_ONLY_KEYS = frozenset({"work_pool", "build", "push", "pull", "version_type"})


@dataclass(frozen=True)
class ServePlan:
    """What `serve` hands to Prefect's runner: the flow and the keyword arguments of
    `Runner.add_flow`."""

    name: str
    entrypoint: str
    flow: Flow[..., Any] = field(repr=False)
    options: dict[str, Any]


def read_deployment(project_root: Path, deployment: str | None = None) -> dict[str, Any]:
    """The deployment named `deployment` in `prefect.yaml` (the only one when not named)."""
    path = project_root / PREFECT_FILE
    declared = read_yaml(path).get("deployments")
    if not isinstance(declared, list) or not declared:
        raise ConfigError(f"{path}: no deployments declared (expected a list under 'deployments')")
    names = [d.get("name") if isinstance(d, dict) else None for d in declared]
    for index, name in enumerate(names):
        if not isinstance(name, str) or not name:
            raise ConfigError(f"{path}: deployments[{index}]: missing 'name'")
    if deployment is None:
        if len(declared) > 1:
            raise ConfigError(
                f"{path}: {len(declared)} deployments declared ({', '.join(names)}): "
                "choose one with --deployment NAME"
            )
        return declared[0]
    if deployment not in names:
        raise ConfigError(
            f"{path}: no deployment named {deployment!r} under 'deployments' "
            f"(declared: {', '.join(names)})"
        )
    return declared[names.index(deployment)]


def _schedule(entry: Any, where: str) -> Schedule:
    """One `schedules:` entry of prefect.yaml as a Prefect schedule."""
    from prefect.schedules import Schedule

    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping (cron, timezone, ...)")
    unknown = sorted(set(entry) - _SCHEDULE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {sorted(_SCHEDULE_KEYS)})")
    kinds = [key for key in ("cron", "interval", "rrule") if entry.get(key) is not None]
    if len(kinds) != 1:
        raise ConfigError(f"{where}: declare exactly one of 'cron', 'interval', 'rrule'")
    values = dict(entry)
    timezone = values.get("timezone")
    if timezone is not None:
        try:
            ZoneInfo(str(timezone))
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"{where}.timezone: unknown time zone {timezone!r}") from None
    try:
        if values.get("interval") is not None:
            values["interval"] = timedelta(seconds=float(values["interval"]))
        if isinstance(values.get("anchor_date"), str):
            values["anchor_date"] = datetime.fromisoformat(values["anchor_date"])
        return Schedule(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}.{kinds[0]}: {exc}") from None


def _import_flow(entrypoint: Any, where: str) -> Flow[..., Any]:
    """`flows/pipeline.py:pipeline` -> the `pipeline` flow of module `flows.pipeline`."""
    from prefect import Flow

    if not isinstance(entrypoint, str) or ":" not in entrypoint:
        raise ConfigError(f"{where}.entrypoint: expected 'path/to/file.py:flow_function'")
    file, function = entrypoint.rsplit(":", 1)
    relative = Path(file)
    if relative.is_absolute() or relative.suffix != ".py" or ".." in relative.parts:
        raise ConfigError(f"{where}.entrypoint: {file!r} is not a .py file inside the project")
    module_name = ".".join(relative.with_suffix("").parts)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"{where}.entrypoint: cannot import {module_name}: {exc}") from None
    flow = getattr(module, function, None)
    if not isinstance(flow, Flow):
        raise ConfigError(f"{where}.entrypoint: {module_name}.{function} is not a Prefect flow")
    return flow


def serve_plan(project_root: Path, deployment: str | None = None) -> ServePlan:
    """Read the deployment from prefect.yaml and build the arguments of `Runner.add_flow`."""
    spec = read_deployment(project_root, deployment)
    where = f"{project_root / PREFECT_FILE}: deployments[{spec['name']}]"
    unsupported = sorted(set(spec) - _SERVED_KEYS - _WORKER_ONLY_KEYS)
    if unsupported:
        raise ConfigError(
            f"{where}: key {unsupported[0]!r} is not supported by `newsfigures serve` "
            "(use prefect deploy and a worker)"
        )
    parameters = spec.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ConfigError(f"{where}.parameters: expected a mapping")
    declared = spec.get("schedules") or []
    if not isinstance(declared, list):
        raise ConfigError(f"{where}.schedules: expected a list")
    schedules = [_schedule(entry, f"{where}.schedules[{i}]") for i, entry in enumerate(declared)]
    limit = spec.get("concurrency_limit")
    if isinstance(limit, dict):  # the long form: {limit: 1, collision_strategy: ...}
        limit = limit.get("limit")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ConfigError(f"{where}.concurrency_limit: expected a positive integer")

    options: dict[str, Any] = {
        "name": spec["name"],
        "schedules": schedules,
        "parameters": dict(parameters),
        # Explicit, so a deployment paused when a previous `serve` stopped is resumed.
        "paused": bool(spec.get("paused", False)),
        "concurrency_limit": limit,
        "enforce_parameter_schema": bool(spec.get("enforce_parameter_schema", True)),
    }
    for key in ("description", "tags", "version"):
        if spec.get(key) is not None:
            options[key] = spec[key]
    return ServePlan(
        name=spec["name"],
        entrypoint=spec.get("entrypoint"),
        flow=_import_flow(spec.get("entrypoint"), where),
        options=options,
    )


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def trigger_command(flow_name: str, deployment: str, api_url: str) -> str:
    """A shell command that runs the deployment now, from any terminal: it names the API
    (a new terminal has no PREFECT_API_URL, and this project's PREFECT_HOME is not its
    home) and this environment's Prefect (no virtualenv to activate); `env` makes the
    assignment work in any shell."""
    script = Path(sys.executable).with_name("prefect")
    prefect = [str(script)] if script.exists() else [sys.executable, "-m", "prefect"]
    run = [*prefect, "deployment", "run", f"{flow_name}/{deployment}"]
    return shlex.join(["env", f"PREFECT_API_URL={api_url}", *run])


def _banner(plan: ServePlan, api: PrefectApi) -> str:
    """What serving means here: instead of Prefect's banner, whose `prefect deployment run`
    talks to no server from a new terminal."""
    from prefect.settings import PREFECT_UI_URL, get_current_settings

    lines = [f"Serving {plan.flow.name}/{plan.name} on its prefect.yaml schedule. Ctrl-C stops."]
    if api.started_here:
        lines.append(f"Prefect server for as long as this serves: {api.url} (log: {api.log})")
    ui_url = PREFECT_UI_URL.value()
    if ui_url and (get_current_settings().server.ui.enabled or not api.started_here):
        lines.append(f"Prefect UI: {ui_url}")
    lines.append("To run it now, from any terminal:")
    lines.append(f"  {trigger_command(plan.flow.name, plan.name, api.url)}")
    return "\n".join(lines)


def _run_until_stopped(plan: ServePlan, api: PrefectApi) -> None:
    """Register the deployment, say how to trigger it, and run its flow runs until Ctrl-C
    or SIGTERM; the runner pauses the schedule on its way out."""
    from prefect.exceptions import TerminationSignal
    from prefect.runner import Runner

    runner = Runner(name=plan.name, pause_on_shutdown=True)
    runner.add_flow(plan.flow, **plan.options)
    print(_banner(plan, api), flush=True)
    # The runner's SIGTERM handler stops it with sys.exit(0), and would fail once it stopped.
    on_sigterm = signal.getsignal(signal.SIGTERM)
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        pass  # how serving is meant to end
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise
    finally:
        signal.signal(signal.SIGTERM, on_sigterm)


def serve(project_root: Path, deployment: str | None = None) -> None:
    """Serve a deployment declared in `project_root/prefect.yaml` until interrupted.

    The flow named by the deployment's entrypoint (`flows/pipeline.py:pipeline` ->
    `flows.pipeline.pipeline`) is served under the deployment's name, with its parameters,
    schedules (cron and time zone) and concurrency limit; `work_pool` and the pull steps are
    for workers and are not used. Runs start in `project_root`, like a worker's after its pull
    step, so relative parameters (seeds, warehouse) mean the same as for `newsfigures run`.
    Uses `PREFECT_API_URL` when set, else a Prefect server on 127.0.0.1 started for as long as
    this serves. Prints a command that triggers a run from any terminal, blocks until Ctrl-C
    or SIGTERM (the schedule is then paused), stops the server and says so.

    Raises:
        ConfigError: prefect.yaml is missing or malformed, or names no such deployment
            (the message names the file and the key).
    """
    plan = serve_plan(project_root, deployment)
    api: PrefectApi
    with prefect_api("serve-server.log", services=True) as api, _working_directory(project_root):
        _run_until_stopped(plan, api)
    stopped = f"{plan.flow.name}/{plan.name} paused"
    if api.started_here:
        stopped += f", the Prefect server on {api.url} stopped"
    print(f"newsfigures serve stopped: {stopped}.", flush=True)
