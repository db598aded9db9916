"""Run identity and the summary a run reports: its status and exit code, its row in the runs
table, its line in a log, and the sum of its batches."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from newsfigures.run.batch import BatchSummary
from newsfigures.run.summary import RunSummary, new_run_id, peak_rss_mib, utc_now


def _summary(**changes: Any) -> RunSummary:
    values: dict[str, Any] = {
        "run_id": "r1",
        "seeds_dir": "/data/seeds",
        "files_seen": 6,
        "files_rejected": 1,
        "documents": 4,
        "figures": 30,
        "errors": 0,
        "warnings": 2,
        "rows_rejected": 0,
    }
    return RunSummary(**{**values, **changes})


def test_a_run_id_sorts_by_its_start_and_is_unique() -> None:
    early = new_run_id(datetime(2019, 3, 5, 1, 24, 9, tzinfo=UTC))
    late = new_run_id(datetime(2019, 3, 5, 13, 0, 0, tzinfo=UTC))
    assert re.fullmatch(r"20190305T012409Z-[0-9a-f]{6}", early)
    assert early < late
    assert len({new_run_id() for _ in range(50)}) == 50


def test_times_are_naive_utc_and_memory_is_measured() -> None:
    now = utc_now()
    assert now.tzinfo is None
    assert abs((datetime.now(UTC).replace(tzinfo=None) - now).total_seconds()) < 5
    assert 10 < peak_rss_mib() < 100_000  # MiB, not KiB or bytes


def test_errors_standing_in_the_warehouse_decide_the_status() -> None:
    ok = _summary()
    assert (ok.status, ok.exit_code, ok.standing_errors) == ("ok", 0, 0)
    new = _summary(errors=2)
    assert (new.status, new.exit_code, new.standing_errors) == ("errors", 1, 2)
    # Committed: what stands in the warehouse counts, found by this run or an earlier one.
    earlier = _summary(errors=0, warehouse_errors=3)
    assert (earlier.status, earlier.exit_code, earlier.standing_errors) == ("errors", 1, 3)
    fixed = _summary(errors=0, warehouse_errors=0, warehouse_warnings=5)
    assert (fixed.status, fixed.exit_code) == ("ok", 0)


def test_the_run_in_one_line() -> None:
    summary = _summary(files_processed=2, files_skipped=4, files_deleted=1, files_ignored=1)
    summary.warehouse_errors = 3
    assert summary.one_line() == (
        "run r1: 6 files (2 read, 4 unchanged, 1 gone, 1 not articles) -> 4 documents, "
        "30 figures; 0 new errors, 3 standing"
    )


def test_the_run_s_row_in_the_runs_table() -> None:
    started, finished = datetime(2019, 3, 5, 1, 0), datetime(2019, 3, 5, 1, 1)
    summary = _summary(
        errors=1, rows_rejected=1, flow_run_id="f1", config_hash="abc", files_processed=6
    )
    assert summary.record(started, finished) == {
        "run_id": "r1",
        "flow_run_id": "f1",
        "started_at": started,
        "finished_at": finished,
        "seeds_dir": "/data/seeds",
        "files_seen": 6,
        "files_rejected": 1,
        "files_ignored": 0,
        "files_processed": 6,
        "files_skipped": 0,
        "files_deleted": 0,
        "rows_rejected": 1,
        "errors": 1,
        "warnings": 2,
        "new_errors": 1,
        "status": "errors",
        "config_hash": "abc",
    }


def _batch(files: int, errors: list[str], warnings: list[str], **changes: Any) -> BatchSummary:
    rejects = [{"severity": "error", "check_name": c} for c in errors] + [
        {"severity": "warn", "check_name": c} for c in warnings
    ]
    values: dict[str, Any] = {
        "files_seen": files,
        "files_rejected": 1,
        "files_ignored": 1,
        "files_staged": files,
        "documents": files - 2,
        "figures": 10 * files,
        "errors": len(errors),
        "warnings": len(warnings),
        "rows_rejected": len(errors),
        "bytes_read": 100,
        # A batch hands back its rejects sorted, errors first.
        "sample_rejects": rejects,
        "seconds": {},
        "peak_rss_mib": {},
    }
    return BatchSummary(**{**values, **changes})


def test_a_run_is_the_sum_of_its_batches_with_their_errors_first() -> None:
    batches = [_batch(5, [], ["w1", "w2"]), _batch(3, ["e1"], ["w3"])]
    summary = RunSummary.of_summaries(batches, "r1", "/data/seeds", "f1")
    assert (
        summary.files_seen,
        summary.files_processed,
        summary.files_rejected,
        summary.files_ignored,
        summary.documents,
        summary.figures,
        summary.errors,
        summary.warnings,
        summary.rows_rejected,
        summary.flow_run_id,
    ) == (8, 8, 2, 2, 4, 80, 1, 3, 1, "f1")
    assert [r["check_name"] for r in summary.rejects] == ["e1", "w1", "w2", "w3"]
    empty = RunSummary.of_summaries([], "r2", "/data/seeds")
    assert (empty.files_seen, empty.documents, empty.rejects, empty.status) == (0, 0, [], "ok")
