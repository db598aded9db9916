"""Validate stage: apply the table contracts to a batch and split valid rows from rejects.

Error-severity violations keep the row out of its table; warn-severity ones let it load.
Either way a `rejects` row records the table, file, row key, check, reason, offending value
and where in the text it is. A document that is rejected takes its figures with it (each
one recorded), so no figure points at a document that is not in the warehouse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pandera.polars as pa
import polars as pl

from newsfigures.contracts import SEVERITIES, Contract


@dataclass(frozen=True)
class ValidatedBatch:
    documents: pl.DataFrame
    figures: pl.DataFrame
    rejects: list[dict[str, Any]]


def reject_id(table: str, row_key: str, check_name: str) -> str:
    return hashlib.sha256(f"{table}\x1f{row_key}\x1f{check_name}".encode()).hexdigest()[:16]


def violations(
    contract: Contract, frame: pl.DataFrame, only: set[str] | None = None
) -> list[tuple[int, str, str, str, str | None]]:
    """(row index, check name, severity, reason, column) for every failing row of `frame`,
    for all the contract's checks or `only` the named ones."""
    found = []
    for severity in SEVERITIES:
        schema = contract.pandera_schema(severity, only)
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            checks = [c for c in contract.checks_of(severity) if only is None or c.name in only]
            cases = exc.failure_cases
            for row in cases.iter_rows(named=True):
                if row["index"] is None:
                    # A whole-frame failure (a missing or mistyped column) is an engine bug,
                    # not bad data: stop the run rather than quarantine every row.
                    raise RuntimeError(
                        f"{contract.table}: frame does not fit its contract {contract.path}: "
                        f"{row['check']} on column {row['column']!r}: {row['failure_case']}"
                    ) from exc
                if row["check"] == "not_nullable":
                    name, reason = f"{row['column']}_not_null", f"{row['column']} is missing"
                    found.append((row["index"], name, severity, reason, row["column"]))
                    continue
                spec = checks[row["check_number"]]
                found.append((row["index"], spec.name, severity, spec.description, spec.column))
    return found


def _offending_value(
    frame: pl.DataFrame, index: int, contract: Contract, check_name: str
) -> str | None:
    spec = next((c for c in contract.checks if c.name == check_name), None)
    row = frame.row(index, named=True)
    if spec is None:  # built-in checks: not-null (the column is empty) and document_rejected
        return row.get("span") if check_name == "document_rejected" else None
    params = spec.params
    if "text_column" in params:
        return row.get(params["text_column"])
    value = row.get(spec.column) if spec.column else None
    if "other" in params:
        return f"{spec.column}={value}, {params['other']}={row.get(params['other'])}"
    if "category_column" in params:
        category = row.get(params["category_column"])
        bounds = params["bounds"]
        return f"{value} {category} (bound {bounds.get(category, bounds.get('default'))})"
    return None if value is None else str(value)


def _location(contract: Contract, frame: pl.DataFrame, index: int, check_name: str) -> int | None:
    spec = next((c for c in contract.checks if c.name == check_name), None)
    column = (spec.location_column if spec else None) or contract.location_column
    return frame[column][index] if column else None


def reject_rows(
    table: str,
    frame: pl.DataFrame,
    contract: Contract,
    found: list[tuple[int, str, str, str, str | None]],
    texts: dict[str, str],
    sources: dict[str, str],
    run_id: str,
) -> list[dict[str, Any]]:
    """`rejects` rows for the violations `found` in `frame`."""
    rows = []
    for index, check_name, severity, reason, column in found:
        doc_id = frame["doc_id"][index]
        row_key = frame[contract.primary_key][index]
        offset = _location(contract, frame, index, check_name)
        value = _offending_value(frame, index, contract, check_name)
        text = texts.get(doc_id, "")
        rows.append(
            {
                "reject_id": reject_id(table, row_key, check_name),
                "run_id": run_id,
                "table_name": table,
                "source_file": sources.get(doc_id, ""),
                "doc_id": doc_id,
                "row_key": row_key,
                "check_name": check_name,
                "severity": severity,
                "reason": reason + (f": {value}" if value is not None else ""),
                "column_name": column,
                "offending_value": value,
                "char_offset": offset,
                "line": text.count("\n", 0, offset) + 1 if offset is not None else None,
            }
        )
    return rows


def apply_contracts(
    contracts: dict[str, Contract],
    documents: pl.DataFrame,
    figures: pl.DataFrame,
    texts: dict[str, str],
    sources: dict[str, str],
    run_id: str,
) -> ValidatedBatch:
    """Validate documents, then figures; return the rows that may load and the rejects.

    `texts` and `sources` map doc_id to the decoded text and the source file.
    """
    rejects: list[dict[str, Any]] = []

    def record(table: str, frame: pl.DataFrame, contract: Contract, found: list) -> set[int]:
        rejects.extend(reject_rows(table, frame, contract, found, texts, sources, run_id))
        return {index for (index, _, severity, *_) in found if severity == "error"}

    doc_contract = contracts["documents"]
    doc_violations = violations(doc_contract, documents)
    bad_docs = record("documents", documents, doc_contract, doc_violations)
    why_rejected: dict[str, list[str]] = {}
    for index, check_name, severity, *_ in doc_violations:
        if severity == "error":
            why_rejected.setdefault(documents["doc_id"][index], []).append(check_name)

    fig_contract = contracts["figures"]
    text_frame = pl.DataFrame(
        {"doc_id": list(texts), "_text": list(texts.values())},
        schema={"doc_id": pl.String, "_text": pl.String},
    )
    checked = figures.join(text_frame, on="doc_id", how="left", maintain_order="left")
    bad_figures = record("figures", checked, fig_contract, violations(fig_contract, checked))
    orphans = [
        (
            i,
            "document_rejected",
            "error",
            f"its document failed {', '.join(why_rejected[doc_id])}",
            "span",
        )
        for i, doc_id in enumerate(figures["doc_id"])
        if doc_id in why_rejected and i not in bad_figures
    ]
    bad_figures |= record("figures", checked, fig_contract, orphans)

    keep_docs = pl.Series([i not in bad_docs for i in range(documents.height)], dtype=pl.Boolean)
    keep_figures = pl.Series(
        [i not in bad_figures for i in range(figures.height)], dtype=pl.Boolean
    )
    return ValidatedBatch(documents.filter(keep_docs), figures.filter(keep_figures), rejects)
