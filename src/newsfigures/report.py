"""What a person reads: the run summary and the check report (plain text, linter-style lines)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsfigures.runs import RunSummary


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


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
        f"check {verdict}: {plural(files_seen, 'file')}, {plural(errors, 'error')} in "
        f"{plural(bad_files, 'file')}, {plural(warnings, 'warning')}"
    )
    return "\n".join(lines)


def run_summary(summary: RunSummary, seeds_label: str, verbose: bool = False) -> str:
    lines = [
        f"run {summary.run_id}: {plural(summary.files_seen, 'file')} -> "
        f"{plural(summary.documents, 'document')}, {plural(summary.figures, 'figure')} "
        "in the warehouse",
        f"  quarantined {plural(summary.rows_rejected, 'row')} "
        f"({plural(summary.errors, 'error')}), flagged {plural(summary.warnings, 'warning')}; "
        f"unreadable files: {summary.files_rejected}",
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
