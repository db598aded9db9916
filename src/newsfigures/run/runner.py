"""One run of the pipeline, in order, whatever executes it.

    check the declarations -> lock the warehouse -> plan against the last run's manifest
      -> extract new or changed files in batches -> re-read syndication partners
      -> run-level checks -> stage Parquet -> commit (rows, then models) -> publish

The steps are plain functions (steps.py). An `Executor` decides how they run:
`LocalExecutor` calls them in this process (tests, benchmarks); the Prefect flow in
flows/pipeline.py runs each as a Prefect task, batches mapped in parallel, with the retries
each step declares. The sequence itself exists once, here: `newsfigures check` runs it too,
into a throwaway staging area, and stops before the commit.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from newsfigures.config import Project
from newsfigures.faults import failpoint
from newsfigures.load.lock import warehouse_lock
from newsfigures.load.models import Model
from newsfigures.load.staging import discard_staging, staged_rows
from newsfigures.load.state import last_config_hash, read_manifest
from newsfigures.run.batch import SAMPLE_REJECTS, BatchSummary
from newsfigures.run.preflight import preflight
from newsfigures.run.steps import (
    check_run,
    commit_run,
    extract_batch,
    find_partners,
    plan_files,
    publish_warehouse,
)
from newsfigures.run.summary import RunSummary, new_run_id, peak_rss_mib, utc_now
from newsfigures.sources.folder import FilePlan, folder_order
from newsfigures.sources.records import RECORD_MARK

T = TypeVar("T")


class Executor(Protocol):
    def call(self, fn: Callable[..., T], *args: Any) -> T: ...

    def map(self, fn: Callable[..., T], items: Sequence[Any], *args: Any) -> list[T]: ...


class LocalExecutor:
    """Run every step here and now, in order."""

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(*args)

    def map(self, fn: Callable[..., T], items: Sequence[Any], *args: Any) -> list[T]:
        return [fn(item, *args) for item in items]


class IncompleteRun(RuntimeError):
    """A run staged fewer files than it planned to read: nothing is committed."""


class DiskFull(RuntimeError):
    """A write failed for want of space; the message says so first."""


@contextmanager
def _space(doing: str, outcome: str) -> Iterator[None]:
    """Say "no space left on device" first when a step fails for want of space, whatever
    layer noticed (the OS, Parquet, DuckDB), and what that means for the warehouse."""
    try:
        yield
    except Exception as exc:
        if not _no_space(exc):
            raise
        raise DiskFull(f"no space left on device while {doing}: {outcome} ({exc})") from exc


def _no_space(exc: BaseException | None) -> bool:
    while exc is not None:
        if getattr(exc, "errno", None) == errno.ENOSPC or "no space left" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@dataclass(frozen=True)
class Paths:
    seeds: Path
    warehouse: Path
    state: Path

    @classmethod
    def of(cls, seeds_dir: str | Path, warehouse_dir: str | Path, project: Project) -> Paths:
        warehouse = Path(warehouse_dir).resolve()
        state = warehouse / project.settings.warehouse.state_database
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
    paths = Paths.of(seeds_dir, warehouse_dir, project)
    models = preflight(project, paths.state)
    run_id = new_run_id()
    settings = project.settings.warehouse
    wait = settings.lock_wait_seconds if lock_wait_seconds is None else lock_wait_seconds
    started = time.perf_counter()
    with warehouse_lock(paths.warehouse, run_id, float(wait)):
        summary = _locked_run(paths, project, executor, run_id, flow_run_id, models)
    summary.seconds["run"] = time.perf_counter() - started
    return summary


def check(seeds_dir: str | Path, project: Project, executor: Executor) -> RunSummary:
    """The same run over the whole folder into a throwaway staging area, stopped before the
    commit: what a run from scratch would load and reject (every reject, not a sample)."""
    preflight(project, None)
    scratch = Path(tempfile.mkdtemp(prefix="newsfigures-check-"))
    try:
        paths = Paths(Path(seeds_dir).resolve(), scratch, scratch / "state.duckdb")
        return _locked_run(paths, project, executor, new_run_id(), None, models=None)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _locked_run(
    paths: Paths,
    project: Project,
    executor: Executor,
    run_id: str,
    flow_run_id: str | None,
    models: list[Model] | None,
) -> RunSummary:
    """The run; committed with the checked `models`, or stopped before the commit (None)."""
    seeds, state, staging = paths.seeds, paths.state, paths.warehouse / "staging"
    started_at = utc_now()
    clock: dict[str, float] = {}
    memory: dict[str, float] = {}
    with _timed(clock, memory, "plan"):
        discard_staging(staging)  # leftovers of runs killed before commit
        manifest = read_manifest(state, project.settings.warehouse)
        rules_changed = last_config_hash(state, project.settings.warehouse) not in (
            None,
            project.fingerprint,
        )
        files = executor.call(plan_files, seeds, project, manifest, rules_changed)
    failpoint("after_plan")
    staged = staging / run_id
    with _timed(clock, memory, "extract"), _space("staging the run", NOT_COMMITTED):
        summaries = _extract(files.to_read, seeds, project, run_id, executor, staged, 0)
    failpoint("after_extract")

    # Warehouse documents sharing sentences with anything that changed are read again, so
    # syndicated-copy flags stay what a run from scratch would give. The sentences stay in
    # the staged Parquet: the partners and the checks are queries over it and the state.
    read_now = set(files.to_read)
    with _timed(clock, memory, "partners"):
        partners = executor.call(find_partners, staged, state, files.leaving, project)
        recheck = _files_of(partners, seeds, read_now)
    with _timed(clock, memory, "recheck"), _space("staging the run", NOT_COMMITTED):
        summaries += _extract(recheck, seeds, project, run_id, executor, staged, len(summaries))
    _require_all_staged(files, recheck, summaries)
    with _timed(clock, memory, "run_checks"), _space("staging the run", NOT_COMMITTED):
        checks = executor.call(check_run, staged, state, files.leaving, project, run_id)

    summary = _summary(summaries, checks, files, recheck, run_id, str(seeds), flow_run_id)
    summary.started_at = started_at
    summary.config_hash = project.fingerprint
    failpoint("after_stage")
    if models is not None:
        committed = (summary, paths, project, models, executor, staged, files)
        _commit_and_publish(*committed, clock, memory)
    else:
        summary.rejects = staged_rows(staged / "rejects", "reject_id")
    discard_staging(staging)
    _measures(summary, summaries, clock, memory)
    return summary


def _commit_and_publish(
    summary: RunSummary,
    paths: Paths,
    project: Project,
    models: list[Model],
    executor: Executor,
    staged: Path,
    files: FilePlan,
    clock: dict[str, float],
    memory: dict[str, float],
) -> None:
    with _timed(clock, memory, "commit"), _space("committing", NOT_COMPLETED):
        loaded = executor.call(
            commit_run, staged, files.leaving, summary, project, models, paths.state
        )
    failpoint("after_commit")
    clock.update({f"commit.{phase}": seconds for phase, seconds in loaded.seconds.items()})
    with _timed(clock, memory, "publish"), _space("publishing", NOT_PUBLISHED):
        database = executor.call(
            publish_warehouse, paths.state, paths.warehouse, project, summary.run_id
        )
    summary.database = str(database)
    failpoint("after_publish")
    summary.documents, summary.figures = loaded.documents, loaded.figures
    summary.warehouse_errors, summary.warehouse_warnings = loaded.errors, loaded.warnings


def _files_of(keys: list[str], seeds: Path, read_now: set[str]) -> list[str]:
    """The files still in the folder that hold these documents (a record key names its
    file: feed.jsonl#line=3), but those read already, each once."""
    files = set()
    for key in keys:
        name = key if (seeds / key).exists() else key.rpartition(RECORD_MARK)[0]
        if name and name not in read_now and (seeds / name).exists():
            files.add(name)
    return sorted(files, key=folder_order)


def _require_all_staged(files: FilePlan, recheck: list[str], summaries: list[BatchSummary]) -> None:
    """Every file the run planned to read has its staged manifest row, or nothing commits."""
    planned = len(files.to_read) + len(recheck)
    staged = sum(s.files_staged for s in summaries)
    if staged != planned:
        raise IncompleteRun(
            f"the run planned to read {planned} files but staged {staged}: nothing was committed"
        )


def _summary(
    summaries: list[BatchSummary],
    checks: Any,
    files: FilePlan,
    recheck: list[str],
    run_id: str,
    seeds: str,
    flow_run_id: str | None,
) -> RunSummary:
    summary = RunSummary.of_summaries(summaries, run_id, seeds, flow_run_id)
    summary.warnings += checks.flagged + checks.duplicates
    summary.rejects = (summary.rejects + checks.sample_rejects)[:SAMPLE_REJECTS]
    summary.files_seen = len(files.to_read) + len(files.unchanged)
    summary.files_processed = len(files.to_read) + len(recheck)
    summary.files_skipped = len(files.unchanged) - len(recheck)
    summary.files_deleted = len(files.deleted)
    return summary


def _measures(
    summary: RunSummary,
    summaries: list[BatchSummary],
    clock: dict[str, float],
    memory: dict[str, float],
) -> None:
    """Batch stages summed over batches, then the wall time of each step of the run."""
    summary.seconds = {k: sum(r.seconds.get(k, 0.0) for r in summaries) for k in STAGES}
    summary.seconds.update(clock)
    summary.peak_rss_mib = {
        k: max((r.peak_rss_mib.get(k, 0.0) for r in summaries), default=0.0) for k in STAGES
    }
    summary.peak_rss_mib.update(memory)
    summary.bytes_read = sum(r.bytes_read for r in summaries)


def _extract(
    names: list[str],
    seeds: Path,
    project: Project,
    run_id: str,
    executor: Executor,
    staging: Path,
    first_part: int,
) -> list[BatchSummary]:
    size = project.settings.batch.size
    batches = [
        (first_part + n, names[i : i + size]) for n, i in enumerate(range(0, len(names), size))
    ]
    if not batches:
        return []
    return executor.map(extract_batch, batches, seeds, project, run_id, staging)


NOT_COMMITTED = "nothing was committed; free some space and run again"
# The commit's second transaction (the models) may fail after its first (the rows).
NOT_COMPLETED = (
    "what analysts read is unchanged; free some space and run again (it completes whatever "
    "this run committed)"
)
NOT_PUBLISHED = (
    "the run is committed but what analysts read was not replaced; free some space and run "
    "again to publish it"
)
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
