"""The newsfigures pipeline as a Prefect flow.

The run's sequence lives in `newsfigures.runner` (the same code `newsfigures check` and the
tests use); this flow decides how it executes: every step a Prefect task with the retries it
declares, batches of documents mapped in parallel (one task per batch, never per document:
a task costs ~4 ms), and the run's summary and rejects published as Prefect artifacts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from newsfigures import runner
from newsfigures.config import load_project
from newsfigures.ingest import discover
from newsfigures.report import markdown_summary, sorted_rejects
from newsfigures.runs import RunSummary

T = TypeVar("T")
ARTIFACT_COLUMNS = ("severity", "check_name", "source_file", "line", "reason", "table_name")


def _as_task(fn: Callable[..., T]) -> Any:
    # Steps hand Arrow tables to each other in memory: no result caching, no input hashing.
    return task(fn, name=fn.__name__, retries=getattr(fn, "retries", 0), cache_policy=NO_CACHE)


class PrefectExecutor:
    """Each step a Prefect task; mapped steps run their items concurrently."""

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        return _as_task(fn)(*args)

    def map(self, fn: Callable[..., T], items: Sequence[Any], *args: Any) -> list[T]:
        futures = _as_task(fn).map(list(items), *(unmapped(a) for a in args))
        return [f.result() for f in futures]


@task(cache_policy=NO_CACHE)
def publish_artifacts(summary: RunSummary) -> None:
    """The run's summary and its rejects, as artifacts in the Prefect UI."""
    create_markdown_artifact(
        key="newsfigures-summary", markdown=markdown_summary(summary), description="Run summary"
    )
    rows = [{c: r.get(c) for c in ARTIFACT_COLUMNS} for r in sorted_rejects(summary.rejects)]
    create_table_artifact(
        key="newsfigures-rejects",
        table=rows or [dict.fromkeys(ARTIFACT_COLUMNS)],
        description=f"Rejects found by run {summary.run_id} (error: kept out; warn: flagged)",
    )


def task_runner(
    settings: dict[str, Any], dask_address: str | None = None, files: int | None = None
) -> Any:
    """The Prefect task runner `config/settings.yml: execution` asks for (`auto` decides by
    the number of `files` to load)."""
    kind = "dask" if dask_address else settings.get("task_runner", "auto")
    if kind == "auto":
        big = files is not None and files >= int(settings.get("process_from_files", 2000))
        kind = "process" if big else "thread"
    workers = int(settings.get("workers", 2))
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        address = dask_address or settings.get("dask_address")
        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1})
    if kind == "process":
        return ProcessPoolTaskRunner(max_workers=workers)
    if kind == "thread":
        return ThreadPoolTaskRunner(max_workers=workers)
    raise ValueError(
        f"config/settings.yml: execution.task_runner {kind!r} is not auto, process, thread or dask"
    )


@flow(name="newsfigures", log_prints=True)
def pipeline(
    seeds_dir: str = "seeds",
    warehouse_dir: str = "warehouse",
    project_dir: str | None = None,
    lock_wait_seconds: float | None = None,
) -> RunSummary:
    """Bring the warehouse in `warehouse_dir` up to date with the articles in `seeds_dir`."""
    project = load_project(Path(project_dir) if project_dir else None)
    summary = runner.run(
        seeds_dir,
        warehouse_dir,
        project,
        PrefectExecutor(),
        lock_wait_seconds,
        str(flow_run.id) if flow_run.id else None,
    )
    publish_artifacts(summary)
    get_run_logger().info(
        "run %s: %d files (%d read, %d unchanged, %d gone) -> %d documents, %d figures; "
        "%d new errors, %d standing",
        summary.run_id,
        summary.files_seen,
        summary.files_processed,
        summary.files_skipped,
        summary.files_deleted,
        summary.documents,
        summary.figures,
        summary.errors,
        summary.standing_errors,
    )
    return summary


def run_pipeline(
    seeds_dir: str,
    warehouse_dir: str,
    project_dir: str,
    lock_wait_seconds: float | None = None,
    dask_address: str | None = None,
) -> RunSummary:
    """Run the flow with the task runner the project's settings (or `dask_address`) ask for."""
    project = load_project(Path(project_dir))
    settings = project.settings.get("execution", {})
    files = None
    if settings.get("task_runner", "auto") == "auto" and Path(seeds_dir).is_dir():
        files = len(
            discover(Path(seeds_dir), project.settings.get("ingest", {}).get("include", []))
        )
    configured = pipeline.with_options(task_runner=task_runner(settings, dask_address, files))
    return configured(seeds_dir, warehouse_dir, project_dir, lock_wait_seconds)
