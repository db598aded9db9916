"""One batch of files through ingest -> metadata -> figures -> validate.

This is the unit of work a Prefect task runs (documents travel in batches: a task per
document would cost more than the extraction). `newsfigures check` runs the same function
without Prefect, so the CI gate and the scheduled runs apply identical rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow

from newsfigures.config import Project
from newsfigures.contracts import Contract, load_contracts
from newsfigures.extract import Extractor
from newsfigures.figures import figure_id
from newsfigures.ingest import FileReject, RawDocument, read_article
from newsfigures.metadata import metadata_row
from newsfigures.validate import apply_contracts, reject_id


@dataclass
class BatchResult:
    """Arrow tables ready to stage, and what the batch saw."""

    documents: pyarrow.Table
    figures: pyarrow.Table
    rejects: pyarrow.Table
    files_seen: int
    files_rejected: int
    # doc_id -> decoded text, kept so a later merge can still locate rejects.
    texts: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def errors(self) -> int:
        return _count(self.rejects, "error")

    @property
    def warnings(self) -> int:
        return _count(self.rejects, "warn")

    @property
    def rows_rejected(self) -> int:
        """Distinct rows (or files) kept out of the warehouse."""
        rows = zip(
            self.rejects.column("table_name").to_pylist(),
            self.rejects.column("row_key").to_pylist(),
            self.rejects.column("severity").to_pylist(),
            strict=True,
        )
        return len({(table, key) for table, key, severity in rows if severity == "error"})


def _count(rejects: pyarrow.Table, severity: str) -> int:
    return sum(1 for s in rejects.column("severity").to_pylist() if s == severity)


def file_reject_row(reject: FileReject, run_id: str) -> dict[str, Any]:
    return {
        "reject_id": reject_id("files", reject.source_file, reject.check_name),
        "run_id": run_id,
        "table_name": "files",
        "source_file": reject.source_file,
        "doc_id": None,
        "row_key": reject.source_file,
        "check_name": reject.check_name,
        "severity": "error",
        "reason": reject.reason,
        "column_name": None,
        "offending_value": None,
        "char_offset": None,
        "line": None,
    }


def _arrow(rows: list[dict[str, Any]], contract: Contract) -> pyarrow.Table:
    return pyarrow.Table.from_pylist(rows, schema=contract.arrow_schema())


def _frame(rows: list[dict[str, Any]], contract: Contract) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=contract.polars_schema(), orient="row" if not rows else None)


def process_batch(
    paths: Sequence[Path],
    seeds_dir: Path,
    project: Project,
    run_id: str,
    extractor: Extractor | None = None,
) -> BatchResult:
    """Read, extract and validate `paths`; every file ends up loaded or rejected."""
    extractor = extractor or Extractor(project)
    contracts = load_contracts(project)
    ingest_settings = project.settings.get("ingest", {})
    documents: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    sources: dict[str, str] = {}
    files_rejected = 0

    for path in paths:
        raw = read_article(path, seeds_dir, ingest_settings)
        if isinstance(raw, FileReject):
            rejects.append(file_reject_row(raw, run_id))
            files_rejected += 1
            continue
        if raw.doc_id in texts:
            rejects.append(_duplicate_row(raw, sources[raw.doc_id], run_id))
            continue
        extracted = extractor.extract(raw)
        texts[raw.doc_id] = raw.text
        sources[raw.doc_id] = raw.source_file
        documents.append(_document_row(raw, extracted.metadata, len(extracted.figures), run_id))
        for figure in extracted.figures:
            figures.append(
                _figure_row(raw.doc_id, figure, extracted.metadata.published_date, run_id)
            )

    validated = apply_contracts(
        contracts,
        _frame(documents, contracts["documents"]),
        _frame(figures, contracts["figures"]),
        texts,
        sources,
        run_id,
    )
    return BatchResult(
        documents=validated.documents.to_arrow().cast(contracts["documents"].arrow_schema()),
        figures=validated.figures.to_arrow().cast(contracts["figures"].arrow_schema()),
        rejects=_arrow(rejects + validated.rejects, contracts["rejects"]),
        files_seen=len(paths),
        files_rejected=files_rejected,
        texts=texts,
    )


def _duplicate_row(raw: RawDocument, first_source: str, run_id: str) -> dict[str, Any]:
    row = file_reject_row(
        FileReject(
            raw.source_file, "duplicate_content", f"same text as {first_source}; loaded once"
        ),
        run_id,
    )
    row.update(doc_id=raw.doc_id, severity="warn")
    return row


def _document_row(raw: RawDocument, meta, n_figures: int, run_id: str) -> dict[str, Any]:
    return {
        "doc_id": raw.doc_id,
        "source_file": raw.source_file,
        **metadata_row(meta),
        "encoding": raw.encoding,
        "n_chars": len(raw.text),
        "n_figures": n_figures,
        "run_id": run_id,
    }


def _figure_row(doc_id: str, figure, published, run_id: str) -> dict[str, Any]:
    return {
        "figure_id": figure_id(doc_id, figure.char_start, figure.char_end),
        "doc_id": doc_id,
        "char_start": figure.char_start,
        "char_end": figure.char_end,
        "span": figure.span,
        "value_low": figure.value_low,
        "value_high": figure.value_high,
        "qualifier": figure.qualifier,
        "entity": figure.entity,
        "entity_implied": figure.entity_implied,
        "category": figure.category,
        "event": figure.event,
        "event_date": figure.event_date,
        "event_date_precision": figure.event_date_precision,
        "sentence": figure.sentence,
        "attribution": figure.attribution,
        "place": figure.place,
        "affiliation": figure.affiliation,
        "published_date": published,
        "run_id": run_id,
    }


def merge_batches(results: Iterable[BatchResult], project: Project, run_id: str) -> BatchResult:
    """Combine batch results; the same text found in two batches is loaded once."""
    results = list(results)
    contracts = load_contracts(project)
    if not results:
        empty = {name: _arrow([], contracts[name]) for name in ("documents", "figures", "rejects")}
        return BatchResult(**empty, files_seen=0, files_rejected=0)
    documents = pyarrow.concat_tables([r.documents for r in results])
    figures = pyarrow.concat_tables([r.figures for r in results])
    rejects = pyarrow.concat_tables([r.rejects for r in results])
    texts: dict[str, str] = {}
    for r in results:
        texts.update(r.texts)

    doc_ids = documents.column("doc_id").to_pylist()
    first_seen: dict[str, str] = {}
    keep, duplicates = [], []
    for doc_id, source in zip(doc_ids, documents.column("source_file").to_pylist(), strict=True):
        if doc_id in first_seen:
            keep.append(False)
            duplicates.append(
                _duplicate_row(RawDocument(source, doc_id, "", "", 0), first_seen[doc_id], run_id)
            )
        else:
            first_seen[doc_id] = source
            keep.append(True)
    if duplicates:
        documents = documents.filter(pyarrow.array(keep))
        # Identical text gives identical figure ids: keep each figure once.
        seen_figures: set[str] = set()
        keep_figures = []
        for fid in figures.column("figure_id").to_pylist():
            keep_figures.append(fid not in seen_figures)
            seen_figures.add(fid)
        figures = figures.filter(pyarrow.array(keep_figures))
        rejects = pyarrow.concat_tables([rejects, _arrow(duplicates, contracts["rejects"])])
    return BatchResult(
        documents=documents,
        figures=figures,
        rejects=rejects,
        files_seen=sum(r.files_seen for r in results),
        files_rejected=sum(r.files_rejected for r in results),
        texts=texts,
    )
