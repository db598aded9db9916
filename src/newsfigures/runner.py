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

from newsfigures.batch import (
    PATCH_SCHEMA,
    SAMPLE_REJECTS,
    BatchSummary,
    flag_syndicated,
    stage_batch,
)
from newsfigures.config import Project, load_project
from newsfigures.contracts import load_contracts
from newsfigures.faults import failpoint
from newsfigures.ingest import FilePlan, KnownFile, discover, plan
from newsfigures.load import (
    CommitScope,
    LoadSummary,
    commit,
    discard_staging,
    last_config_hash,
    partner_files,
    publish,
    read_manifest,
    run_session,
    staged_writer,
)
from newsfigures.lock import warehouse_lock
from newsfigures.runs import RunSummary, new_run_id, peak_rss_mib, utc_now

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
def find_partners(staged: Path, state: Path, old_docs: set[str], project_root: Path) -> list[str]:
    """The files holding warehouse documents that share sentences with what the run staged
    so far (`load.run_session`)."""
    settings = load_project(project_root).settings.get("warehouse", {})
    with run_session(state, staged, settings, old_docs) as con:
        return partner_files(con)


@dataclass
class RunChecks:
    """What the run-level check found: documents newly flagged, and a sample of its rejects
    (all of them are staged)."""

    flagged: int
    sample_rejects: list[dict[str, Any]]


@step(retries=2)
def stage_run_checks(
    staged: Path, state: Path, old_docs: set[str], project_root: Path, run_id: str
) -> RunChecks:
    """The run-level check (syndicated copies), computed by DuckDB over the staged rows and
    the committed state, staged as a patch of the batches' rows."""
    project = load_project(project_root)
    settings = project.settings.get("warehouse", {})
    schema = load_contracts(project)["rejects"].arrow_schema()
    checks = RunChecks(0, [])
    with (
        staged_writer(staged / "documents_patch" / "part-run.parquet", PATCH_SCHEMA) as patch,
        # Named to sort after the batches' parts: it replaces their row for the same
        # document and check.
        staged_writer(staged / "rejects" / "part-zz-run.parquet", schema) as rejects,
        run_session(state, staged, settings, old_docs) as con,
    ):
        for chunk in flag_syndicated(con, project, run_id):
            patch.write_table(chunk.patch)
            rejects.write_table(pyarrow.Table.from_pylist(chunk.rejects, schema=schema))
            checks.flagged += chunk.newly
            room = SAMPLE_REJECTS - len(checks.sample_rejects)
            checks.sample_rejects += chunk.rejects[:room]
    return checks


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
    memory: dict[str, float] = {}
    with _timed(clock, memory, "plan"):
        discard_staging(paths.warehouse / "staging")  # leftovers of runs killed before commit
        manifest = read_manifest(state, settings)
        include = project.settings.get("ingest", {}).get("include", ["*.txt"])
        rules_changed = last_config_hash(state, settings) not in (None, project.fingerprint)
        files = executor.call(plan_files, seeds, include, manifest, rules_changed)
    failpoint("after_plan")
    staged = paths.warehouse / "staging" / run_id
    with _timed(clock, memory, "extract"):
        summaries = _extract(files.to_read, seeds, project, run_id, executor, staged, 0)
    failpoint("after_extract")

    # Documents the run no longer holds, and warehouse documents sharing sentences with
    # anything that changed: those are read again, so syndicated-copy flags stay what a run
    # from scratch would give. The sentences stay in the staged Parquet: the partners and
    # the check are queries over it and the committed state.
    read_now = {_relative(p, seeds) for p in files.to_read}
    old_docs = {manifest[f].doc_id for f in read_now | set(files.deleted) if f in manifest}
    old_docs = {d for d in old_docs if d}
    with _timed(clock, memory, "partners"):
        partners = executor.call(find_partners, staged, state, old_docs, project.root)
        recheck = [seeds / f for f in partners if f not in read_now and (seeds / f).exists()]
    with _timed(clock, memory, "recheck"):
        summaries += _extract(recheck, seeds, project, run_id, executor, staged, len(summaries))
    with _timed(clock, memory, "run_checks"):
        checks = executor.call(stage_run_checks, staged, state, old_docs, project.root, run_id)

    summary = RunSummary.of_summaries(summaries, run_id, str(seeds), flow_run_id)
    summary.warnings += checks.flagged
    summary.rejects = (summary.rejects + checks.sample_rejects)[:SAMPLE_REJECTS]
    summary.started_at = started_at
    summary.config_hash = project.fingerprint
    summary.files_seen = len(files.to_read) + len(files.unchanged)
    summary.files_processed = len(files.to_read) + len(recheck)
    summary.files_skipped = len(files.unchanged) - len(recheck)
    summary.files_deleted = len(files.deleted)
    scope = CommitScope(
        deleted_files=set(files.deleted),
        # Less the documents the run read: the commit takes those out.
        replaced_docs={manifest[f].doc_id for f in read_now if f in manifest} - {None},
        deleted_docs={manifest[f].doc_id for f in files.deleted} - {None},
    )
    failpoint("after_stage")
    with _timed(clock, memory, "commit"):
        loaded = executor.call(commit_run, staged, scope, summary, project.root, state)
    failpoint("after_commit")
    with _timed(clock, memory, "publish"):
        database = executor.call(publish_warehouse, state, paths.warehouse, project.root)
    summary.database = str(database)
    failpoint("after_publish")
    discard_staging(paths.warehouse / "staging")
    summary.documents, summary.figures = loaded.documents, loaded.figures
    summary.warehouse_errors, summary.warehouse_warnings = loaded.errors, loaded.warnings
    # Batch stages summed over batches, then the wall time of each step of the run.
    summary.seconds = {k: sum(r.seconds.get(k, 0.0) for r in summaries) for k in STAGES}
    summary.seconds.update(clock)
    summary.peak_rss_mib = {
        k: max((r.peak_rss_mib.get(k, 0.0) for r in summaries), default=0.0) for k in STAGES
    }
    summary.peak_rss_mib.update(memory)
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


STAGES = ("ingest", "metadata", "figures", "validate", "stage")
# The run's steps, timed on the wall clock (extract and recheck: the batches, mapped).
STEPS = ("plan", "extract", "partners", "recheck", "run_checks", "commit", "publish")


@contextmanager
def _timed(clock: dict[str, float], memory: dict[str, float], name: str) -> Iterator[None]:
    """Add the block's wall time to clock[name]; note this process's peak RSS after it."""
    started = time.perf_counter()
    try:
        yield
    finally:
        clock[name] = clock.get(name, 0.0) + time.perf_counter() - started
        memory[name] = peak_rss_mib()


def _relative(path: Path, seeds: Path) -> str:
    return path.relative_to(seeds).as_posix()
