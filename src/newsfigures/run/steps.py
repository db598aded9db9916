"""The steps of a run, as plain functions of their inputs. An executor runs them: here and
now (`LocalExecutor`), or as Prefect tasks with the retries each declares (flows/).

Each step is handed the project (the declarations, read and checked once at the start of
the run), so every batch of a run works under the same rules even if a file is edited
while it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from newsfigures.config import Project
from newsfigures.load.commit import LoadSummary, commit
from newsfigures.load.models import Model
from newsfigures.load.publish import publish
from newsfigures.load.session import partner_files, run_session
from newsfigures.run.batch import SAMPLE_REJECTS, BatchSummary, stage_batch
from newsfigures.run.checks import RunChecks, stage_run_checks
from newsfigures.run.summary import RunSummary, utc_now
from newsfigures.sources.folder import FilePlan, KnownFile, discover, plan

T = TypeVar("T")


def step(retries: int = 0) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Declare how often a step may be retried on a transient error (a disk blip)."""

    def mark(fn: Callable[..., T]) -> Callable[..., T]:
        fn.retries = retries  # type: ignore[attr-defined]
        return fn

    return mark


@step(retries=2)
def plan_files(
    seeds_dir: Path, project: Project, manifest: dict[str, KnownFile], read_all: bool
) -> FilePlan:
    """Which files to read: new, changed (size or mtime) or rejected last time; all of them
    when the declarations changed since the last run."""
    if not seeds_dir.is_dir():
        raise FileNotFoundError(f"seeds folder {seeds_dir} does not exist")
    found = discover(seeds_dir, project.settings.ingest.exclude)
    return plan(found, seeds_dir, manifest, read_all, project.settings.ingest)


@step()
def extract_batch(
    batch: tuple[int, list[str]], seeds_dir: Path, project: Project, run_id: str, staging: Path
) -> BatchSummary:
    """Read, extract and validate one batch of files (names relative to `seeds_dir`), and
    stage its rows as Parquet."""
    part, names = batch
    return stage_batch(names, seeds_dir, project, run_id, staging, part)


@step(retries=2)
def find_partners(staged: Path, state: Path, deleted: list[str], project: Project) -> list[str]:
    """The files holding warehouse documents that share sentences with what the run staged
    so far (`load.session.run_session`)."""
    with run_session(state, staged, project.settings.warehouse, deleted) as con:
        return partner_files(con)


@step(retries=2)
def check_run(
    staged: Path, state: Path, deleted: list[str], project: Project, run_id: str
) -> RunChecks:
    """The run-level checks (duplicates, syndicated copies), computed by DuckDB over the
    staged rows and the committed state, staged beside the batches' rows."""
    with run_session(state, staged, project.settings.warehouse, deleted) as con:
        return stage_run_checks(con, staged, project, run_id, SAMPLE_REJECTS)


@step(retries=2)
def commit_run(
    staged: Path,
    deleted: list[str],
    run: RunSummary,
    project: Project,
    models: list[Model],
    state: Path,
) -> LoadSummary:
    """Apply the staged run to the state database, then create the warehouse models the
    run checked before it started (load/commit.py)."""
    record = run.record(run.started_at, utc_now())
    return commit(state, staged, deleted, record, project, models, utc_now())


@step(retries=2)
def publish_warehouse(state: Path, warehouse: Path, project: Project, run_id: str) -> Path:
    """Publish the committed state for readers: DuckDB file and Parquet snapshots."""
    settings = project.settings.warehouse
    database = warehouse / settings.database
    publish(state, database, warehouse / "parquet", run_id, settings)
    return database
