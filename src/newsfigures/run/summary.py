"""Run identity and the summary a run reports (to the CLI, the runs table and Prefect)."""

from __future__ import annotations

import resource
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: UTC start time plus a random suffix."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def utc_now() -> datetime:
    """Naive UTC timestamp, as DuckDB's TIMESTAMP stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class RunSummary:
    run_id: str
    seeds_dir: str
    files_seen: int
    files_rejected: int
    documents: int
    figures: int
    errors: int
    warnings: int
    rows_rejected: int
    database: str | None = None
    # The analyst report the flow wrote after the run (newsfigures.report), if it did.
    report: str | None = None
    flow_run_id: str | None = None
    rejects: list[dict[str, Any]] = field(default_factory=list)
    started_at: datetime = field(default_factory=lambda: utc_now())
    files_processed: int = 0
    files_ignored: int = 0
    files_skipped: int = 0
    files_deleted: int = 0
    config_hash: str = ""
    # Seconds each stage took, summed over batches, and the bytes the run read.
    seconds: dict[str, float] = field(default_factory=dict)
    # Peak RSS (MiB) of the process running each stage or step, read when it ends.
    peak_rss_mib: dict[str, float] = field(default_factory=dict)
    bytes_read: int = 0
    # Rejects standing in the warehouse after the run (None before the commit).
    warehouse_errors: int | None = None
    warehouse_warnings: int | None = None

    @property
    def standing_errors(self) -> int:
        return self.errors if self.warehouse_errors is None else self.warehouse_errors

    @property
    def status(self) -> str:
        return "errors" if self.standing_errors or self.errors else "ok"

    @property
    def exit_code(self) -> int:
        """1 while any error-severity reject stands, found by this run or an earlier one."""
        return 1 if self.status == "errors" else 0

    def one_line(self) -> str:
        """The run in one line, for logs."""
        return (
            f"run {self.run_id}: {self.files_seen} files ({self.files_processed} read, "
            f"{self.files_skipped} unchanged, {self.files_deleted} gone, {self.files_ignored} "
            f"not articles) -> {self.documents} documents, {self.figures} figures; "
            f"{self.errors} new errors, {self.standing_errors} standing"
        )

    def record(self, started_at: datetime, finished_at: datetime) -> dict[str, Any]:
        """The run's row in the `runs` table (loaded counts are filled in at commit)."""
        return {
            "run_id": self.run_id,
            "flow_run_id": self.flow_run_id,
            "started_at": started_at,
            "finished_at": finished_at,
            "seeds_dir": self.seeds_dir,
            "files_seen": self.files_seen,
            "files_rejected": self.files_rejected,
            "files_ignored": self.files_ignored,
            "files_processed": self.files_processed,
            "files_skipped": self.files_skipped,
            "files_deleted": self.files_deleted,
            "rows_rejected": self.rows_rejected,
            "errors": self.errors,
            "warnings": self.warnings,
            "new_errors": self.errors,
            "status": self.status,
            "config_hash": self.config_hash,
        }

    @classmethod
    def of_summaries(
        cls, summaries: list[Any], run_id: str, seeds_dir: str, flow_run_id: str | None = None
    ) -> RunSummary:
        """What the staged batches will put in the warehouse (rejects: a sample, errors
        first)."""
        rejects = sorted(
            (r for s in summaries for r in s.sample_rejects), key=lambda r: r["severity"] != "error"
        )
        return cls(
            run_id=run_id,
            seeds_dir=seeds_dir,
            files_seen=sum(s.files_seen for s in summaries),
            files_processed=sum(s.files_seen for s in summaries),
            files_rejected=sum(s.files_rejected for s in summaries),
            files_ignored=sum(s.files_ignored for s in summaries),
            documents=sum(s.documents for s in summaries),
            figures=sum(s.figures for s in summaries),
            errors=sum(s.errors for s in summaries),
            warnings=sum(s.warnings for s in summaries),
            rows_rejected=sum(s.rows_rejected for s in summaries),
            flow_run_id=flow_run_id,
            rejects=rejects,
        )
