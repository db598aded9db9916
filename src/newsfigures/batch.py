"""One batch of files through ingest -> metadata -> figures -> validate.

This is the unit of work a Prefect task runs (documents travel in batches: a task per
document would cost more than the extraction). `newsfigures check` runs the same function
without Prefect, so the CI gate and the scheduled runs apply identical rules.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsfigures.config import Project
from newsfigures.contracts import Contract, load_contracts
from newsfigures.extract import ExtractedDocument, Extractor
from newsfigures.figures import figure_id
from newsfigures.ingest import FileReject, RawDocument, read_article
from newsfigures.metadata import metadata_row
from newsfigures.runs import peak_rss_mib
from newsfigures.syndication import sentence_table, syndicated_query
from newsfigures.validate import apply_contracts, reject_id, reject_rows, violations


@dataclass
class BatchResult:
    """Arrow tables ready to stage, and what the batch saw."""

    documents: pyarrow.Table
    figures: pyarrow.Table
    rejects: pyarrow.Table
    # The manifest rows of the files read (status loaded or rejected; duplicates are decided
    # when the run commits, against every file the warehouse knows).
    files: pyarrow.Table
    files_seen: int
    files_rejected: int
    # doc_id -> decoded text, kept so a later merge can still locate rejects.
    texts: dict[str, str] = field(default_factory=dict, repr=False)
    # doc_id -> long-sentence hashes, for the run-level syndicated-copy check.
    fingerprints: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def sentences(self, contract: Contract) -> pyarrow.Table:
        """`document_sentences` rows of the batch's documents."""
        rows = [
            {"sentence_key": f"{doc_id}:{h}", "doc_id": doc_id, "sentence_hash": h, "run_id": ""}
            for doc_id, hashes in self.fingerprints.items()
            for h in hashes
        ]
        return pyarrow.Table.from_pylist(rows, schema=contract.arrow_schema())

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
    seconds: dict[str, float] | None = None,
    memory: dict[str, float] | None = None,
) -> BatchResult:
    """Read, extract and validate `paths`; every file ends up loaded or rejected. With
    `seconds`, the time each stage took is added to it (ingest, metadata, figures, validate);
    with `memory`, the process's peak RSS as they end."""
    extractor = extractor or Extractor.of(project)
    clock = seconds if seconds is not None else {}
    tick = time.perf_counter()
    contracts = load_contracts(project)
    ingest_settings = project.settings.get("ingest", {})
    documents: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    sources: dict[str, str] = {}
    fingerprints: dict[str, list[int]] = {}
    files: list[dict[str, Any]] = []
    files_rejected = 0

    for path in paths:
        raw = read_article(path, seeds_dir, ingest_settings)
        now = time.perf_counter()
        clock["ingest"] = clock.get("ingest", 0.0) + now - tick
        tick = now
        if isinstance(raw, FileReject):
            rejects.append(file_reject_row(raw, run_id))
            files.append(
                _file_row(raw.source_file, None, raw.n_bytes, raw.mtime_ns, raw.check_name, run_id)
            )
            files_rejected += 1
            continue
        files.append(
            _file_row(raw.source_file, raw.doc_id, raw.n_bytes, raw.mtime_ns, None, run_id)
        )
        if raw.doc_id in texts:
            rejects.append(_duplicate_row(raw, sources[raw.doc_id], run_id))
            continue
        extracted = extractor.extract(raw, clock)
        tick = time.perf_counter()
        texts[raw.doc_id] = raw.text
        sources[raw.doc_id] = raw.source_file
        fingerprints[raw.doc_id] = extracted.fingerprints
        documents.append(_document_row(extracted, run_id))
        for figure in extracted.figures:
            figures.append(
                _figure_row(raw.doc_id, figure, extracted.metadata.published_date, run_id)
            )

    if memory is not None:
        memory.update(dict.fromkeys(("ingest", "metadata", "figures"), peak_rss_mib()))
    tick = time.perf_counter()
    validated = apply_contracts(
        contracts,
        _frame(documents, contracts["documents"]),
        _frame(figures, contracts["figures"]),
        texts,
        sources,
        run_id,
    )
    clock["validate"] = clock.get("validate", 0.0) + time.perf_counter() - tick
    if memory is not None:
        memory["validate"] = peak_rss_mib()
    return BatchResult(
        documents=validated.documents.to_arrow().cast(contracts["documents"].arrow_schema()),
        figures=validated.figures.to_arrow().cast(contracts["figures"].arrow_schema()),
        rejects=_arrow(rejects + validated.rejects, contracts["rejects"]),
        files=_arrow(files, contracts["files"]),
        files_seen=len(paths),
        files_rejected=files_rejected,
        texts=texts,
        fingerprints=fingerprints,
    )


def _file_row(
    source: str, doc_id: str | None, size: int, mtime_ns: int, rejected: str | None, run_id: str
) -> dict[str, Any]:
    return {
        "source_file": source,
        "doc_id": doc_id,
        "size_bytes": size,
        "mtime_ns": mtime_ns,
        "status": "rejected" if rejected else "loaded",
        "check_name": rejected,
        "run_id": run_id,
    }


def _duplicate_row(raw: RawDocument, first_source: str, run_id: str) -> dict[str, Any]:
    row = file_reject_row(
        FileReject(
            raw.source_file, "duplicate_content", f"same text as {first_source}; loaded once"
        ),
        run_id,
    )
    row.update(doc_id=raw.doc_id, severity="warn")
    return row


def _document_row(extracted: ExtractedDocument, run_id: str) -> dict[str, Any]:
    raw = extracted.raw
    return {
        "doc_id": raw.doc_id,
        "source_file": raw.source_file,
        "source_files": [raw.source_file],
        **metadata_row(extracted.metadata),
        "encoding": raw.encoding,
        "n_chars": len(raw.text),
        "n_figures": len(extracted.figures),
        "retired_at": None,
        "date_suspect": extracted.date_suspect,
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
    """Combine batch results and apply the checks that need every document of the run: the
    same text found in two batches is loaded once, and syndicated copies are flagged against
    each other."""
    results = list(results)
    contracts = load_contracts(project)
    if not results:
        names = ("documents", "figures", "rejects", "files")
        empty = {name: _arrow([], contracts[name]) for name in names}
        return BatchResult(**empty, files_seen=0, files_rejected=0)
    documents = pyarrow.concat_tables([r.documents for r in results])
    figures = pyarrow.concat_tables([r.figures for r in results])
    rejects = pyarrow.concat_tables([r.rejects for r in results])
    files = pyarrow.concat_tables([r.files for r in results])
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
    fingerprints: dict[str, list[int]] = {}
    for r in results:
        fingerprints.update(r.fingerprints)
    documents, rejects = _flag_syndicated_dates(documents, rejects, fingerprints, project, run_id)
    return BatchResult(
        documents=documents,
        figures=figures,
        rejects=rejects,
        files=files,
        files_seen=sum(r.files_seen for r in results),
        files_rejected=sum(r.files_rejected for r in results),
        texts=texts,
        fingerprints=fingerprints,
    )


SUSPECT_DATE_CHECK = "published_date_suspect"
# Documents flagged by the run-level check are re-checked and staged this many at a time.
FLAG_CHUNK = 5000


@dataclass
class Flagged:
    """A chunk of documents the run-level check flags: their new `date_suspect` (doc_id,
    date_suspect rows), the reject rows that replace their earlier ones, and how many of
    them had no `date_suspect` before."""

    patch: pyarrow.Table
    rejects: list[dict[str, Any]]
    newly: int


PATCH_SCHEMA = pyarrow.schema([("doc_id", pyarrow.string()), ("date_suspect", pyarrow.string())])


def flag_syndicated(
    con: duckdb.DuckDBPyConnection, project: Project, run_id: str
) -> Iterator[Flagged]:
    """The run-level check: a document sharing sentences with one dated long before it gets
    a `date_suspect` reason, re-checked by the documents contract like any other value.

    Computed by DuckDB over the relations `syndication_documents` (doc_id, source_file,
    published_date, date_suspect, target, position: the run's documents are the targets, in
    `position` order, the warehouse's the others) and `syndication_sentences` (doc_id,
    sentence_hash); see `syndication.syndicated_query`."""
    reasons = syndicated_query(project.bounds.get("suspect_dates", {}))
    flagged_rows = con.sql(
        f"""
        SELECT
            d.doc_id, d.source_file, d.published_date,
            CASE WHEN coalesce(d.date_suspect, '') = '' THEN r.reason
                 ELSE d.date_suspect || '; ' || r.reason END AS date_suspect,
            coalesce(d.date_suspect, '') = '' AS newly
        FROM syndication_documents d JOIN ({reasons}) r USING (doc_id)
        WHERE d.target
        ORDER BY d.position
        """
    )
    contract = load_contracts(project)["documents"]
    for chunk in flagged_rows.to_arrow_reader(FLAG_CHUNK):
        flagged = chunk.to_pylist()
        if not flagged:
            continue
        newly = sum(1 for row in flagged if row.pop("newly"))
        frame = _frame(flagged, contract)
        found = violations(contract, frame, only={SUSPECT_DATE_CHECK})
        sources = {row["doc_id"]: row["source_file"] for row in flagged}
        patch = pyarrow.Table.from_pylist(
            [{"doc_id": r["doc_id"], "date_suspect": r["date_suspect"]} for r in flagged],
            schema=PATCH_SCHEMA,
        )
        yield Flagged(
            patch, reject_rows("documents", frame, contract, found, {}, sources, run_id), newly
        )


def _flag_syndicated_dates(
    documents: pyarrow.Table,
    rejects: pyarrow.Table,
    fingerprints: dict[str, list[int]],
    project: Project,
    run_id: str,
) -> tuple[pyarrow.Table, pyarrow.Table]:
    """`flag_syndicated` applied to in-memory tables (`newsfigures check`, tests)."""
    candidates = documents.select(["doc_id", "source_file", "published_date", "date_suspect"])
    candidates = candidates.append_column(
        "target", pyarrow.array([True] * documents.num_rows, pyarrow.bool_())
    ).append_column("position", pyarrow.array(range(documents.num_rows), pyarrow.int64()))
    con = duckdb.connect()
    try:
        con.register("syndication_documents", candidates)
        con.register("syndication_sentences", sentence_table(fingerprints))
        flagged = list(flag_syndicated(con, project, run_id))
    finally:
        con.close()
    if not flagged:
        return documents, rejects
    suspect: dict[str, str] = {}
    for chunk in flagged:
        patch = chunk.patch
        ids, reasons = patch["doc_id"].to_pylist(), patch["date_suspect"].to_pylist()
        suspect.update(zip(ids, reasons, strict=True))
    new = [row for chunk in flagged for row in chunk.rejects]
    rows = documents.to_pylist()
    for row in rows:
        row["date_suspect"] = suspect.get(row["doc_id"], row["date_suspect"])
    contracts = load_contracts(project)
    replaced = {row["reject_id"] for row in new}
    kept = rejects.filter(pc.invert(pc.is_in(rejects["reject_id"], pyarrow.array(list(replaced)))))
    return (
        _arrow(rows, contracts["documents"]),
        pyarrow.concat_tables([kept, _arrow(new, contracts["rejects"])]),
    )


# -- streaming: a batch stages its own rows and hands on only what the run needs -------------

# How many reject rows a batch hands back for reports (all of them are staged).
SAMPLE_REJECTS = 200


@dataclass
class BatchSummary:
    """What the run needs from a batch once its rows are staged: counts, a sample of its
    rejects and timings. Everything else (rows, sentence hashes) is in the staged Parquet,
    so what the run holds in memory grows with the number of batches, not of documents."""

    files_seen: int
    files_rejected: int
    documents: int
    figures: int
    errors: int
    warnings: int
    rows_rejected: int
    bytes_read: int
    checks: dict[tuple[str, str], int]
    sample_rejects: list[dict[str, Any]]
    seconds: dict[str, float]
    # Peak RSS (MiB) of the process that ran the batch, read as each stage ended (ingest,
    # metadata and figures run interleaved, document by document, and share one reading).
    peak_rss_mib: dict[str, float]


def stage_batch(
    paths: Sequence[Path],
    seeds_dir: Path,
    project: Project,
    run_id: str,
    staging_dir: Path,
    part: int,
) -> BatchSummary:
    """Process one batch and write its rows to `staging_dir/<table>/part-<n>.parquet`."""
    seconds: dict[str, float] = {}
    memory: dict[str, float] = {}
    result = process_batch(paths, seeds_dir, project, run_id, seconds=seconds, memory=memory)
    started = time.perf_counter()
    contracts = load_contracts(project)
    tables = {
        "documents": result.documents,
        "figures": result.figures,
        "rejects": result.rejects,
        "files": result.files,
        "document_sentences": result.sentences(contracts["document_sentences"]),
    }
    for name, table in tables.items():
        folder = staging_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".part-{part:06d}.partial"
        pq.write_table(table, partial, compression="zstd")
        os.replace(partial, folder / f"part-{part:06d}.parquet")
    seconds["stage"] = time.perf_counter() - started
    memory["stage"] = peak_rss_mib()
    rejects = sorted_by_severity(result.rejects.to_pylist())
    checks: dict[tuple[str, str], int] = {}
    for row in rejects:
        checks[(row["severity"], row["check_name"])] = (
            checks.get((row["severity"], row["check_name"]), 0) + 1
        )
    return BatchSummary(
        files_seen=result.files_seen,
        files_rejected=result.files_rejected,
        documents=result.documents.num_rows,
        figures=result.figures.num_rows,
        errors=result.errors,
        warnings=result.warnings,
        rows_rejected=result.rows_rejected,
        bytes_read=sum(result.files.column("size_bytes").to_pylist()),
        checks=checks,
        sample_rejects=rejects[:SAMPLE_REJECTS],
        seconds=seconds,
        peak_rss_mib=memory,
    )


def sorted_by_severity(rejects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rejects, key=lambda r: r["severity"] != "error")
