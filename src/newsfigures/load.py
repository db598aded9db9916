"""Load stage: stage a run's rows as Parquet, commit them to the state database in one
transaction, then publish what analysts read.

Two DuckDB files, because DuckDB allows one writing process and a reader (an analyst's open
session) must never block a scheduled run:

- the **state database** (`warehouse/.state/state.duckdb`): only the pipeline opens it, one
  run at a time (see `lock.py`). A run commits all its changes in one transaction, so a run
  killed at any moment leaves it exactly as the last completed run left it;
- the **published database** (`warehouse/newsfigures.duckdb`): after every commit a complete
  copy is written aside and renamed into place. Open sessions keep reading the copy they
  opened; new sessions see the new one. Nobody ever writes into it in place.

A commit restates only what the run read: the documents, figures, rejects and sentences of
the files it processed, the manifest rows of those files, and the consequences for
documents whose files changed or disappeared. Unchanged rows keep the run id that first
loaded them, so a re-run over an unchanged folder changes no data row.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow
import pyarrow.parquet as pq

from newsfigures.contracts import Contract
from newsfigures.faults import failpoint
from newsfigures.ingest import KnownFile

DATA_TABLES = ("documents", "figures", "rejects", "document_sentences")
PUBLISHED_SNAPSHOTS = ("documents", "figures", "rejects", "files", "runs")
DUPLICATE_CHECK = "duplicate_content"


@dataclass(frozen=True)
class LoadSummary:
    database: Path
    documents: int
    figures: int
    rejects: int
    views: list[str]
    errors: int = 0
    warnings: int = 0


@dataclass
class CommitScope:
    """What a run restates. The files it read, and the documents they hold, are those of its
    staged `files` rows; beyond them: the files that disappeared, and the documents whose
    files changed content (`replaced_docs`) or disappeared (`deleted_docs`)."""

    deleted_files: set[str] = field(default_factory=set)
    replaced_docs: set[str] = field(default_factory=set)
    deleted_docs: set[str] = field(default_factory=set)


@contextmanager
def staged_writer(path: Path, schema: pyarrow.Schema) -> Iterator[pq.ParquetWriter]:
    """A Parquet writer for `path`, written aside and renamed into place when the block
    ends without error, so a staged file is always complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".parquet.partial")
    writer = pq.ParquetWriter(partial, schema, compression="zstd")
    try:
        yield writer
    except BaseException:
        writer.close()
        partial.unlink(missing_ok=True)
        raise
    writer.close()
    os.replace(partial, path)


def discard_staging(staging_root: Path, keep: Iterable[str] = ()) -> None:
    """Remove staged runs: a run's own after its commit, and leftovers of killed runs (only
    ever called while holding the warehouse lock, so no live run is staging)."""
    if not staging_root.is_dir():
        return
    for child in staging_root.iterdir():
        if child.name not in set(keep):
            shutil.rmtree(child, ignore_errors=True)


def resources(settings: dict[str, Any], state: Path) -> dict[str, str]:
    """DuckDB's memory limit and spill folder for every connection the pipeline opens
    (`warehouse.memory_limit`, `warehouse.temp_directory`, the latter relative to the state
    database's folder), so a commit over a big folder spills to disk instead of growing."""
    config = {}
    if settings.get("memory_limit"):
        config["memory_limit"] = str(settings["memory_limit"])
    if settings.get("temp_directory"):
        config["temp_directory"] = str(state.parent / settings["temp_directory"])
    return config


def connect(
    database: Path, settings: dict[str, Any], read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file; new files are written in a format older DuckDB CLIs can open."""
    config = resources(settings, database)
    version = settings.get("storage_compatibility_version")
    if version and not read_only and not database.exists():
        config["storage_compatibility_version"] = version
    try:
        return duckdb.connect(str(database), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise RuntimeError(
                f"{database} is open for writing by another process (DuckDB allows one writer): "
                "only the pipeline may open the state database; analysts open the published copy"
            ) from exc
        raise


# -- reading the state -----------------------------------------------------------------------


def _read(
    state: Path, settings: dict[str, Any], sql: str, params: list | None = None
) -> list[tuple]:
    if not state.exists():
        return []
    con = connect(state, settings, read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if not {"files", "documents", "document_sentences"} <= tables:
            return []
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def read_manifest(state: Path, settings: dict[str, Any]) -> dict[str, KnownFile]:
    """The files table of the last committed run (empty before the first)."""
    rows = _read(
        state, settings, "SELECT source_file, doc_id, size_bytes, mtime_ns, status FROM files"
    )
    return {r[0]: KnownFile(r[1], r[2], r[3], r[4]) for r in rows}


def last_config_hash(state: Path, settings: dict[str, Any]) -> str | None:
    """The declarations fingerprint of the last committed run."""
    rows = _read(state, settings, "SELECT config_hash FROM runs ORDER BY started_at DESC LIMIT 1")
    return rows[0][0] if rows else None


# -- the run's staged rows beside the committed state ------------------------------------------

STATE_TABLES = {
    "documents": "doc_id VARCHAR, source_file VARCHAR, published_date DATE, retired_at TIMESTAMP",
    "document_sentences": "doc_id VARCHAR, sentence_hash BIGINT",
    "files": "source_file VARCHAR, doc_id VARCHAR",
}
STAGED_COLUMNS = {
    "documents": "doc_id VARCHAR, source_file VARCHAR, published_date DATE, date_suspect VARCHAR",
    "document_sentences": "doc_id VARCHAR, sentence_hash BIGINT",
    "files": "source_file VARCHAR, doc_id VARCHAR",
}


@contextmanager
def run_session(
    state: Path, staged: Path, settings: dict[str, Any], old_docs: Iterable[str]
) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB session over the parts staged so far and the committed state
    (attached read-only), where the run-level checks are set operations:

    - `run_documents`: the run's documents (the first staged row of each), with their
      `position` in staging order; `run_sentences`: their sentence hashes; `run_doc_ids`:
      every document the run read (also those its contracts kept out);
    - `partner_documents`: the warehouse's documents, not retired, sharing a sentence with
      the run and not restated by it (neither read now nor the old content of a file read
      or deleted now: `old_docs`);
    - `syndication_documents` / `syndication_sentences`: what `syndication.syndicated_query`
      compares: the run's documents (targets) and their partners, and their sentences (the
      partners' only those shared with the run: no other counts for a run document).

    The parts are listed when the session opens."""
    con = duckdb.connect(config=resources(settings, state))
    try:
        tables = set()
        if state.exists():
            con.execute(f"ATTACH {_quote(str(state))} AS state (READ_ONLY)")
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
                f"{_parquet_list(parts)}, filename = true, file_row_number = true)"
                if parts
                else f"SELECT *, NULL::VARCHAR AS filename, NULL::BIGINT AS file_row_number "
                f"FROM ({_empty(columns)})"
            )
            con.execute(f"CREATE TEMP VIEW staged_{name} AS {source}")
        _temp_list(con, "old_docs", "doc_id", (d for d in old_docs if d))
        con.execute(
            """
            CREATE TEMP VIEW run_documents AS
            SELECT doc_id, source_file, published_date, date_suspect,
                   row_number() OVER (ORDER BY filename, file_row_number) AS position
            FROM staged_documents
            QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY filename, file_row_number) = 1;
            CREATE TEMP VIEW run_sentences AS
            SELECT doc_id, sentence_hash FROM staged_document_sentences;
            CREATE TEMP VIEW run_doc_ids AS
            SELECT DISTINCT doc_id FROM staged_files WHERE doc_id IS NOT NULL;
            CREATE TEMP VIEW partner_documents AS
            SELECT doc_id, source_file, published_date FROM state_documents
            WHERE retired_at IS NULL
              AND doc_id IN (SELECT doc_id FROM state_document_sentences
                             WHERE sentence_hash IN (SELECT sentence_hash FROM run_sentences))
              AND doc_id NOT IN (SELECT doc_id FROM run_doc_ids)
              AND doc_id NOT IN (SELECT doc_id FROM old_docs);
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
        )
        yield con
    finally:
        con.close()


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


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# -- the commit --------------------------------------------------------------------------------


def _ensure_table(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Create the table, or add the columns its contract has gained (and drop the ones it
    lost): a warehouse built by an older version is migrated, not rebuilt."""
    existing = [
        row[0]
        for row in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position",
            [contract.table],
        ).fetchall()
    ]
    if not existing:
        con.execute(contract.ddl())
        return
    for column in contract.columns:
        if column.name not in existing:
            con.execute(f"ALTER TABLE {contract.table} ADD COLUMN {column.name} {column.type}")
    for name in existing:
        if name not in contract.column_names:
            con.execute(f"ALTER TABLE {contract.table} DROP COLUMN {name}")


def _sync(
    con: duckdb.DuckDBPyConnection, contract: Contract, staged: str, scope: str, run_id: str
) -> None:
    """Make `contract.table` equal to the staged rows within `scope` (a SQL condition on the
    table's alias t): rows that differ or are no longer produced go, new ones come, identical
    ones stay untouched with their original run id."""
    table, key = contract.table, contract.primary_key
    columns = contract.column_names
    same_row = " AND ".join(f"s.{c} IS NOT DISTINCT FROM t.{c}" for c in columns if c != "run_id")
    con.execute(
        f"DELETE FROM {table} t WHERE ({scope}) "
        f"AND NOT EXISTS (SELECT 1 FROM {staged} s WHERE {same_row})"
    )
    listed = ", ".join(columns)
    values = ", ".join("?" if c == "run_id" else f"s.{c}" for c in columns)
    con.execute(
        f"INSERT INTO {table} ({listed}) SELECT {values} FROM {staged} s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{key} = s.{key})",
        [run_id],
    )


def _temp_list(
    con: duckdb.DuckDBPyConnection, name: str, column: str, values: Iterable[str]
) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({column} VARCHAR)")
    values = sorted(set(values))
    if values:
        con.execute(f"INSERT INTO {name} SELECT unnest(?::VARCHAR[])", [values])


def view_definitions(views_dir: Path) -> dict[str, str]:
    """warehouse/views/<name>.sql -> its SELECT statement (the view is named after the file)."""
    return {
        path.stem: path.read_text(encoding="utf-8").strip().rstrip(";")
        for path in sorted(views_dir.glob("*.sql"))
    }


def commit(
    state: Path,
    staged: Path,
    scope: CommitScope,
    run_row: dict[str, Any],
    contracts: dict[str, Contract],
    settings: dict[str, Any],
    views_dir: Path,
    now: datetime,
) -> LoadSummary:
    """Apply one run to the state database in a single transaction and log the run."""
    state.parent.mkdir(parents=True, exist_ok=True)
    views = view_definitions(views_dir)
    run_id = run_row["run_id"]
    policy = settings.get("deleted_files", "retire")
    if policy not in ("retire", "delete"):
        raise ValueError(
            f"config/settings.yml: warehouse.deleted_files must be retire or delete, not {policy!r}"
        )
    con = connect(state, settings)
    try:
        con.execute("BEGIN TRANSACTION")
        for name in (*DATA_TABLES, "files", "runs"):
            _ensure_table(con, contracts[name])
        _repeated_documents(con, staged / "files")
        for name in (*DATA_TABLES, "files"):
            # Figures and sentences, the bulk of a run, are read from the Parquet parts
            # where they are compared and inserted: the commit changes them in no other way.
            _read_staged(
                con, contracts[name], staged / name, name not in ("figures", "document_sentences")
            )
        patch = sorted((staged / "documents_patch").glob("*.parquet"))
        if patch:
            con.execute(
                "UPDATE staged_documents s SET date_suspect = p.date_suspect "
                f"FROM read_parquet({_parquet_list(patch)}) p WHERE p.doc_id = s.doc_id"
            )
        # The files read this run (each has a staged row, loaded or rejected), and the
        # documents restated: the ones it read, and the old content of files it read again.
        # A deleted file's document is left to the deleted_files policy.
        _temp_list(con, "replaced_docs", "doc_id", scope.replaced_docs)
        con.execute("DELETE FROM replaced_docs WHERE doc_id IN (SELECT doc_id FROM staged_files)")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE scope_files AS SELECT source_file FROM staged_files"
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE scope_docs AS SELECT DISTINCT doc_id FROM staged_files "
            "WHERE doc_id IS NOT NULL UNION SELECT doc_id FROM replaced_docs"
        )
        _temp_list(con, "deleted_files", "source_file", scope.deleted_files)

        # 1. The manifest: files read this run are restated, vanished ones leave it.
        con.execute(
            "DELETE FROM files WHERE source_file IN (SELECT source_file FROM deleted_files)"
        )
        _sync(
            con,
            contracts["files"],
            "staged_files",
            "t.source_file IN (SELECT source_file FROM scope_files)",
            run_id,
        )
        _apply_canonical_files(con)

        # 2. Each file's canonical name goes into the staged rows before they are compared.
        con.execute(
            "UPDATE staged_documents s SET source_file = c.source_file, source_files = c.source_files "
            "FROM canonical c WHERE c.doc_id = s.doc_id"
        )
        con.execute(
            "UPDATE staged_rejects s SET source_file = c.source_file FROM canonical c "
            "WHERE c.doc_id = s.doc_id AND s.table_name <> 'files'"
        )
        in_docs = "t.doc_id IN (SELECT doc_id FROM scope_docs)"
        for name in ("documents", "figures", "document_sentences"):
            _sync(con, contracts[name], f"staged_{name}", in_docs, run_id)
        _sync(
            con,
            contracts["rejects"],
            f"(SELECT * FROM staged_rejects WHERE check_name <> '{DUPLICATE_CHECK}')",
            f"t.check_name <> '{DUPLICATE_CHECK}' AND ({in_docs} OR (t.table_name = 'files' "
            "AND t.source_file IN (SELECT source_file FROM scope_files UNION ALL "
            "SELECT source_file FROM deleted_files)))",
            run_id,
        )

        # 3. Documents no file holds any more: replaced content goes; deleted files follow
        #    the declared policy; a document whose file is back is no longer retired.
        _temp_list(con, "deleted_docs", "doc_id", scope.deleted_docs)
        # A file still there with other bytes replaces its old document; a document whose
        # files are all gone is retired or deleted by policy.
        orphans = "doc_id NOT IN (SELECT doc_id FROM files WHERE doc_id IS NOT NULL)"
        replaced = "doc_id IN (SELECT doc_id FROM replaced_docs)"
        deleted = f"doc_id IN (SELECT doc_id FROM deleted_docs) AND NOT {replaced}"
        removed = replaced if policy == "retire" else f"({replaced} OR {deleted})"
        gone = f"(SELECT doc_id FROM documents WHERE {orphans} AND {removed})"
        for name in ("figures", "rejects", "document_sentences", "documents"):
            con.execute(f"DELETE FROM {name} WHERE doc_id IN {gone}")
        if policy == "retire":
            con.execute(
                f"UPDATE documents SET retired_at = ?, run_id = ? "
                f"WHERE retired_at IS NULL AND {orphans} AND {deleted}",
                [now, run_id],
            )

        # 4. Every document names all its files; duplicates are recorded against the canonical one.
        con.execute(
            "UPDATE documents d SET source_file = c.source_file, source_files = c.source_files, "
            "retired_at = NULL, run_id = ? FROM canonical c WHERE c.doc_id = d.doc_id AND "
            "(d.source_file <> c.source_file OR d.source_files <> c.source_files "
            "OR d.retired_at IS NOT NULL)",
            [run_id],
        )
        con.execute(
            "UPDATE rejects r SET source_file = c.source_file, run_id = ? FROM canonical c "
            "WHERE c.doc_id = r.doc_id AND r.table_name <> 'files' AND r.source_file <> c.source_file",
            [run_id],
        )
        _sync(
            con,
            contracts["rejects"],
            "duplicate_rejects",
            f"t.check_name = '{DUPLICATE_CHECK}'",
            run_id,
        )

        counts = {
            name: con.execute(
                f"SELECT count(*) FROM {name}"
                + (" WHERE retired_at IS NULL" if name == "documents" else "")
            ).fetchone()[0]
            for name in ("documents", "figures", "rejects")
        }
        standing = dict(
            con.execute("SELECT severity, count(*) FROM rejects GROUP BY severity").fetchall()
        )
        errors, warnings = standing.get("error", 0), standing.get("warn", 0)
        runs = contracts["runs"]
        row = {
            **run_row,
            "documents_loaded": counts["documents"],
            "figures_loaded": counts["figures"],
            "errors": errors,
            "warnings": warnings,
            "status": "errors" if errors or run_row.get("new_errors") else "ok",
        }
        con.execute(
            f"INSERT INTO runs ({', '.join(runs.column_names)}) VALUES "
            f"({', '.join('?' for _ in runs.column_names)})",
            [row[c] for c in runs.column_names],
        )
        for name, sql in views.items():
            con.execute(f"CREATE OR REPLACE VIEW {name} AS\n{sql}")
        failpoint("before_commit")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return LoadSummary(
        state,
        counts["documents"],
        counts["figures"],
        counts["rejects"],
        list(views),
        errors,
        warnings,
    )


def _parquet_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _repeated_documents(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """`repeated_docs`: the documents staged by more than one batch (the same text in files
    of two batches, or a document read again by the partner re-check). Only their rows can
    be staged twice."""
    parts = sorted(folder.glob("*.parquet"))
    source = (
        f"SELECT doc_id FROM read_parquet({_parquet_list(parts)}, filename = true) "
        "WHERE doc_id IS NOT NULL GROUP BY doc_id HAVING count(DISTINCT filename) > 1"
        if parts
        else "SELECT NULL::VARCHAR AS doc_id WHERE false"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE repeated_docs AS {source}")


def _read_staged(
    con: duckdb.DuckDBPyConnection, contract: Contract, folder: Path, materialize: bool
) -> None:
    """The batches' staged parts of one table as `staged_<table>` (a temp table to update,
    or a view over the Parquet parts); a row staged twice (the same text in two batches, a
    run-level replacement) is kept once, the last part's. Rows of documents staged by one
    batch only are unique (each batch's contracts check it) and are taken as they are: a
    first load of a big folder does not pay for the de-duplication; rejects, always few, are
    always de-duplicated."""
    parts = sorted(folder.glob("*.parquet"))
    name = f"staged_{contract.table}"
    kind = "TABLE" if materialize else "VIEW"
    if not parts:
        con.execute(
            f"CREATE OR REPLACE TEMP {kind} {name} AS SELECT * FROM {contract.table} LIMIT 0"
        )
        return
    columns = ", ".join(contract.column_names)
    rows = f"read_parquet({_parquet_list(parts)}, filename = true)"
    last = f"row_number() OVER (PARTITION BY {contract.primary_key} ORDER BY filename DESC) = 1"
    if contract.table == "rejects" or "doc_id" not in contract.column_names:
        con.execute(
            f"CREATE OR REPLACE TEMP {kind} {name} AS SELECT {columns} FROM {rows} QUALIFY {last}"
        )
        return
    repeated = "doc_id IN (SELECT doc_id FROM repeated_docs)"
    con.execute(
        f"CREATE OR REPLACE TEMP {kind} {name} AS "
        f"SELECT {columns} FROM {rows} WHERE NOT coalesce({repeated}, false) "
        f"UNION ALL "
        f"SELECT {columns} FROM {rows} WHERE {repeated} QUALIFY {last}"
    )


def _apply_canonical_files(con: duckdb.DuckDBPyConnection) -> None:
    """Among files with the same bytes the first by name is the document's file (`loaded`),
    the others `duplicate`, whatever order the runs met them in; `canonical` and
    `duplicate_rejects` are left as temp tables for the rest of the commit."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE canonical AS SELECT doc_id, min(source_file) AS source_file, "
        "list(source_file ORDER BY source_file) AS source_files FROM files "
        "WHERE doc_id IS NOT NULL GROUP BY doc_id"
    )
    con.execute(
        "UPDATE files f SET status = CASE WHEN f.source_file = c.source_file THEN 'loaded' "
        "ELSE 'duplicate' END FROM canonical c WHERE c.doc_id = f.doc_id "
        "AND f.status <> CASE WHEN f.source_file = c.source_file THEN 'loaded' ELSE 'duplicate' END"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE duplicate_rejects AS
        SELECT
            substr(sha256('files' || chr(31) || f.source_file || chr(31) || '{DUPLICATE_CHECK}'), 1, 16)
                AS reject_id,
            f.run_id, 'files' AS table_name, f.source_file, f.doc_id, f.source_file AS row_key,
            '{DUPLICATE_CHECK}' AS check_name, 'warn' AS severity,
            'same text as ' || c.source_file || '; loaded once' AS reason,
            NULL::VARCHAR AS column_name, NULL::VARCHAR AS offending_value,
            NULL::BIGINT AS char_offset, NULL::BIGINT AS line
        FROM files f JOIN canonical c USING (doc_id)
        WHERE f.status = 'duplicate'
        """
    )


# -- publishing --------------------------------------------------------------------------------


def publish(state: Path, database: Path, parquet_dir: Path, settings: dict[str, Any]) -> None:
    """Write a complete copy of the state database beside `database` and rename it into
    place, then refresh the Parquet snapshots the same way."""
    database.parent.mkdir(parents=True, exist_ok=True)
    partial = database.with_name(f".{database.name}.partial")
    partial.unlink(missing_ok=True)
    version = settings.get("storage_compatibility_version")
    con = duckdb.connect(config=resources(settings, state))
    try:
        con.execute(f"ATTACH {_quote(str(state))} AS state (READ_ONLY)")
        if _copyable(con, state, version):
            # Checkpointed, in the declared format: the file itself is the copy (at disk
            # speed, where COPY FROM DATABASE re-encodes every table).
            shutil.copyfile(state, partial)
            failpoint("during_publish")
        else:
            option = f" (STORAGE_VERSION '{version}')" if version else ""
            con.execute(f"ATTACH {_quote(str(partial))} AS published{option}")
            con.execute("COPY FROM DATABASE state TO published")
            failpoint("during_publish")
            con.execute("DETACH published")
        parquet_dir.mkdir(parents=True, exist_ok=True)
        for name in PUBLISHED_SNAPSHOTS:
            snapshot = parquet_dir / f"{name}.parquet"
            temporary = parquet_dir / f".{name}.parquet.partial"
            con.execute(f"COPY state.{name} TO '{temporary}' (FORMAT parquet, COMPRESSION zstd)")
            os.replace(temporary, snapshot)
    finally:
        con.close()
    os.replace(partial, database)


def _copyable(con: duckdb.DuckDBPyConnection, state: Path, version: str | None) -> bool:
    """Whether the state file, as it is on disk, is a complete database in the declared
    storage format: no write-ahead log left (every commit checkpointed into the file)."""
    if state.with_name(state.name + ".wal").exists():
        return False
    if not version:
        return True
    [(stored,)] = con.execute(
        "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'state'"
    ).fetchall()
    return bool(stored) and stored.startswith(version)
