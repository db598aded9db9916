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
