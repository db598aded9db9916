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

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow

from newsfigures.batch import SAMPLE_REJECTS, BatchSummary, flag_syndicated, stage_batch
from newsfigures.config import Project, load_project
from newsfigures.contracts import load_contracts
from newsfigures.faults import failpoint
from newsfigures.ingest import FilePlan, KnownFile, discover, plan
from newsfigures.load import (
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
    batch: tuple[int, list[Path]], seeds_dir: Path, project_root: Path, run_id: str, staging: Path
) -> BatchSummary:
    """Ingest, extract and validate one batch of files, and stage its rows as Parquet."""
    part, paths = batch
    return stage_batch(paths, seeds_dir, load_project(project_root), run_id, staging, part)


@step(retries=2)
def stage_run_checks(
    summaries: list[BatchSummary],
    context: tuple[list[dict[str, Any]], dict[str, list[int]]],
    project_root: Path,
    run_id: str,
    staging: Path,
) -> tuple[int, list[dict[str, Any]]]:
    """The run-level check (syndicated copies), staged as a patch of the batches' rows;
    returns how many documents it newly flagged, and their rejects."""
    project = load_project(project_root)
    documents: dict[str, dict[str, Any]] = {}
    fingerprints: dict[str, list[int]] = {}
    for summary in summaries:
        for row in summary.documents_meta:
            documents.setdefault(row["doc_id"], row)
        fingerprints.update(summary.fingerprints)
    suspect, rejects = flag_syndicated(
        list(documents.values()), fingerprints, context, project, run_id
    )
    schema = load_contracts(project)["rejects"].arrow_schema()
    patch = pyarrow.table(
        {"doc_id": list(suspect), "date_suspect": list(suspect.values())},
        schema=pyarrow.schema([("doc_id", pyarrow.string()), ("date_suspect", pyarrow.string())]),
    )
    # The rejects part is named to sort after the batches' parts: it replaces their row for
    # the same document and check.
    stage_tables(
        {
            "documents_patch/part-run": patch,
            "rejects/part-zz-run": pyarrow.Table.from_pylist(rejects, schema=schema),
        },
        staging,
    )
    newly = sum(1 for doc_id in suspect if not documents[doc_id].get("date_suspect"))
    return newly, rejects


@step(retries=2)
def commit_run(
    staged: Path, scope: CommitScope, run: RunSummary, project_root: Path, state: Path
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
    started = time.perf_counter()
    with warehouse_lock(paths.warehouse, run_id, float(wait)):
        summary = _locked_run(paths, project, executor, run_id, flow_run_id)
    summary.seconds["run"] = time.perf_counter() - started
    return summary


def _locked_run(
    paths: Paths, project: Project, executor: Executor, run_id: str, flow_run_id: str | None
) -> RunSummary:
    settings = project.settings.get("warehouse", {})
    seeds, state = paths.seeds, paths.state
    started_at = utc_now()
    clock: dict[str, float] = {}
    with _timed(clock, "plan"):
        discard_staging(paths.warehouse / "staging")  # leftovers of runs killed before commit
        manifest = read_manifest(state, settings)
        include = project.settings.get("ingest", {}).get("include", ["*.txt"])
        rules_changed = last_config_hash(state, settings) not in (None, project.fingerprint)
        files = executor.call(plan_files, seeds, include, manifest, rules_changed)
    failpoint("after_plan")
    staged = paths.warehouse / "staging" / run_id
    with _timed(clock, "extract"):
        summaries = _extract(files.to_read, seeds, project, run_id, executor, staged, 0)
    failpoint("after_extract")

    # Documents the run no longer holds, and warehouse documents sharing sentences with
    # anything that changed: those are read again, so syndicated-copy flags stay what a run
    # from scratch would give.
    with _timed(clock, "partners"):
        read_now = {_relative(p, seeds) for p in files.to_read}
        new_docs = {d for r in summaries for d in r.fingerprints}
        old_docs = {manifest[f].doc_id for f in read_now | set(files.deleted) if f in manifest}
        old_docs = {d for d in old_docs if d} - new_docs
        partners, _ = read_partners(state, settings, _hashes(summaries), new_docs | old_docs)
        recheck = [
            seeds / f
            for f in files_of(state, settings, {p["doc_id"] for p in partners})
            if f not in read_now and (seeds / f).exists()
        ]
    with _timed(clock, "recheck"):
        summaries += _extract(recheck, seeds, project, run_id, executor, staged, len(summaries))
    with _timed(clock, "run_checks"):
        processed = {d for r in summaries for d in r.fingerprints}
        context = read_partners(state, settings, _hashes(summaries), processed | old_docs)
        flagged, run_rejects = executor.call(
            stage_run_checks, summaries, context, project.root, run_id, staged
        )

    summary = RunSummary.of_summaries(summaries, run_id, str(seeds), flow_run_id)
    summary.warnings += flagged
    summary.rejects = (summary.rejects + run_rejects)[:SAMPLE_REJECTS]
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
    failpoint("after_stage")
    with _timed(clock, "commit"):
        loaded = executor.call(commit_run, staged, scope, summary, project.root, state)
    failpoint("after_commit")
    with _timed(clock, "publish"):
        database = executor.call(publish_warehouse, state, paths.warehouse, project.root)
    summary.database = str(database)
    failpoint("after_publish")
    discard_staging(paths.warehouse / "staging")
    summary.documents, summary.figures = loaded.documents, loaded.figures
    summary.warehouse_errors, summary.warehouse_warnings = loaded.errors, loaded.warnings
    # Batch stages summed over batches, then the wall time of each step of the run.
    summary.seconds = {k: sum(r.seconds.get(k, 0.0) for r in summaries) for k in STAGES}
    summary.seconds.update(clock)
    summary.bytes_read = sum(r.bytes_read for r in summaries)
    return summary


def _extract(
    paths: list[Path],
    seeds: Path,
    project: Project,
    run_id: str,
    executor: Executor,
    staging: Path,
    first_part: int,
) -> list[BatchSummary]:
    size = int(project.settings.get("batch", {}).get("size", 500))
    batches = [
        (first_part + n, paths[i : i + size]) for n, i in enumerate(range(0, len(paths), size))
    ]
    if not batches:
        return []
    return executor.map(extract_batch, batches, seeds, project.root, run_id, staging)


def _hashes(summaries: list[BatchSummary]) -> set[int]:
    return {h for r in summaries for hs in r.fingerprints.values() for h in hs}


STAGES = ("ingest", "metadata", "figures", "validate", "stage")
# The run's steps, timed on the wall clock (extract and recheck: the batches, mapped).
STEPS = ("plan", "extract", "partners", "recheck", "run_checks", "commit", "publish")


@contextmanager
def _timed(clock: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        clock[name] = clock.get(name, 0.0) + time.perf_counter() - started


def _relative(path: Path, seeds: Path) -> str:
    return path.relative_to(seeds).as_posix()
