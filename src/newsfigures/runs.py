"""Run identity and the summary a run reports (to the CLI, the runs table and Prefect)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


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
    flow_run_id: str | None = None
    rejects: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "errors" if self.errors else "ok"

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

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
            "rows_rejected": self.rows_rejected,
            "errors": self.errors,
            "warnings": self.warnings,
            "status": self.status,
        }

    @classmethod
    def of_batch(
        cls, batch: Any, run_id: str, seeds_dir: str, flow_run_id: str | None = None
    ) -> RunSummary:
        """What a merged batch result will put in the warehouse."""
        return cls(
            run_id=run_id,
            seeds_dir=seeds_dir,
            files_seen=batch.files_seen,
            files_rejected=batch.files_rejected,
            documents=batch.documents.num_rows,
            figures=batch.figures.num_rows,
            errors=batch.errors,
            warnings=batch.warnings,
            rows_rejected=batch.rows_rejected,
            flow_run_id=flow_run_id,
            rejects=batch.rejects.to_pylist(),
        )
