"""The commit: one run applied to the state database, in two transactions.

Two DuckDB files, because DuckDB allows one writing process and a reader (an analyst's open
session) must never block a scheduled run:

- the **state database** (`warehouse/.state/state.duckdb`): only the pipeline opens it, one
  run at a time (see `lock.py`);
- the **published database** (`warehouse/newsfigures.duckdb`), see `publish.py`.

The first transaction restates only what the run read, in these phases:

1. prepare: the staged parts as temp tables, the run-level patches applied;
2. manifest: the files read are restated (with their status: the document's file, or a
   duplicate of it), the files gone leave it;
3. documents: the rows of every document the run read are made equal to the staged ones;
4. orphans: a document no file holds any more is removed (its file now holds other text)
   or follows `deleted_files` (its files are gone). A document stays while any file that
   holds its content is present, read this run or not;
5. canonical: each document names all its files; duplicates are recorded against it;
6. the run's row, status `incomplete`, checked by the runs contract.

The second creates the views and tables of the warehouse models, runs their tests and
completes the run's row. They are two because DuckDB holds a transaction's new rows in
memory until it commits: models computed over a first load of a million articles in the
same transaction ran out of memory at the limit a run is given.

A run killed before the first commit leaves the state as the last completed run left it.
Killed after it, the state holds the run's rows and its row says `incomplete`; the next run
finds its files unchanged and computes the models over them. Either way readers see only
what a completed run published (`publish.py`). Applying the first part again changes
nothing, so the step can be retried. Unchanged rows keep the run id that first loaded them:
a re-run over an unchanged folder changes no data row.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from newsfigures.config import Project
from newsfigures.faults import failpoint
from newsfigures.load.models import Model, create_models, run_model_tests
from newsfigures.load.staging import parquet_list
from newsfigures.load.state import connect, temp_list
from newsfigures.load.tables import (
    ensure_table,
    read_staged,
    repeated_documents,
    sync,
)
from newsfigures.validate.apply import validate_rows

DATA_TABLES = ("documents", "figures", "rejects", "document_sentences", "document_texts")
DUPLICATE_CHECK = "duplicate_content"
# The status of a run whose rows are committed and whose models are not (yet).
INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class LoadSummary:
    database: Path
    documents: int
    figures: int
    rejects: int
    views: list[str]
    errors: int = 0
    warnings: int = 0
    # Wall time of each phase of the commit (prepare, manifest, documents, orphans,
    # canonical, write, models, model_tests, write_models).
    seconds: dict[str, float] = field(default_factory=dict)


def commit(
    state: Path,
    staged: Path,
    deleted_files: list[str],
    run_row: dict[str, Any],
    project: Project,
    models: list[Model],
    now: datetime,
) -> LoadSummary:
    """Apply one run to the state database, then create and test the warehouse `models` and
    complete the run's row: two transactions (see the module's docstring)."""
    state.parent.mkdir(parents=True, exist_ok=True)
    run_id = run_row["run_id"]
    con = connect(state, project.settings.warehouse)
    clock: dict[str, float] = {}
    try:
        with _transaction(con, clock, "write"):
            with _timed(clock, "prepare"):
                _prepare(con, project, staged, deleted_files)
            with _timed(clock, "manifest"):
                _update_manifest(con, project, run_id)
            with _timed(clock, "documents"):
                _sync_documents(con, project, run_id)
            with _timed(clock, "orphans"):
                _settle_orphans(con, project.settings.warehouse.deleted_files, run_id, now)
            with _timed(clock, "canonical"):
                _apply_canonical(con, project, run_id)
            _record_run(con, project, run_row, complete=False)
            failpoint("before_commit")
        failpoint("between_commits")
        with _transaction(con, clock, "write_models"):
            summary = _complete_run(con, project, models, run_row, state, clock)
    finally:
        con.close()
    return summary


@contextmanager
def _transaction(
    con: duckdb.DuckDBPyConnection, clock: dict[str, float], phase: str
) -> Iterator[None]:
    """Commit what the block did (timed as `phase`), or roll all of it back."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        with _timed(clock, phase):
            con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _prepare(
    con: duckdb.DuckDBPyConnection, project: Project, staged: Path, deleted_files: list[str]
) -> None:
    contracts = project.contracts
    for name in (*DATA_TABLES, "files", "runs"):
        ensure_table(con, contracts[name])
    repeated_documents(con, staged / "files")
    for name in (*DATA_TABLES, "files"):
        # Figures and sentences, the bulk of a run, are read from the Parquet parts where
        # they are compared and inserted: the commit changes them in no other way.
        materialize = name not in ("figures", "document_sentences", "document_texts")
        read_staged(con, contracts[name], staged / name, materialize)
    patch = sorted((staged / "documents_patch").glob("*.parquet"))
    if patch:
        con.execute(
            "UPDATE staged_documents s SET date_suspect = p.date_suspect "
            f"FROM read_parquet({parquet_list(patch)}) p WHERE p.doc_id = s.doc_id"
        )
    canonical = sorted((staged / "canonical").glob("*.parquet"))
    source = (
        f"SELECT * FROM read_parquet({parquet_list(canonical)})"
        if canonical
        else "SELECT NULL::VARCHAR AS doc_id, NULL::VARCHAR AS source_file, "
        "NULL::VARCHAR[] AS source_files WHERE false"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE canonical AS {source}")
    temp_list(con, "deleted_files", "source_file", deleted_files)
    # Before the manifest changes: the files the run read or lost, and what they held.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE scope_files AS
        SELECT source_file FROM staged_files UNION SELECT source_file FROM deleted_files;
        CREATE OR REPLACE TEMP TABLE old_files AS
        SELECT source_file, doc_id FROM files
        WHERE doc_id IS NOT NULL AND source_file IN (SELECT source_file FROM scope_files);
        CREATE OR REPLACE TEMP TABLE read_docs AS
        SELECT DISTINCT doc_id FROM staged_files WHERE doc_id IS NOT NULL;
        """
    )


def _update_manifest(con: duckdb.DuckDBPyConnection, project: Project, run_id: str) -> None:
    """Files read this run are restated, with the status the duplicate check gave them;
    vanished ones leave the manifest; the files of a document whose file changed follow."""
    contract = project.contracts["files"]
    status = "CASE WHEN f.source_file = c.source_file THEN 'loaded' ELSE 'duplicate' END"
    # Rebuilt rather than updated: an UPDATE of every staged file's row costs more than
    # writing the table again.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE staged_files AS SELECT f.* REPLACE ("
        f"CASE WHEN c.doc_id IS NOT NULL AND f.status IN ('loaded', 'duplicate') THEN {status} "
        "ELSE f.status END AS status) "
        "FROM staged_files f LEFT JOIN canonical c ON c.doc_id = f.doc_id"
    )
    con.execute("DELETE FROM files WHERE source_file IN (SELECT source_file FROM deleted_files)")
    in_scope = "t.source_file IN (SELECT source_file FROM staged_files)"
    sync(con, contract, "staged_files", in_scope, run_id)
    con.execute(
        f"UPDATE files f SET status = {status}, run_id = ? FROM canonical c "
        f"WHERE c.doc_id = f.doc_id AND f.status <> {status}",
        [run_id],
    )
    # What this run wrote into the manifest, through the files contract.
    changed = con.sql("SELECT * FROM files WHERE run_id = ?", params=[run_id]).to_arrow_table()
    validate_rows(contract, pl.from_arrow(changed), run_id)


def _sync_documents(con: duckdb.DuckDBPyConnection, project: Project, run_id: str) -> None:
    """The rows of every document the run read become the staged ones (none, for a document
    its contracts kept out); rejects are restated for those documents and for the files
    the run read or lost."""
    contracts = project.contracts
    in_docs = "t.doc_id IN (SELECT doc_id FROM read_docs)"
    for name in ("documents", "figures", "document_sentences", "document_texts"):
        sync(con, contracts[name], f"staged_{name}", in_docs, run_id)
    file_rejects = (
        "t.table_name = 'files' AND t.source_file IN (SELECT source_file FROM scope_files)"
    )
    sync(
        con,
        contracts["rejects"],
        f"(SELECT * FROM staged_rejects WHERE check_name <> '{DUPLICATE_CHECK}')",
        f"t.check_name <> '{DUPLICATE_CHECK}' AND ({in_docs} OR ({file_rejects}))",
        run_id,
    )


def _settle_orphans(
    con: duckdb.DuckDBPyConnection, policy: str, run_id: str, now: datetime
) -> None:
    """Documents that lost their last file. Replaced content (a file still there holds other
    text now) goes; a document whose files are gone follows the declared policy."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE orphans AS
        SELECT doc_id,
               bool_or(source_file IN (SELECT source_file FROM staged_files)) AS replaced
        FROM old_files
        WHERE doc_id NOT IN (SELECT doc_id FROM files WHERE doc_id IS NOT NULL)
        GROUP BY doc_id
        """
    )
    removed = "replaced" if policy == "retire" else "true"
    gone = f"(SELECT doc_id FROM orphans WHERE {removed})"
    for name in ("figures", "rejects", "document_sentences", "document_texts", "documents"):
        con.execute(f"DELETE FROM {name} WHERE doc_id IN {gone}")
    if policy == "retire":
        con.execute(
            "UPDATE documents SET retired_at = ?, run_id = ? WHERE retired_at IS NULL "
            "AND doc_id IN (SELECT doc_id FROM orphans WHERE NOT replaced)",
            [now, run_id],
        )


def _apply_canonical(con: duckdb.DuckDBPyConnection, project: Project, run_id: str) -> None:
    """Every document names all its files; rejects name the document's file; duplicates
    are recorded against it."""
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
    affected = (
        "(SELECT doc_id FROM canonical UNION SELECT doc_id FROM old_files "
        "UNION SELECT doc_id FROM read_docs)"
    )
    sync(
        con,
        project.contracts["rejects"],
        f"(SELECT * FROM staged_rejects WHERE check_name = '{DUPLICATE_CHECK}')",
        f"t.check_name = '{DUPLICATE_CHECK}' AND (t.doc_id IN {affected} "
        "OR t.source_file IN (SELECT source_file FROM scope_files))",
        run_id,
    )


def _complete_run(
    con: duckdb.DuckDBPyConnection,
    project: Project,
    models: list[Model],
    run_row: dict[str, Any],
    state: Path,
    clock: dict[str, float],
) -> LoadSummary:
    """The views and their tests (an error-level failure stops the run, its row left
    incomplete; a warn-level one is flagged in rejects), then the run's row as it ends."""
    with _timed(clock, "models"):
        create_models(con, models)
    views = [model.name for model in models]
    with _timed(clock, "model_tests"):
        flagged = run_model_tests(con, models, run_row["run_id"])
        _flag_model_rows(con, project, views, flagged)
    counts, errors, warnings = _record_run(con, project, run_row, complete=True)
    return LoadSummary(
        state,
        counts["documents"],
        counts["figures"],
        counts["rejects"],
        sorted(views),
        errors,
        warnings,
        clock,
    )


def _record_run(
    con: duckdb.DuckDBPyConnection, project: Project, run_row: dict[str, Any], complete: bool
) -> tuple[dict[str, int], int, int]:
    """Write the run's row as the warehouse stands now (`incomplete` until its models are
    made), checked by the runs contract (a failure stops the commit); the warehouse's row
    counts and its standing errors and warnings."""
    counts = _counts(con)
    standing = dict(
        con.execute("SELECT severity, count(*) FROM rejects GROUP BY severity").fetchall()
    )
    errors, warnings = standing.get("error", 0), standing.get("warn", 0)
    ended = "errors" if errors or run_row.get("new_errors") else "ok"
    values = {
        **run_row,
        "documents_loaded": counts["documents"],
        "figures_loaded": counts["figures"],
        "errors": errors,
        "warnings": warnings,
        "status": ended if complete else INCOMPLETE,
    }
    contract = project.contracts["runs"]
    row = {name: values[name] for name in contract.column_names}
    validate_rows(contract, contract.frame([row]), row["run_id"])
    names = contract.column_names
    # Replaced, not added: the second transaction completes the row the first wrote, and a
    # retried commit writes it again.
    con.execute("DELETE FROM runs WHERE run_id = ?", [row["run_id"]])
    con.execute(
        f"INSERT INTO runs ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [row[c] for c in names],
    )
    return counts, errors, warnings


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in the warehouse: documents not retired, figures, rejects."""
    return {
        name: con.execute(
            f"SELECT count(*) FROM {name}"
            + (" WHERE retired_at IS NULL" if name == "documents" else "")
        ).fetchone()[0]
        for name in ("documents", "figures", "rejects")
    }


@contextmanager
def _timed(clock: dict[str, float], phase: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    clock[phase] = time.perf_counter() - started


def _flag_model_rows(
    con: duckdb.DuckDBPyConnection, project: Project, views: list[str], flagged: list[dict]
) -> None:
    """The rejects rows of the models' warn-level tests: a flag standing unchanged since an
    earlier run keeps that run's id, like any row; a flag no longer raised goes."""
    signature = ("reject_id", "source_file", "reason", "column_name", "offending_value")
    wanted = {tuple(row[c] for c in signature) for row in flagged}
    standing = con.execute(
        f"SELECT {', '.join(signature)} FROM rejects WHERE table_name IN (SELECT unnest(?))",
        [views],
    ).fetchall()
    kept = {row for row in standing if row in wanted}
    gone = [row[0] for row in standing if row not in wanted]
    if gone:
        con.execute("DELETE FROM rejects WHERE reject_id IN (SELECT unnest(?))", [gone])
    new = [row for row in flagged if tuple(row[c] for c in signature) not in kept]
    rejects = project.contracts["rejects"]
    if new:
        validate_rows(rejects, rejects.frame(new), new[0]["run_id"])
        # One statement for all the flags (a statement per row is slow at scale: thousands
        # of groups can be flagged at once).
        con.register("new_flags", rejects.arrow(new))
        columns = ", ".join(rejects.column_names)
        con.execute(f"INSERT INTO rejects ({columns}) SELECT {columns} FROM new_flags")
        con.unregister("new_flags")
