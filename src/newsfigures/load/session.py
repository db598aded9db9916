"""The run session: an in-memory DuckDB over the parts staged so far and the committed state,
where the run-level checks and the partner search are set operations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsfigures.config.settings import Warehouse
from newsfigures.load.staging import parquet_list
from newsfigures.load.state import resources, sql_string, temp_list

# The files table as the run leaves it, and what follows for the documents it touches.
_MANIFEST = """
    CREATE TEMP VIEW staged_manifest AS
    SELECT source_file, doc_id, status FROM staged_files
    QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY filename DESC) = 1;
    CREATE TEMP VIEW run_manifest AS
    SELECT source_file, doc_id, status FROM state_files
    WHERE source_file NOT IN (SELECT source_file FROM staged_manifest)
      AND source_file NOT IN (SELECT source_file FROM deleted_files)
    UNION ALL
    SELECT source_file, doc_id, status FROM staged_manifest;
    CREATE TEMP VIEW old_docs AS
    SELECT DISTINCT doc_id FROM state_files
    WHERE doc_id IS NOT NULL AND source_file IN (
        SELECT source_file FROM staged_manifest UNION ALL SELECT source_file FROM deleted_files);
    CREATE TEMP VIEW affected_docs AS
    SELECT doc_id FROM old_docs
    UNION SELECT doc_id FROM staged_manifest WHERE doc_id IS NOT NULL;
    CREATE TEMP VIEW canonical AS
    SELECT doc_id, min(source_file) AS source_file,
           list(source_file ORDER BY source_file) AS source_files
    FROM run_manifest
    WHERE doc_id IN (SELECT doc_id FROM affected_docs)
    GROUP BY doc_id;
"""

STATE_TABLES = {
    "documents": "doc_id VARCHAR, source_file VARCHAR, published_date DATE, retired_at TIMESTAMP",
    "document_sentences": "doc_id VARCHAR, sentence_hash BIGINT",
    "files": "source_file VARCHAR, doc_id VARCHAR, status VARCHAR",
}


STAGED_COLUMNS = {
    "documents": "doc_id VARCHAR, source_file VARCHAR, published_date DATE, date_suspect VARCHAR",
    "document_sentences": "doc_id VARCHAR, sentence_hash BIGINT",
    "files": "source_file VARCHAR, doc_id VARCHAR, status VARCHAR",
}


# The run's documents and sentences, its partners in the warehouse, and what the
# syndicated-copy query compares.
_RUN_VIEWS = """
    CREATE TEMP VIEW run_documents AS
    SELECT doc_id, coalesce(c.source_file, s.source_file) AS source_file,
           published_date, date_suspect,
           row_number() OVER (ORDER BY filename, file_row_number) AS position
    FROM staged_documents s LEFT JOIN canonical c USING (doc_id)
    QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY filename, file_row_number) = 1;
    CREATE TEMP VIEW run_sentences AS
    SELECT doc_id, sentence_hash FROM staged_document_sentences;
    CREATE TEMP VIEW run_doc_ids AS
    SELECT DISTINCT doc_id FROM staged_files WHERE doc_id IS NOT NULL;
    CREATE TEMP VIEW partner_documents AS
    SELECT doc_id, coalesce(c.source_file, d.source_file) AS source_file, published_date
    FROM state_documents d LEFT JOIN canonical c USING (doc_id)
    WHERE retired_at IS NULL
      AND doc_id IN (SELECT doc_id FROM state_document_sentences
                     WHERE sentence_hash IN (SELECT sentence_hash FROM run_sentences))
      AND doc_id NOT IN (SELECT doc_id FROM run_doc_ids)
      -- still held by a file once the run is committed
      AND doc_id IN (SELECT doc_id FROM run_manifest WHERE doc_id IS NOT NULL);
    CREATE TEMP VIEW syndication_documents AS
    SELECT doc_id, source_file, published_date, date_suspect, true AS target, position
    FROM run_documents
    UNION ALL
    SELECT doc_id, source_file, published_date, NULL, false, NULL FROM partner_documents;
    CREATE TEMP VIEW syndication_sentences AS
    SELECT doc_id, sentence_hash FROM run_sentences
    UNION ALL
    SELECT doc_id, sentence_hash FROM state_document_sentences
    WHERE doc_id IN (SELECT doc_id FROM partner_documents)
      AND sentence_hash IN (SELECT sentence_hash FROM run_sentences);
"""


@contextmanager
def run_session(
    state: Path, staged: Path, settings: Warehouse, deleted_files: Iterable[str]
) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB session over the parts staged so far and the committed state
    (attached read-only), where the run-level checks are set operations:

    - `run_manifest`: the files table as the run will leave it (the staged rows of the
      files it read, the committed rows of the others, less the `deleted_files`);
      `affected_docs`: the documents whose files the run read or lost (their new content,
      and the old content of files read again or gone: `old_docs`); `canonical`: each
      affected document still held by a file, with its files (the first by name is its
      file, the others are duplicates);
    - `run_documents`: the run's documents (the first staged row of each), with their
      `position` in staging order; `run_sentences`: their sentence hashes; `run_doc_ids`:
      every document the run read (also those its contracts kept out);
    - `partner_documents`: the warehouse's documents, not retired, sharing a sentence with
      the run, not restated by it and still held by a file once it is committed;
    - `syndication_documents` / `syndication_sentences`: what `run.checks.syndicated_query`
      compares: the run's documents (targets) and their partners, and their sentences (the
      partners' only those shared with the run: no other counts for a run document).

    The parts are listed when the session opens."""
    con = duckdb.connect(config=resources(settings, state))
    try:
        _committed_and_staged(con, state, staged)
        temp_list(con, "deleted_files", "source_file", deleted_files)
        con.execute(_MANIFEST)
        con.execute(_RUN_VIEWS)
        yield con
    finally:
        con.close()


def _committed_and_staged(con: duckdb.DuckDBPyConnection, state: Path, staged: Path) -> None:
    """`state_<table>`: the committed state (empty before the first run); `staged_<table>`:
    the parts staged so far, with their file and row number (their staging order)."""
    tables = set()
    if state.exists():
        con.execute(f"ATTACH {sql_string(str(state))} AS state (READ_ONLY)")
        tables = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'state'"
            ).fetchall()
        }
    committed = {"files", "documents", "document_sentences"} <= tables
    for name, columns in STATE_TABLES.items():
        source = f"SELECT {_names(columns)} FROM state.{name}" if committed else _empty(columns)
        con.execute(f"CREATE TEMP VIEW state_{name} AS {source}")
    for name, columns in STAGED_COLUMNS.items():
        parts = sorted((staged / name).glob("part-*.parquet"))
        source = (
            f"SELECT {_names(columns)}, filename, file_row_number FROM read_parquet("
            f"{parquet_list(parts)}, filename = true, file_row_number = true)"
            if parts
            else f"SELECT *, NULL::VARCHAR AS filename, NULL::BIGINT AS file_row_number "
            f"FROM ({_empty(columns)})"
        )
        con.execute(f"CREATE TEMP VIEW staged_{name} AS {source}")


def partner_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The files (in the manifest) holding the partner documents of a `run_session`: read
    again, so their syndicated-copy flags stay what a run from scratch would give."""
    rows = con.execute(
        "SELECT source_file FROM state_files "
        "WHERE doc_id IN (SELECT doc_id FROM partner_documents) ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def _names(columns: str) -> str:
    return ", ".join(c.split()[0] for c in columns.split(", "))


def _empty(columns: str) -> str:
    casts = ", ".join(f"NULL::{c.split()[1]} AS {c.split()[0]}" for c in columns.split(", "))
    return f"SELECT {casts} WHERE false"
