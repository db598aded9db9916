"""What a person reads: reject lines an editor can open, the check report, the run summary,
the line that says a folder holds no article, and the run as Markdown for the Prefect UI."""

from __future__ import annotations

from typing import Any

import pytest

from newsfigures.run.report import (
    check_report,
    markdown_summary,
    no_articles,
    plural,
    reject_line,
    run_summary,
    sorted_rejects,
)
from newsfigures.run.summary import RunSummary


def _reject(source: str, line: int | None, severity: str, check: str, reason: str) -> dict:
    return {
        "source_file": source,
        "line": line,
        "severity": severity,
        "check_name": check,
        "reason": reason,
    }


REJECTS = [
    _reject("b.txt", 12, "warn", "category_is_other", "category is other: militias"),
    _reject("a.txt", None, "error", "file_empty", "the file is empty or only white space"),
    _reject("c.txt", 3, "error", "value_within_category_bound", "too big: 5000000 troops"),
    _reject("c.txt", 1, "error", "published_date_in_range", "too old: 1899-12-31"),
]


def _summary(**changes: Any) -> RunSummary:
    values: dict[str, Any] = {
        "run_id": "r1",
        "seeds_dir": "/data/seeds",
        "files_seen": 4,
        "files_rejected": 1,
        "documents": 3,
        "figures": 10,
        "errors": 3,
        "warnings": 1,
        "rows_rejected": 2,
        "rejects": REJECTS,
        "files_ignored": 1,
        "files_processed": 4,
    }
    return RunSummary(**{**values, **changes})


@pytest.mark.parametrize(
    ("label", "reject", "line"),
    [
        (
            "seeds",
            REJECTS[2],
            "seeds/c.txt:3: error value_within_category_bound: too big: 5000000 troops",
        ),
        (
            "seeds/",
            REJECTS[2],
            "seeds/c.txt:3: error value_within_category_bound: too big: 5000000 troops",
        ),
        # A file-level reject has no line.
        (
            "/data/seeds",
            REJECTS[1],
            "/data/seeds/a.txt: error file_empty: the file is empty or only white space",
        ),
    ],
)
def test_a_reject_line_is_file_line_severity_check_and_reason(
    label: str, reject: dict, line: str
) -> None:
    assert reject_line(reject, label) == line


def test_rejects_are_sorted_errors_first_then_by_file_and_line() -> None:
    assert [(r["source_file"], r["line"]) for r in sorted_rejects(REJECTS)] == [
        ("a.txt", None),
        ("c.txt", 1),
        ("c.txt", 3),
        ("b.txt", 12),
    ]
    assert sorted_rejects([]) == []


def test_plural() -> None:
    assert [plural(0, "file"), plural(1, "file"), plural(2, "error")] == [
        "0 files",
        "1 file",
        "2 errors",
    ]


def test_the_check_report_lists_every_reject_then_the_verdict() -> None:
    assert check_report(_summary(), "seeds", ["*.txt"]).splitlines() == [
        "seeds/a.txt: error file_empty: the file is empty or only white space",
        "seeds/c.txt:1: error published_date_in_range: too old: 1899-12-31",
        "seeds/c.txt:3: error value_within_category_bound: too big: 5000000 troops",
        "seeds/b.txt:12: warn category_is_other: category is other: militias",
        "check FAILED: 4 files (1 not articles), 3 errors in 2 files, 1 warning",
    ]
    without_warnings = check_report(_summary(), "seeds", ["*.txt"], show_warnings=False)
    assert "category_is_other" not in without_warnings
    assert without_warnings.endswith("3 errors in 2 files, 1 warning")


def test_warnings_alone_pass_the_check() -> None:
    summary = _summary(rejects=REJECTS[:1], errors=0, files_ignored=0)
    assert check_report(summary, "seeds", ["*.txt"]).splitlines()[-1] == (
        "check passed: 4 files, 0 errors in 0 files, 1 warning"
    )


def test_a_folder_without_articles_says_what_would_be_read() -> None:
    others = _summary(files_seen=2, files_ignored=2, rejects=[], errors=0, warnings=0)
    line = "0 article files found in seeds (reads *.txt, *.md); 2 other files listed"
    assert no_articles(others, "seeds", ["*.txt", "*.md"]) == line
    assert check_report(others, "seeds", ["*.txt", "*.md"]).splitlines() == [
        line,
        "check passed: 2 files (2 not articles), 0 errors in 0 files, 0 warnings",
    ]
    assert run_summary(others, "seeds", ["*.txt", "*.md"]).splitlines()[0] == line
    empty = _summary(files_seen=0, files_ignored=0)
    assert no_articles(empty, "seeds", ["*.txt"]) == "0 article files found in seeds (reads *.txt)"
    assert no_articles(_summary(), "seeds", ["*.txt"]) is None


def test_the_run_summary_shows_errors_and_says_where_the_warnings_are() -> None:
    assert run_summary(_summary(), "seeds", ["*.txt"]).splitlines() == [
        "run r1: 4 files (4 read, 0 unchanged, 0 gone, 1 not articles) -> 3 documents, "
        "10 figures in the warehouse",
        "  this run: quarantined 2 rows (3 errors), flagged 1 warning; unreadable files: 1",
        "  seeds/a.txt: error file_empty: the file is empty or only white space",
        "  seeds/c.txt:1: error published_date_in_range: too old: 1899-12-31",
        "  seeds/c.txt:3: error value_within_category_bound: too big: 5000000 troops",
        "  (this run's warnings: --verbose lists them)",
        "status: errors",
    ]


def test_a_committed_run_s_summary_adds_what_stands_in_the_warehouse() -> None:
    summary = _summary(warehouse_errors=5, warehouse_warnings=2, database="/w/newsfigures.duckdb")
    lines = run_summary(summary, "seeds", ["*.txt"], verbose=True).splitlines()
    assert lines[2:5] == [
        "  standing in the warehouse: 5 errors, 2 warnings (select * from quarantine)",
        "  warehouse: /w/newsfigures.duckdb",
        "  seeds/a.txt: error file_empty: the file is empty or only white space",
    ]
    assert "  seeds/b.txt:12: warn category_is_other: category is other: militias" in lines
    assert "(this run's warnings" not in "\n".join(lines)


def test_the_run_as_markdown() -> None:
    summary = _summary(database="/w/newsfigures.duckdb")
    assert markdown_summary(summary).splitlines() == [
        "# newsfigures run `r1`: errors",
        "",
        "| files seen | read | unchanged | gone | unreadable | documents | figures | errors | warnings |",
        "|---|---|---|---|---|---|---|---|---|",
        "| 4 | 4 | 0 | 0 | 1 | 3 | 10 | 3 | 1 |",
        "",
        "| severity | check | rows |",
        "|---|---|---|",
        "| error | file_empty | 1 |",
        "| error | published_date_in_range | 1 |",
        "| error | value_within_category_bound | 1 |",
        "| warn | category_is_other | 1 |",
        "",
        "Warehouse: `/w/newsfigures.duckdb`",
    ]
    clean = markdown_summary(_summary(rejects=[], errors=0, warnings=0))
    assert clean.splitlines()[0] == "# newsfigures run `r1`: ok"
    assert clean.splitlines()[-1] == "No check failed on the files this run read."
