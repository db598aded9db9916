"""The newsfigures pipeline as a Prefect flow.

The run's sequence lives in `newsfigures.run.runner` (the same code `newsfigures check` and
the tests use); how it executes under Prefect in `newsfigures.run.orchestrate`: every step
a Prefect task with the retries it declares, batches of documents mapped in parallel (one
task per batch, never per document: a task costs ~4 ms), and the run's summary and rejects
published as Prefect artifacts; then the analyst report (newsfigures.report), linked as one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from newsfigures.config import Project, load_project, with_year
from newsfigures.report.build import write_report
from newsfigures.run import runner
from newsfigures.run.orchestrate import PrefectExecutor, publish_artifacts, task_runner_for
from newsfigures.run.summary import RunSummary


@flow(name="newsfigures", log_prints=True)
def pipeline(
    seeds_dir: str = "seeds",
    warehouse_dir: str = "warehouse",
    project_dir: str | None = None,
    lock_wait_seconds: float | None = None,
    year: int | None = None,
    execution: dict[str, Any] | None = None,
) -> RunSummary:
    """Bring the warehouse in `warehouse_dir` up to date with the articles in `seeds_dir`.
    `year`: the year of date lines written without one, for articles whose sidecar does
    not give it (`newsfigures run --year`). `execution`: this run's values of keys of
    `config/settings.yml: execution` (`{"task_runner": "dask", "dask_address": ...}`); the
    batches run on the task runner it asks for, the other steps in the flow."""
    project = with_year(load_project(Path(project_dir) if project_dir else None), year)
    flow_run_id = str(flow_run.id) if flow_run.id else None
    executor = PrefectExecutor(task_runner_for(project, Path(seeds_dir), execution))
    summary = runner.run(
        seeds_dir, warehouse_dir, project, executor, lock_wait_seconds, flow_run_id
    )
    summary.report = _report(project, Path(warehouse_dir))
    publish_artifacts(summary)
    get_run_logger().info("%s", summary.one_line())
    return summary


def _report(project: Project, warehouse: Path) -> str | None:
    """The analyst report of the warehouse the run published. The run is committed and
    published whatever happens here: a report that cannot be written is logged, not fatal."""
    try:
        return str(write_report(project, warehouse))
    except Exception as exc:
        get_run_logger().warning("the report was not written: %s: %s", type(exc).__name__, exc)
        return None


def run_pipeline(
    seeds_dir: str,
    warehouse_dir: str,
    project_dir: str,
    lock_wait_seconds: float | None = None,
    dask_address: str | None = None,
    year: int | None = None,
) -> RunSummary:
    """Run the flow; on the Dask cluster at `dask_address` when one is given (`newsfigures
    run --dask-address`), else on the task runner the project's settings ask for."""
    execution = {"task_runner": "dask", "dask_address": dask_address} if dask_address else None
    return pipeline(seeds_dir, warehouse_dir, project_dir, lock_wait_seconds, year, execution)
