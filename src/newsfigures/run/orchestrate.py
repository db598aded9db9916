"""How a run executes under Prefect: every step a Prefect task with the retries it declares,
batches mapped concurrently on the task runner `config/settings.yml: execution` asks for,
and the run's summary and rejects published as Prefect artifacts. The flow itself is in
flows/pipeline.py."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from prefect import task, unmapped
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from pydantic import ValidationError

from newsfigures.config import Project
from newsfigures.config.settings import Execution
from newsfigures.run.lifeline import pool_worker
from newsfigures.run.report import markdown_summary, sorted_rejects
from newsfigures.run.summary import RunSummary
from newsfigures.sources.folder import discover

T = TypeVar("T")
ARTIFACT_COLUMNS = ("severity", "check_name", "source_file", "line", "reason", "table_name")


def _as_task(fn: Callable[..., T]) -> Any:
    # Steps hand Arrow tables to each other in memory: no result caching, no input hashing.
    return task(fn, name=fn.__name__, retries=getattr(fn, "retries", 0), cache_policy=NO_CACHE)


class PrefectExecutor:
    """Each step a Prefect task run in the flow; a mapped step's items run concurrently on
    `task_runner`, started for the step and shut down when it ends, so a process pool's
    workers do not hold their memory through the commit."""

    def __init__(self, task_runner: TaskRunner) -> None:
        self.task_runner = task_runner

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        return _as_task(fn)(*args)

    def map(self, fn: Callable[..., T], items: Sequence[Any], *args: Any) -> list[T]:
        mapped, *fixed = inspect.signature(fn).parameters
        parameters = {mapped: list(items)}
        parameters.update((name, unmapped(a)) for name, a in zip(fixed, args, strict=True))
        with self.task_runner.duplicate() as runner:
            futures = runner.map(_as_task(fn), parameters)
            return [f.result() for f in futures]


@task(cache_policy=NO_CACHE)
def publish_artifacts(summary: RunSummary) -> None:
    """The run's summary, its rejects and a link to the report, as artifacts in the Prefect
    UI."""
    create_markdown_artifact(
        key="newsfigures-summary", markdown=markdown_summary(summary), description="Run summary"
    )
    rows = [{c: r.get(c) for c in ARTIFACT_COLUMNS} for r in sorted_rejects(summary.rejects)]
    create_table_artifact(
        key="newsfigures-rejects",
        table=rows or [dict.fromkeys(ARTIFACT_COLUMNS)],
        description=f"Rejects found by run {summary.run_id} (error: kept out; warn: flagged)",
    )
    if summary.report:
        create_link_artifact(
            key="newsfigures-report",
            link=Path(summary.report).resolve().as_uri(),
            link_text="Estimates, charts and data quality (HTML)",
            description=f"The analyst report written after run {summary.run_id}",
        )


def task_runner_for(
    project: Project, seeds_dir: Path, overrides: dict[str, Any] | None = None
) -> Any:
    """The task runner for the mapped steps of a run over `seeds_dir`: what
    `config/settings.yml: execution` asks for, with this run's `overrides` of its keys
    (`auto` counts the folder's files)."""
    settings = project.settings.execution
    if overrides:
        try:
            settings = Execution.model_validate({**settings.model_dump(), **overrides})
        except ValidationError as exc:
            raise ValueError(f"execution overrides {overrides!r}: {exc}") from None
    files = 0
    if settings.task_runner == "auto" and seeds_dir.is_dir():
        files = len(discover(seeds_dir, project.settings.ingest.exclude))
    return task_runner(settings, files)


def task_runner(settings: Execution, files: int = 0) -> Any:
    """The Prefect task runner `config/settings.yml: execution` asks for (`auto` decides by
    the number of `files` to load)."""
    kind = settings.task_runner
    if kind == "auto":
        kind = "process" if files >= settings.process_from_files else "thread"
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        cluster = {"n_workers": settings.workers, "threads_per_worker": 1}
        return DaskTaskRunner(cluster_kwargs=cluster)
    if kind == "process":
        # Workers that die with the process running the flow, kill -9 included (orphaned,
        # they would wait for work forever), and leave Ctrl-C to it.
        return ProcessPoolTaskRunner(max_workers=settings.workers, initializer=pool_worker)
    return ThreadPoolTaskRunner(max_workers=settings.workers)
