"""Validate stage: apply a table's contract to its rows and split valid rows from rejects.

Error-severity violations keep the row out of its table (contracts with `on_error:
quarantine`) or stop the run before anything is committed (`on_error: stop`: the tables the
engine writes for itself); warn-severity ones let it load. Either way a `rejects` row records
the table, file, row key, check, reason, offending value and where in the text it is. A
document that is rejected takes its figures with it (each one recorded), so no figure points
at a document that is not in the warehouse.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandera.polars as pa
import polars as pl

from newsfigures.validate.checks import TEXT_SLICE, SpanMatchesText
from newsfigures.validate.contracts import SEVERITIES, Contract

DOCUMENT_REJECTED = "document_rejected"
# (doc_id, character offset) -> line number in the document's file.
LineOf = Callable[[str | None, int], int | None]


def span_slices(contract: Contract, rows: list[dict[str, Any]], text: str) -> list[str] | None:
    """Each figure row's own slice of the document text, for a check comparing its span with
    the text (None when the contract has no such check)."""
    check = next((c for c in contract.checks if isinstance(c, SpanMatchesText)), None)
    if check is None:
        return None
    return [text[r[check.start] : r[check.end]] for r in rows]


class Violation(NamedTuple):
    index: int
    check_name: str
    severity: str
    reason: str
    column: str | None


class ContractViolation(RuntimeError):
    """Rows the engine made fail a contract that stops the run (`on_error: stop`)."""


@dataclass(frozen=True)
class Validated:
    frame: pl.DataFrame
    rejects: list[dict[str, Any]]


def reject_id(table: str, row_key: str, check_name: str) -> str:
    return hashlib.sha256(f"{table}\x1f{row_key}\x1f{check_name}".encode()).hexdigest()[:16]


def violations(contract: Contract, frame: pl.DataFrame, only: set[str] | None = None) -> list:
    """Every failing row of `frame`, for all the contract's checks or `only` the named ones."""
    found: list[Violation] = []
    for severity in SEVERITIES:
        schema = contract.pandera_schema(severity, only)
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            checks = [c for c in contract.checks_of(severity) if only is None or c.name in only]
            found += _failures(contract, exc, checks, severity)
    return found


def _failures(contract: Contract, exc: Any, checks: list, severity: str) -> list[Violation]:
    found = []
    for row in exc.failure_cases.iter_rows(named=True):
        if row["index"] is None:
            # A whole-frame failure (a missing or mistyped column) is an engine bug, not
            # bad data: stop the run rather than quarantine every row.
            raise RuntimeError(
                f"{contract.table}: frame does not fit its contract {contract.path}: "
                f"{row['check']} on column {row['column']!r}: {row['failure_case']}"
            ) from exc
        if row["check"] == "not_nullable":
            name, reason = f"{row['column']}_not_null", f"{row['column']} is missing"
            found.append(Violation(row["index"], name, severity, reason, row["column"]))
            continue
        spec = checks[row["check_number"]]
        found.append(Violation(row["index"], spec.name, severity, spec.description, spec.column))
    return found


def reject_rows(
    contract: Contract,
    frame: pl.DataFrame,
    found: list[Violation],
    run_id: str,
    sources: Mapping[str, str] | None = None,
    line_of: LineOf | None = None,
) -> list[dict[str, Any]]:
    """`rejects` rows for the violations `found` in `frame`; `sources` maps a doc_id to its
    file, `line_of` (doc_id, character offset) to the line in it."""
    rows = []
    for violation in found:
        row = frame.row(violation.index, named=True)
        doc_id = row.get("doc_id")
        check = contract.check(violation.check_name)
        column = (check.location_column if check else None) or contract.location_column
        offset = row.get(column) if column else None
        value = _offending(check, row, violation.check_name)
        rows.append(
            {
                "reject_id": reject_id(
                    contract.table, str(row[contract.primary_key]), violation.check_name
                ),
                "run_id": run_id,
                "table_name": contract.table,
                "source_file": (sources or {}).get(doc_id or "") or row.get("source_file") or "",
                "doc_id": doc_id,
                "row_key": str(row[contract.primary_key]),
                "check_name": violation.check_name,
                "severity": violation.severity,
                "reason": violation.reason + (f": {value}" if value is not None else ""),
                "column_name": violation.column,
                "offending_value": value,
                "char_offset": offset,
                "line": line_of(doc_id, offset) if line_of and offset is not None else None,
            }
        )
    return rows


def _offending(check: Any, row: dict[str, Any], check_name: str) -> str | None:
    if check is not None:
        return check.offending(row)
    # Built-in checks: not-null (the column is empty) and document_rejected.
    return row.get("span") if check_name == DOCUMENT_REJECTED else None


def validate_rows(
    contract: Contract,
    frame: pl.DataFrame,
    run_id: str,
    sources: Mapping[str, str] | None = None,
    line_of: LineOf | None = None,
    text_slices: list[str] | None = None,
    also_rejected: Mapping[str, list[str]] | None = None,
) -> Validated:
    """The rows that may load, and the rejects. `text_slices`: each row's own slice of its
    document's text, for a check that compares a span with the text. `also_rejected`:
    doc_id -> the checks its document failed (its rows go with it). A contract that stops
    the run raises ContractViolation on an error-severity violation instead."""
    checked = frame
    if any(isinstance(c, SpanMatchesText) for c in contract.checks):
        if text_slices is None or len(text_slices) != frame.height:
            raise ValueError(f"{contract.table}: a span check needs each row's slice of text")
        checked = frame.with_columns(pl.Series(TEXT_SLICE, text_slices, dtype=pl.String))
    found = violations(contract, checked)
    errors = {v.index for v in found if v.severity == "error"}
    if also_rejected:
        found += [
            Violation(
                i, DOCUMENT_REJECTED, "error", f"its document failed {', '.join(why)}", "span"
            )
            for i, doc_id in enumerate(frame["doc_id"])
            if (why := also_rejected.get(doc_id)) and i not in errors
        ]
        errors = {v.index for v in found if v.severity == "error"}
    rejects = reject_rows(contract, checked, found, run_id, sources, line_of)
    if errors and not contract.quarantines:
        raise ContractViolation(_stop_message(contract, rejects))
    keep = pl.Series([i not in errors for i in range(frame.height)], dtype=pl.Boolean)
    return Validated(frame.filter(keep), rejects)


def _stop_message(contract: Contract, rejects: list[dict[str, Any]]) -> str:
    errors = [r for r in rejects if r["severity"] == "error"]
    shown = "; ".join(f"{r['row_key']}: {r['check_name']}: {r['reason']}" for r in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return (
        f"{contract.path}: rows the engine wrote for table {contract.table!r} fail its "
        f"contract, so the run stopped before committing anything: {shown}{more}"
    )


def rejected_documents(rejects: list[dict[str, Any]]) -> dict[str, list[str]]:
    """doc_id -> the error-severity checks its document row failed."""
    why: dict[str, list[str]] = {}
    for reject in rejects:
        if reject["table_name"] == "documents" and reject["severity"] == "error":
            why.setdefault(reject["doc_id"], []).append(reject["check_name"])
    return why


def validate_articles(
    contracts: Mapping[str, Contract],
    documents: pl.DataFrame,
    figures: pl.DataFrame,
    run_id: str,
    sources: Mapping[str, str],
    line_of: LineOf | None = None,
    text_slices: list[str] | None = None,
) -> tuple[Validated, Validated]:
    """Documents, then figures (a rejected document takes its figures with it)."""
    checked_documents = validate_rows(contracts["documents"], documents, run_id, sources, line_of)
    checked_figures = validate_rows(
        contracts["figures"],
        figures,
        run_id,
        sources,
        line_of,
        text_slices=text_slices,
        also_rejected=rejected_documents(checked_documents.rejects),
    )
    return checked_documents, checked_figures
