"""Run-level checks: the ones that need every document of a run and the committed state,
computed by DuckDB as set operations (see `load.session.run_session`).

- Duplicates: the same bytes in several files are one document; among its files the first
  by name is its file, the others are recorded as duplicates (a warning).
- Syndicated copies: a document sharing sentences with one dated long before it gets a
  `date_suspect` reason, re-checked by the documents contract like any other value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow

from newsfigures.config import Project
from newsfigures.config.settings import SuspectDates
from newsfigures.load.staging import staged_writer, write_part
from newsfigures.validate.apply import reject_id, reject_rows, validate_rows, violations
from newsfigures.validate.contracts import Contract


def syndicated_query(settings: SuspectDates, documents: str) -> str:
    """SQL giving (doc_id, reason) for each target document sharing sentences with one dated
    long before it, over two relations the caller provides:

    - `documents` (doc_id, source_file, published_date, target), named by the caller: the
      documents that may be compared (a reason is given only to `target` ones);
    - `syndication_sentences(doc_id, sentence_hash)`: their long sentences (documents may
      have sentences and no row in `documents`: they count towards how many
      documents share a sentence, and are never a match).

    Two documents match when they share at least `min_shared_sentences` sentences, each found
    in at most `max_docs_per_shared_sentence` documents (a sentence in every document is
    boilerplate), and their dates are more than `max_days_apart` days apart; the later one
    gets the reason, naming the earlier. A document matching several earlier ones is given
    the first pair's reason, pairs ordered by their (smaller, larger) doc_id."""
    max_apart = settings.max_days_apart
    min_shared = settings.min_shared_sentences
    max_docs = settings.max_docs_per_shared_sentence
    return f"""
        WITH sentences AS (
            SELECT DISTINCT doc_id, sentence_hash FROM syndication_sentences
        ),
        common AS (
            SELECT sentence_hash FROM sentences
            GROUP BY sentence_hash HAVING count(*) BETWEEN 2 AND {max_docs}
        ),
        candidates AS (
            SELECT * FROM sentences WHERE sentence_hash IN (SELECT sentence_hash FROM common)
        ),
        shared AS (
            SELECT x.doc_id AS a, y.doc_id AS b, count(*) AS n
            FROM candidates x JOIN candidates y
                ON x.sentence_hash = y.sentence_hash AND x.doc_id < y.doc_id
            GROUP BY ALL
            HAVING count(*) >= {min_shared}
        ),
        pairs AS (
            SELECT
                s.a, s.b, s.n,
                -- the later of the two; the first of the pair when both have the same date
                CASE WHEN da.published_date <= db.published_date THEN db ELSE da END AS later,
                CASE WHEN da.published_date <= db.published_date THEN da ELSE db END AS earlier
            FROM shared s
            JOIN {documents} da ON da.doc_id = s.a
            JOIN {documents} db ON db.doc_id = s.b
            WHERE da.published_date IS NOT NULL AND db.published_date IS NOT NULL
        )
        SELECT
            later.doc_id AS doc_id,
            'shares ' || n || ' sentences with ' || earlier.source_file || ', dated '
                || CAST(earlier.published_date AS VARCHAR) || ' ('
                || (later.published_date - earlier.published_date) || ' days earlier)'
                AS reason
        FROM pairs
        WHERE later.target AND later.published_date - earlier.published_date > {max_apart}
        QUALIFY row_number() OVER (PARTITION BY later.doc_id ORDER BY a, b) = 1
    """


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
    sentence_hash); see `syndicated_query`."""
    # The documents are read three times (each of a pair, then the flagged one): computed
    # once, not three times.
    con.execute("CREATE OR REPLACE TEMP TABLE compared_documents AS FROM syndication_documents")
    reasons = syndicated_query(project.bounds.suspect_dates, "compared_documents")
    flagged_rows = con.sql(
        f"""
        SELECT
            d.doc_id, d.source_file, d.published_date,
            CASE WHEN coalesce(d.date_suspect, '') = '' THEN r.reason
                 ELSE d.date_suspect || '; ' || r.reason END AS date_suspect,
            coalesce(d.date_suspect, '') = '' AS newly
        FROM compared_documents d JOIN ({reasons}) r USING (doc_id)
        WHERE d.target
        ORDER BY d.position
        """
    )
    contract = project.contracts["documents"]
    # The flag is a value like any other: the checks that read it decide what it means.
    reading = {c.name for c in contract.checks if "date_suspect" in c.columns()}
    for chunk in flagged_rows.to_arrow_reader(FLAG_CHUNK):
        flagged = chunk.to_pylist()
        if not flagged:
            continue
        newly = sum(1 for row in flagged if row.pop("newly"))
        frame = contract.frame(flagged)
        found = violations(contract, frame, only=reading) if reading else []
        sources = {row["doc_id"]: row["source_file"] for row in flagged}
        patch = pyarrow.Table.from_pylist(
            [{"doc_id": r["doc_id"], "date_suspect": r["date_suspect"]} for r in flagged],
            schema=PATCH_SCHEMA,
        )
        yield Flagged(patch, reject_rows(contract, frame, found, run_id, sources), newly)


DUPLICATE_CHECK = "duplicate_content"
CANONICAL_SCHEMA = pyarrow.schema(
    [
        ("doc_id", pyarrow.string()),
        ("source_file", pyarrow.string()),
        ("source_files", pyarrow.list_(pyarrow.string())),
    ]
)


def resolve_duplicates(
    con: duckdb.DuckDBPyConnection, run_id: str
) -> tuple[pyarrow.Table, list[dict[str, Any]]]:
    """For each document whose files the run read or lost: its file and all its files
    (`canonical`), and a warning for each of its files that is a duplicate. A document no
    file holds any more has no row: the commit retires or removes it."""
    canonical = con.sql("SELECT doc_id, source_file, source_files FROM canonical ORDER BY 1")
    duplicates = con.execute(
        """
        SELECT m.source_file, m.doc_id, c.source_file AS first
        FROM run_manifest m JOIN canonical c USING (doc_id)
        WHERE m.source_file <> c.source_file
        ORDER BY m.source_file
        """
    ).fetchall()
    rejects = [
        {
            "reject_id": reject_id("files", source, DUPLICATE_CHECK),
            "run_id": run_id,
            "table_name": "files",
            "source_file": source,
            "doc_id": doc_id,
            "row_key": source,
            "check_name": DUPLICATE_CHECK,
            "severity": "warn",
            "reason": f"same text as {first}; loaded once",
            "column_name": None,
            "offending_value": None,
            "char_offset": None,
            "line": None,
        }
        for source, doc_id, first in duplicates
    ]
    return canonical.to_arrow_table().cast(CANONICAL_SCHEMA), rejects


@dataclass
class RunChecks:
    """What the run-level checks found: documents newly flagged, duplicates, and a sample of
    their rejects (all of them are staged)."""

    flagged: int
    duplicates: int
    sample_rejects: list[dict[str, Any]]


def stage_run_checks(
    con: duckdb.DuckDBPyConnection, staged: Path, project: Project, run_id: str, sample: int
) -> RunChecks:
    """Both run-level checks over a run session, staged beside the batches' parts: the
    documents' files (`canonical/`), the flags (`documents_patch/`) and their rejects."""
    contract = project.contracts["rejects"]
    canonical, duplicates = resolve_duplicates(con, run_id)
    write_part(staged / "canonical" / "part-run.parquet", canonical)
    checks = RunChecks(0, len(duplicates), duplicates[:sample])
    with (
        staged_writer(staged / "documents_patch" / "part-run.parquet", PATCH_SCHEMA) as patch,
        # Named to sort after the batches' parts: it replaces their row for the same
        # document and check.
        staged_writer(staged / "rejects" / "part-zz-run.parquet", contract.arrow_schema()) as out,
    ):
        out.write_table(_checked_rejects(contract, duplicates, run_id))
        for chunk in flag_syndicated(con, project, run_id):
            patch.write_table(chunk.patch)
            out.write_table(_checked_rejects(contract, chunk.rejects, run_id))
            checks.flagged += chunk.newly
            room = sample - len(checks.sample_rejects)
            checks.sample_rejects += chunk.rejects[:room]
    return checks


def _checked_rejects(contract: Contract, rows: list[dict[str, Any]], run_id: str) -> pyarrow.Table:
    return (
        validate_rows(contract, contract.frame(rows), run_id)
        .frame.to_arrow()
        .cast(contract.arrow_schema())
    )
