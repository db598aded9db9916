"""One run of the pipeline, in order, whatever executes it.

    lock the warehouse -> plan against the last run's manifest
      -> extract new or changed files in batches -> re-read syndication partners
      -> run-level checks -> stage Parquet -> commit (one transaction) -> publish

The steps are plain functions. An `Executor` decides how they run: `LocalExecutor` calls
them in this process (tests, `newsfigures check`); the Prefect flow in flows/pipeline.py
runs each as a Prefect task, batches mapped in parallel, with the retries each step
declares. The sequence itself exists once, here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow
import pyarrow.compute as pc

from newsfigures.batch import BatchResult, merge_batches, process_batch
from newsfigures.config import Project, load_project
from newsfigures.contracts import load_contracts
from newsfigures.faults import failpoint
from newsfigures.ingest import FilePlan, KnownFile, discover, plan
from newsfigures.load import (
    DUPLICATE_CHECK,
    CommitScope,
    LoadSummary,
    commit,
    discard_staging,
    files_of,
    last_config_hash,
    publish,
    read_manifest,
    read_partners,
)
from newsfigures.load import stage as stage_tables
from newsfigures.lock import warehouse_lock
from newsfigures.runs import RunSummary, new_run_id, utc_now

T = TypeVar("T")


def step(retries: int = 0) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Declare how often a step may be retried on a transient error (a disk blip)."""

    def mark(fn: Callable[..., T]) -> Callable[..., T]:
        fn.retries = retries  # type: ignore[attr-defined]
        return fn

    return mark


class Executor(Protocol):
    def call(self, fn: Callable[..., T], *args: Any) -> T: ...

    def map(self, fn: Callable[..., T], items: Sequence[Any], *args: Any) -> list[T]: ...


class LocalExecutor:
    """Run every step here and now, in order."""

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(*args)

    def map(self, fn: Callable[..., T], items: Sequence[Any], *args: Any) -> list[T]:
        return [fn(item, *args) for item in items]


# -- the steps ------------------------------------------------------------------------------


@step(retries=2)
def plan_files(
    seeds_dir: Path, include: list[str], manifest: dict[str, KnownFile], read_all: bool
) -> FilePlan:
    """Which files to read: new, changed (size or mtime) or rejected last time; all of them
    when the declarations changed since the last run."""
    if not seeds_dir.is_dir():
        raise FileNotFoundError(f"seeds folder {seeds_dir} does not exist")
    return plan(discover(seeds_dir, include), seeds_dir, manifest, read_all)


@step()
def extract_batch(
    paths: list[Path], seeds_dir: Path, project_root: Path, run_id: str
) -> BatchResult:
    """Ingest, extract and validate one batch of files."""
    return process_batch(paths, seeds_dir, load_project(project_root), run_id)


@step(retries=2)
def stage_run(batch: BatchResult, project_root: Path, staging_dir: Path) -> dict[str, Path]:
    """Write the run's rows as Parquet before anything touches the warehouse."""
    contracts = load_contracts(load_project(project_root))
    # Duplicates are decided at commit time, against every file the warehouse knows.
    rejects = batch.rejects.filter(pc.not_equal(batch.rejects["check_name"], DUPLICATE_CHECK))
    tables: dict[str, pyarrow.Table] = {
        "documents": batch.documents,
        "figures": batch.figures,
        "rejects": rejects,
        "files": batch.files,
        "document_sentences": batch.sentences(contracts["document_sentences"]),
    }
    return stage_tables(tables, staging_dir)


@step(retries=2)
def commit_run(
    staged: dict[str, Path], scope: CommitScope, run: RunSummary, project_root: Path, state: Path
) -> LoadSummary:
    """Apply the staged run to the state database in one transaction."""
    project = load_project(project_root)
    settings = project.settings.get("warehouse", {})
    return commit(
        state,
        staged,
        scope,
        run.record(run.started_at, utc_now()),
        load_contracts(project),
        settings,
        project.path(settings.get("views", "warehouse/views")),
        utc_now(),
    )


@step(retries=2)
def publish_warehouse(state: Path, warehouse: Path, project_root: Path) -> Path:
    """Publish the committed state for readers: DuckDB file and Parquet snapshots."""
    settings = load_project(project_root).settings.get("warehouse", {})
    database = warehouse / settings.get("database", "newsfigures.duckdb")
    publish(state, database, warehouse / "parquet", settings)
    return database


# -- the sequence ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Paths:
    seeds: Path
    warehouse: Path
    state: Path

    @classmethod
    def of(cls, seeds_dir: str | Path, warehouse_dir: str | Path, project: Project) -> Paths:
        settings = project.settings.get("warehouse", {})
        warehouse = Path(warehouse_dir).resolve()
        state = warehouse / settings.get("state_database", ".state/state.duckdb")
        return cls(Path(seeds_dir).resolve(), warehouse, state)


def run(
    seeds_dir: str | Path,
    warehouse_dir: str | Path,
    project: Project,
    executor: Executor,
    lock_wait_seconds: float | None = None,
    flow_run_id: str | None = None,
) -> RunSummary:
    """Bring the warehouse up to date with the seeds folder; return what the run did."""
    settings = project.settings.get("warehouse", {})
    paths = Paths.of(seeds_dir, warehouse_dir, project)
    run_id = new_run_id()
    wait = settings.get("lock_wait_seconds", 0) if lock_wait_seconds is None else lock_wait_seconds
    with warehouse_lock(paths.warehouse, run_id, float(wait)):
        summary = _locked_run(paths, project, executor, run_id, flow_run_id)
    return summary


def _locked_run(
    paths: Paths, project: Project, executor: Executor, run_id: str, flow_run_id: str | None
) -> RunSummary:
    settings = project.settings.get("warehouse", {})
    seeds, state = paths.seeds, paths.state
    started_at = utc_now()
    discard_staging(paths.warehouse / "staging")  # leftovers of runs killed before commit
    manifest = read_manifest(state, settings)
    include = project.settings.get("ingest", {}).get("include", ["*.txt"])
    rules_changed = last_config_hash(state, settings) not in (None, project.fingerprint)
    files = executor.call(plan_files, seeds, include, manifest, rules_changed)
    failpoint("after_plan")
    results = _extract(files.to_read, seeds, project, run_id, executor)
    failpoint("after_extract")

    # Documents the run no longer holds, and warehouse documents sharing sentences with
    # anything that changed: those are read again, so syndicated-copy flags stay what a run
    # from scratch would give.
    read_now = {_relative(p, seeds) for p in files.to_read}
    new_docs = {d for r in results for d in r.fingerprints}
    old_docs = {manifest[f].doc_id for f in read_now | set(files.deleted) if f in manifest}
    old_docs = {d for d in old_docs if d} - new_docs
    partners, _ = read_partners(state, settings, _hashes(results), new_docs | old_docs)
    recheck = [
        seeds / f
        for f in files_of(state, settings, {p["doc_id"] for p in partners})
        if f not in read_now and (seeds / f).exists()
    ]
    results += _extract(recheck, seeds, project, run_id, executor)
    processed = {d for r in results for d in r.fingerprints}
    context = read_partners(state, settings, _hashes(results), processed | old_docs)
    merged = merge_batches(results, project, run_id, context)

    summary = RunSummary.of_batch(merged, run_id, str(seeds), flow_run_id)
    summary.started_at = started_at
    summary.config_hash = project.fingerprint
    summary.files_seen = len(files.to_read) + len(files.unchanged)
    summary.files_processed = len(files.to_read) + len(recheck)
    summary.files_skipped = len(files.unchanged) - len(recheck)
    summary.files_deleted = len(files.deleted)
    replaced = {manifest[f].doc_id for f in read_now if f in manifest} - processed - {None}
    scope = CommitScope(
        files=read_now | {_relative(p, seeds) for p in recheck},
        # Documents restated by this run: the ones it read, and the old content of files it
        # read again. A deleted file's document is left to the deleted_files policy.
        docs=processed | replaced,
        deleted_files=set(files.deleted),
        replaced_docs=replaced,
        deleted_docs={manifest[f].doc_id for f in files.deleted} - {None},
    )
    staged = executor.call(stage_run, merged, project.root, paths.warehouse / "staging" / run_id)
    failpoint("after_stage")
    loaded = executor.call(commit_run, staged, scope, summary, project.root, state)
    failpoint("after_commit")
    summary.database = str(executor.call(publish_warehouse, state, paths.warehouse, project.root))
    failpoint("after_publish")
    discard_staging(paths.warehouse / "staging")
    summary.documents, summary.figures = loaded.documents, loaded.figures
    summary.warehouse_errors, summary.warehouse_warnings = loaded.errors, loaded.warnings
    return summary


def _extract(
    paths: list[Path], seeds: Path, project: Project, run_id: str, executor: Executor
) -> list[BatchResult]:
    size = int(project.settings.get("batch", {}).get("size", 500))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    if not batches:
        return []
    return executor.map(extract_batch, batches, seeds, project.root, run_id)


def _hashes(results: list[BatchResult]) -> set[int]:
    return {h for r in results for hs in r.fingerprints.values() for h in hs}


def _relative(path: Path, seeds: Path) -> str:
    return path.relative_to(seeds).as_posix()
