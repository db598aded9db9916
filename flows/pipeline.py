"""The newsfigures pipeline as a Prefect flow:

    discover -> [ingest -> metadata -> figures -> validate] per batch -> stage Parquet
             -> commit to DuckDB (one transaction) -> publish Parquet snapshots

Documents travel in batches (one task per batch); the stages themselves are plain functions
in the `newsfigures` package, so the flow only decides what runs where and what is retried.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from newsfigures.batch import BatchResult, merge_batches, process_batch
from newsfigures.config import load_project
from newsfigures.contracts import load_contracts
from newsfigures.ingest import discover
from newsfigures.load import LoadSummary, commit, discard_staging, publish_parquet, stage
from newsfigures.runs import RunSummary, new_run_id, utc_now

# Results are large Arrow tables handed from task to task in memory: no caching, no hashing.
stage_task = task(cache_policy=NO_CACHE)


@stage_task(retries=2, retry_delay_seconds=1)
def discover_files(seeds_dir: Path, include: list[str]) -> list[Path]:
    """Article files under the seeds folder (retried: the disk may blip)."""
    if not seeds_dir.is_dir():
        raise FileNotFoundError(f"seeds folder {seeds_dir} does not exist")
    return discover(seeds_dir, include)


@stage_task
def extract_batch(
    paths: list[Path], seeds_dir: Path, project_root: Path, run_id: str
) -> BatchResult:
    """Ingest, extract and validate one batch of files."""
    return process_batch(paths, seeds_dir, load_project(project_root), run_id)


@stage_task(retries=2, retry_delay_seconds=1)
def stage_parquet(batch: BatchResult, staging_dir: Path) -> dict[str, Path]:
    """Write the run's rows as Parquet before anything touches the warehouse."""
    return stage(
        {"documents": batch.documents, "figures": batch.figures, "rejects": batch.rejects},
        staging_dir,
    )


@stage_task(retries=2, retry_delay_seconds=2)
def commit_warehouse(
    staged: dict[str, Path],
    run: RunSummary,
    started_at: datetime,
    project_root: Path,
    warehouse_dir: Path,
) -> LoadSummary:
    """Commit the staged run to DuckDB in one transaction, then publish Parquet snapshots."""
    project = load_project(project_root)
    settings = project.settings.get("warehouse", {})
    database = warehouse_dir / settings.get("database", "newsfigures.duckdb")
    summary = commit(
        database,
        staged,
        run.record(started_at, utc_now()),
        load_contracts(project),
        settings,
        project.path(settings.get("views", "warehouse/views")),
    )
    publish_parquet(database, warehouse_dir / "parquet", settings)
    return summary


@flow(name="newsfigures", log_prints=True)
def pipeline(
    seeds_dir: str = "seeds",
    warehouse_dir: str = "warehouse",
    project_dir: str | None = None,
) -> RunSummary:
    """Turn the articles under `seeds_dir` into the DuckDB warehouse in `warehouse_dir`."""
    logger = get_run_logger()
    started_at = utc_now()
    project = load_project(Path(project_dir) if project_dir else None)
    seeds = Path(seeds_dir).resolve()
    warehouse = Path(warehouse_dir).resolve()
    run_id = new_run_id()
    size = int(project.settings.get("batch", {}).get("size", 500))

    paths = discover_files(seeds, project.settings.get("ingest", {}).get("include", ["*.txt"]))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    logger.info("run %s: %d files in %d batches", run_id, len(paths), len(batches))
    futures = (
        extract_batch.map(batches, unmapped(seeds), unmapped(project.root), unmapped(run_id))
        if batches
        else []
    )
    merged = merge_batches([f.result() for f in futures], project, run_id)

    summary = RunSummary.of_batch(
        merged, run_id, str(seeds), str(flow_run.id) if flow_run.id else None
    )
    staging = warehouse / "staging" / run_id
    staged = stage_parquet(merged, staging)
    loaded = commit_warehouse(staged, summary, started_at, project.root, warehouse)
    discard_staging(staging)
    summary.database = str(loaded.database)
    summary.documents, summary.figures = loaded.documents, loaded.figures
    logger.info(
        "run %s: %d documents, %d figures loaded; %d errors, %d warnings",
        run_id,
        loaded.documents,
        loaded.figures,
        summary.errors,
        summary.warnings,
    )
    return summary
