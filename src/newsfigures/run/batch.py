"""One batch of files through read -> metadata -> figures -> validate -> stage.

This is the unit of work a Prefect task runs (documents travel in batches: a task per
document would cost more than the extraction). Every file of the batch ends up in the
staged manifest (loaded, rejected, skipped or sidecar), every row through its table's contract.
A document's text is kept once, for the `document_texts` row the batch stages (the figures'
offsets index it): what a batch holds grows with its rows and its articles' text.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

import pyarrow

from newsfigures.config import Project
from newsfigures.extract import Extractor
from newsfigures.load.staging import write_part
from newsfigures.run import rows
from newsfigures.run.summary import peak_rss_mib
from newsfigures.sources.read import read_records
from newsfigures.sources.read_ahead import reading_ahead
from newsfigures.sources.records import FileReject, RawDocument, SidecarFile, Skipped
from newsfigures.sources.sidecar import sidecar_of
from newsfigures.validate.apply import reject_id, span_slices, validate_articles, validate_rows

# How many reject rows a batch hands back for reports (all of them are staged).
SAMPLE_REJECTS = 200


@dataclass
class BatchResult:
    """Arrow tables ready to stage (one per table the batch writes), and what it saw."""

    tables: dict[str, pyarrow.Table]
    files_seen: int
    files_rejected: int
    files_ignored: int
    # Files with at least one manifest row (a file of several records has one per record).
    files_staged: int

    def rejects(self) -> list[dict[str, Any]]:
        return self.tables["rejects"].to_pylist()


class _Lines:
    """Each document's line breaks, kept once its text is dropped, to give a reject's line."""

    def __init__(self) -> None:
        self._breaks: dict[str, array] = {}

    def add(self, doc_id: str, text: str) -> None:
        breaks = array("q")
        position = text.find("\n")
        while position >= 0:
            breaks.append(position)
            position = text.find("\n", position + 1)
        self._breaks[doc_id] = breaks

    def line_of(self, doc_id: str | None, offset: int) -> int | None:
        breaks = self._breaks.get(doc_id or "")
        return None if breaks is None else bisect_right(breaks, offset - 1) + 1


@dataclass
class _Rows:
    documents: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    slices: list[str]
    files: list[dict[str, Any]]
    sentences: list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    sources: dict[str, str]
    # Each document's text, kept in document_texts: the figures' offsets index it.
    texts: dict[str, str] = field(default_factory=dict)
    files_staged: int = 0


def process_batch(
    names: Sequence[str],
    seeds_dir: Path,
    project: Project,
    run_id: str,
    seconds: dict[str, float] | None = None,
    memory: dict[str, float] | None = None,
) -> BatchResult:
    """Read, extract and validate the files `names` (relative to `seeds_dir`); every file
    ends up loaded, rejected or skipped.
    With `seconds`, the time each stage took is added to it (ingest, metadata, figures,
    validate); with `memory`, the process's peak RSS as they end."""
    clock = seconds if seconds is not None else {}
    lines = _Lines()
    found = _read_and_extract(names, seeds_dir, project, run_id, clock, lines)
    if memory is not None:
        memory.update(dict.fromkeys(("ingest", "metadata", "figures"), peak_rss_mib()))
    started = time.perf_counter()
    tables = _validate(project, found, run_id, lines)
    clock["validate"] = clock.get("validate", 0.0) + time.perf_counter() - started
    if memory is not None:
        memory["validate"] = peak_rss_mib()
    statuses = [f["status"] for f in found.files]
    rejected, ignored = statuses.count("rejected"), statuses.count("skipped")
    return BatchResult(tables, len(names), rejected, ignored, found.files_staged)


def _read_and_extract(
    names: Sequence[str],
    seeds_dir: Path,
    project: Project,
    run_id: str,
    clock: dict[str, float],
    lines: _Lines,
) -> _Rows:
    contracts, extractor = project.contracts, Extractor.of(project)
    ingest = project.settings.ingest
    found = _Rows([], [], [], [], [], [], {})
    paths = [seeds_dir / name for name in names]
    groups = [(path, sidecar_of(path, ingest)) for path in paths]
    with reading_ahead(groups, project.settings.batch.read_ahead) as ahead:
        tick = time.perf_counter()
        for path in paths:
            records = read_records(path, seeds_dir, ingest)
            ahead.advance()
            found.files_staged += 1
            now = time.perf_counter()
            clock["ingest"] = clock.get("ingest", 0.0) + now - tick
            for record in records:
                found.files.append(rows.row(contracts["files"], rows.file_values(record, run_id)))
                if isinstance(record, FileReject):
                    found.rejects.append(file_reject(record, run_id))
                if isinstance(record, FileReject | Skipped | SidecarFile):
                    continue
                if record.doc_id in found.sources:
                    continue  # the same text in two files of the batch is extracted once
                _extract(record, extractor, project, run_id, clock, found)
                lines.add(record.doc_id, record.text)
            tick = time.perf_counter()
    return found


def _extract(
    raw: RawDocument,
    extractor: Extractor,
    project: Project,
    run_id: str,
    clock: dict[str, float],
    found: _Rows,
) -> None:
    contracts = project.contracts
    extracted = extractor.extract(raw, clock)
    found.sources[raw.doc_id] = raw.source_file
    found.texts[raw.doc_id] = raw.text
    found.documents.append(
        rows.row(contracts["documents"], rows.document_values(extracted, run_id))
    )
    published = extracted.metadata.published_date
    figures = [
        rows.row(contracts["figures"], rows.figure_values(raw.doc_id, f, published, run_id))
        for f in extracted.figures
    ]
    found.figures += figures
    found.slices += span_slices(contracts["figures"], figures, raw.text) or []
    found.sentences += [
        {"sentence_key": f"{raw.doc_id}:{h}", "doc_id": raw.doc_id, "sentence_hash": h}
        | {"run_id": run_id}
        for h in extracted.fingerprints
    ]


def _validate(project: Project, found: _Rows, run_id: str, lines: _Lines) -> dict:
    """Every table's rows through its contract; the data tables' failing rows become
    rejects, and those of the engine's own tables stop the run."""
    contracts = project.contracts
    documents, figures = validate_articles(
        contracts,
        contracts["documents"].frame(found.documents),
        contracts["figures"].frame(found.figures),
        run_id,
        found.sources,
        lines.line_of,
        found.slices,
    )
    tables = {"documents": documents.frame.to_arrow(), "figures": figures.frame.to_arrow()}
    rejects = found.rejects + documents.rejects + figures.rejects
    # The text of every document the contracts let in.
    kept = set(documents.frame.get_column("doc_id").to_list())
    texts = [
        {"doc_id": doc_id, "text": text, "run_id": run_id}
        for doc_id, text in found.texts.items()
        if doc_id in kept
    ]
    engine_rows = (
        ("files", found.files),
        ("document_sentences", found.sentences),
        ("document_texts", texts),
    )
    for name, table_rows in engine_rows:
        checked = validate_rows(contracts[name], contracts[name].frame(table_rows), run_id)
        tables[name] = checked.frame.to_arrow()
        rejects += checked.rejects
    tables["rejects"] = validate_rows(
        contracts["rejects"], contracts["rejects"].frame(rejects), run_id
    ).frame.to_arrow()
    return {name: table.cast(contracts[name].arrow_schema()) for name, table in tables.items()}


def file_reject(reject: FileReject, run_id: str) -> dict[str, Any]:
    """The quarantine row of a file that could not be read as an article."""
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
        "line": reject.line,
    }


# -- staging: a batch stages its own rows and hands on only what the run needs ---------------


@dataclass
class BatchSummary:
    """What the run needs from a batch once its rows are staged: counts, a sample of its
    rejects and timings. Everything else (rows, sentence hashes) is in the staged Parquet,
    so what the run holds in memory grows with the number of batches, not of documents."""

    files_seen: int
    files_rejected: int
    # Files that are not an article format: listed in the manifest, not read.
    files_ignored: int
    files_staged: int
    documents: int
    figures: int
    errors: int
    warnings: int
    rows_rejected: int
    bytes_read: int
    sample_rejects: list[dict[str, Any]]
    seconds: dict[str, float]
    # Peak RSS (MiB) of the process that ran the batch, read as each stage ended (ingest,
    # metadata and figures run interleaved, document by document, and share one reading).
    peak_rss_mib: dict[str, float]


def stage_batch(
    names: Sequence[str],
    seeds_dir: Path,
    project: Project,
    run_id: str,
    staging_dir: Path,
    part: int,
) -> BatchSummary:
    """Process one batch and write its rows to `staging_dir/<table>/part-<n>-<k>.parquet`,
    a part every `batch.part_size` files: what the batch holds in memory at once is one
    part's rows, however many files the batch has."""
    seconds: dict[str, float] = {}
    memory: dict[str, float] = {}
    size = project.settings.batch.part_size
    summaries = []
    for k, start in enumerate(range(0, len(names), size)):
        chunk = names[start : start + size]
        result = process_batch(chunk, seeds_dir, project, run_id, seconds, memory)
        started = time.perf_counter()
        for name, table in result.tables.items():
            write_part(staging_dir / name / f"part-{part:06d}-{k:04d}.parquet", table)
        seconds["stage"] = seconds.get("stage", 0.0) + time.perf_counter() - started
        memory["stage"] = peak_rss_mib()
        summaries.append(_part_summary(result))
    return BatchSummary(
        **{name: sum(getattr(s, name) for s in summaries) for name in _COUNTS},
        sample_rejects=sorted_by_severity([r for s in summaries for r in s.sample_rejects])[
            :SAMPLE_REJECTS
        ],
        seconds=seconds,
        peak_rss_mib=memory,
    )


# What a batch counts: summed over its parts (the resolved hints, not the annotations' text).
_COUNTS = tuple(name for name, hint in get_type_hints(BatchSummary).items() if hint is int)


def _part_summary(result: BatchResult) -> BatchSummary:
    rejects = sorted_by_severity(result.rejects())
    errors = [r for r in rejects if r["severity"] == "error"]
    return BatchSummary(
        files_seen=result.files_seen,
        files_rejected=result.files_rejected,
        files_ignored=result.files_ignored,
        files_staged=result.files_staged,
        documents=result.tables["documents"].num_rows,
        figures=result.tables["figures"].num_rows,
        errors=len(errors),
        warnings=len(rejects) - len(errors),
        rows_rejected=len({(r["table_name"], r["row_key"]) for r in errors}),
        bytes_read=sum(result.tables["files"].column("size_bytes").to_pylist()),
        sample_rejects=rejects[:SAMPLE_REJECTS],
        seconds={},
        peak_rss_mib={},
    )


def sorted_by_severity(rejects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rejects, key=lambda r: r["severity"] != "error")
