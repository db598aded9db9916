"""What a person reads: the run summary and the check report (plain text, linter-style lines)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from newsfigures.run.summary import RunSummary


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


def no_articles(summary: RunSummary, seeds_label: str, include: Sequence[str]) -> str | None:
    """The line that says a folder holds no article at all, and what would be read."""
    if summary.files_seen - summary.files_ignored > 0:
        return None
    others = (
        f"; {plural(summary.files_ignored, 'other file')} listed" if summary.files_ignored else ""
    )
    return f"0 article files found in {seeds_label} (reads {', '.join(include)}){others}"


def check_report(
    summary: RunSummary, seeds_label: str, include: Sequence[str], show_warnings: bool = True
) -> str:
    rejects = summary.rejects
    shown = [r for r in sorted_rejects(rejects) if show_warnings or r["severity"] == "error"]
    errors = sum(r["severity"] == "error" for r in rejects)
    warnings = sum(r["severity"] == "warn" for r in rejects)
    bad_files = len({r["source_file"] for r in rejects if r["severity"] == "error"})
    lines = [reject_line(r, seeds_label) for r in shown]
    empty = no_articles(summary, seeds_label, include)
    if empty:
        lines.append(empty)
    verdict = "FAILED" if errors else "passed"
    ignored = f" ({summary.files_ignored} not articles)" if summary.files_ignored else ""
    lines.append(
        f"check {verdict}: {plural(summary.files_seen, 'file')}{ignored}, "
        f"{plural(errors, 'error')} in {plural(bad_files, 'file')}, {plural(warnings, 'warning')}"
    )
    return "\n".join(lines)


def run_summary(
    summary: RunSummary, seeds_label: str, include: Sequence[str], verbose: bool = False
) -> str:
    ignored = f", {summary.files_ignored} not articles" if summary.files_ignored else ""
    lines = [
        f"run {summary.run_id}: {plural(summary.files_seen, 'file')} "
        f"({summary.files_processed} read, {summary.files_skipped} unchanged, "
        f"{summary.files_deleted} gone{ignored}) -> {plural(summary.documents, 'document')}, "
        f"{plural(summary.figures, 'figure')} in the warehouse",
        f"  this run: quarantined {plural(summary.rows_rejected, 'row')} "
        f"({plural(summary.errors, 'error')}), flagged {plural(summary.warnings, 'warning')}; "
        f"unreadable files: {summary.files_rejected}",
    ]
    empty = no_articles(summary, seeds_label, include)
    if empty:
        lines.insert(0, empty)
    if summary.warehouse_errors is not None:
        lines.append(
            f"  standing in the warehouse: {plural(summary.warehouse_errors, 'error')}, "
            f"{plural(summary.warehouse_warnings or 0, 'warning')} (select * from quarantine)"
        )
    if summary.database:
        lines.append(f"  warehouse: {summary.database}")
    if summary.report:
        lines.append(f"  report: {summary.report}")
    for reject in sorted_rejects(summary.rejects):
        if reject["severity"] == "error" or verbose:
            lines.append("  " + reject_line(reject, seeds_label))
    if summary.warnings and not verbose:
        lines.append("  (this run's warnings: --verbose lists them)")
    lines.append(f"status: {summary.status}")
    return "\n".join(lines)


def markdown_summary(summary: RunSummary) -> str:
    """The run as Markdown, for the Prefect UI."""
    checks: dict[tuple[str, str], int] = {}
    for reject in summary.rejects:
        key = (reject["severity"], reject["check_name"])
        checks[key] = checks.get(key, 0) + 1
    lines = [
        f"# newsfigures run `{summary.run_id}`: {summary.status}",
        "",
        "| files seen | read | unchanged | gone | unreadable | documents | figures | errors | warnings |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {summary.files_seen} | {summary.files_processed} | {summary.files_skipped} | "
        f"{summary.files_deleted} | {summary.files_rejected} | {summary.documents} | "
        f"{summary.figures} | {summary.errors} | {summary.warnings} |",
        "",
    ]
    if checks:
        lines += ["| severity | check | rows |", "|---|---|---|"]
        lines += [f"| {sev} | {name} | {n} |" for (sev, name), n in sorted(checks.items())]
    else:
        lines.append("No check failed on the files this run read.")
    if summary.database:
        lines += ["", f"Warehouse: `{summary.database}`"]
    return "\n".join(lines)
