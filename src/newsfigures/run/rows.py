"""Table rows built from the contracts' columns: every value the engine knows about a
document, figure or file, and of those the ones a table's contract declares.

The contract decides what a table holds. A declared column the engine has no value for is
refused before any article is read (`missing_columns`), never filled with nulls.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from newsfigures.extract import ExtractedDocument
from newsfigures.extract.figures import Figure, figure_id
from newsfigures.extract.fingerprints import sentence_hash
from newsfigures.extract.metadata import DocumentMetadata
from newsfigures.sources.records import FileReject, RawDocument, SidecarFile, Skipped
from newsfigures.validate.contracts import Contract

# Metadata the figures stage reads, not a value of the document.
_LAYOUT = {"content_lines", "chrome_lines"}
# Values of a document beyond its metadata and its file.
_DOCUMENT = ("doc_id", "source_file", "source_files", "encoding", "n_chars", "n_figures")
_DOCUMENT += ("retired_at", "date_suspect", "run_id", "reader", "source_record", "url")
_FIGURE = ("figure_id", "doc_id", "published_date", "run_id", "sentence_hash")
_FILE = ("source_file", "doc_id", "size_bytes", "mtime_ns", "status", "check_name", "reason")
_FILE += ("run_id",)

# Every column each table can be given.
ENGINE_COLUMNS: dict[str, set[str]] = {
    "documents": {f.name for f in fields(DocumentMetadata)} - _LAYOUT | set(_DOCUMENT),
    "figures": {f.name for f in fields(Figure)} | set(_FIGURE),
    "files": set(_FILE),
}


def missing_columns(contract: Contract) -> list[str]:
    """Columns a contract declares that the engine has no value for."""
    known = ENGINE_COLUMNS.get(contract.table)
    return [] if known is None else [c for c in contract.column_names if c not in known]


def row(contract: Contract, values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in contract.column_names}


def document_values(extracted: ExtractedDocument, run_id: str) -> dict[str, Any]:
    raw, meta = extracted.raw, extracted.metadata
    values = {f.name: getattr(meta, f.name) for f in fields(meta) if f.name not in _LAYOUT}
    values.update(
        doc_id=raw.doc_id,
        source_file=raw.source_file,
        source_files=[raw.source_file],
        encoding=raw.encoding,
        n_chars=len(raw.text),
        n_figures=len(extracted.figures),
        retired_at=None,
        date_suspect=extracted.date_suspect,
        run_id=run_id,
        reader=raw.reader,
        source_record=raw.source_record,
        url=raw.given.url if raw.given else None,
    )
    return values


def figure_values(
    doc_id: str, figure: Figure, published: date | None, run_id: str
) -> dict[str, Any]:
    values = {f.name: getattr(figure, f.name) for f in fields(figure)}
    values.update(
        figure_id=figure_id(doc_id, figure.char_start, figure.char_end),
        doc_id=doc_id,
        sentence_hash=sentence_hash(figure.sentence),
        published_date=published,
        run_id=run_id,
    )
    return values


def file_values(
    record: RawDocument | FileReject | Skipped | SidecarFile, run_id: str
) -> dict[str, Any]:
    """The manifest row of a file read (or listed): loaded, rejected, skipped or sidecar.
    Whether a loaded file is the document's file or a duplicate is decided at the commit."""
    status = {
        RawDocument: "loaded",
        FileReject: "rejected",
        Skipped: "skipped",
        SidecarFile: "sidecar",
    }[type(record)]
    return {
        "source_file": record.source_file,
        "doc_id": getattr(record, "doc_id", None),
        "size_bytes": record.n_bytes,
        "mtime_ns": record.mtime_ns,
        "status": status,
        "check_name": getattr(record, "check_name", None),
        "reason": getattr(record, "reason", None),
        "run_id": run_id,
    }
