"""What a person reads: the run summary and the check report (plain text, linter-style lines)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsfigures.runs import RunSummary


def reject_line(reject: dict[str, Any], seeds_label: str) -> str:
    """`seeds/file.txt:12: error value_within_category_bound: reason` — clickable in editors."""
    where = f"{seeds_label.rstrip('/')}/{reject['source_file']}"
    if reject.get("line"):
        where += f":{reject['line']}"
    return f"{where}: {reject['severity']} {reject['check_name']}: {reject['reason']}"


def sorted_rejects(rejects: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {"error": 0, "warn": 1}
    return sorted(
        rejects,
        key=lambda r: (
            order.get(r["severity"], 2),
            r["source_file"],
            r.get("line") or 0,
            r["check_name"],
        ),
    )


def check_report(
    rejects: list[dict[str, Any]], files_seen: int, seeds_label: str, show_warnings: bool = True
) -> str:
    shown = [r for r in sorted_rejects(rejects) if show_warnings or r["severity"] == "error"]
    errors = sum(r["severity"] == "error" for r in rejects)
    warnings = sum(r["severity"] == "warn" for r in rejects)
    bad_files = len({r["source_file"] for r in rejects if r["severity"] == "error"})
    lines = [reject_line(r, seeds_label) for r in shown]
    verdict = "FAILED" if errors else "passed"
    lines.append(
        f"check {verdict}: {files_seen} files, {errors} errors in {bad_files} files, "
        f"{warnings} warnings"
    )
    return "\n".join(lines)


def run_summary(summary: RunSummary, seeds_label: str, verbose: bool = False) -> str:
    lines = [
        f"run {summary.run_id}: {summary.files_seen} files -> "
        f"{summary.documents} documents, {summary.figures} figures in the warehouse",
        f"  quarantined {summary.rows_rejected} rows ({summary.errors} errors), "
        f"flagged {summary.warnings} warnings; files unreadable: {summary.files_rejected}",
    ]
    if summary.database:
        lines.append(f"  warehouse: {summary.database}")
    for reject in sorted_rejects(summary.rejects):
        if reject["severity"] == "error" or verbose:
            lines.append("  " + reject_line(reject, seeds_label))
    if summary.warnings and not verbose:
        lines.append("  (warnings: --verbose lists them; SQL: select * from quarantine)")
    lines.append(f"status: {summary.status}")
    return "\n".join(lines)
