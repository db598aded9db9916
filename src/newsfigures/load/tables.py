"""Table operations of the commit: create or migrate a table from its contract, read a run's
staged parts, and make a table equal to staged rows within a scope."""

from __future__ import annotations

from pathlib import Path

import duckdb

from newsfigures.load.staging import parquet_list
from newsfigures.validate.contracts import Contract


def ensure_table(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Create the table, or add the columns its contract has gained: a warehouse built by an
    older version is migrated, not rebuilt. (A column the contract no longer declares is
    refused before the run starts: dropping it would lose its data.)"""
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


def sync(
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


def repeated_documents(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """`repeated_docs`: the documents staged by more than one batch (the same text in files
    of two batches, or a document read again by the partner re-check). Only their rows can
    be staged twice."""
    parts = sorted(folder.glob("*.parquet"))
    source = (
        f"SELECT doc_id FROM read_parquet({parquet_list(parts)}, filename = true) "
        "WHERE doc_id IS NOT NULL GROUP BY doc_id HAVING count(DISTINCT filename) > 1"
        if parts
        else "SELECT NULL::VARCHAR AS doc_id WHERE false"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE repeated_docs AS {source}")


def read_staged(
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
        con.execute(f"CREATE OR REPLACE TEMP {kind} {name} AS SELECT * FROM ({_empty(contract)})")
        return
    columns = ", ".join(contract.column_names)
    rows = f"read_parquet({parquet_list(parts)}, filename = true)"
    last = f"row_number() OVER (PARTITION BY {contract.primary_key} ORDER BY filename DESC) = 1"
    if contract.table in ("rejects", "files") or "doc_id" not in contract.column_names:
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


def _empty(contract: Contract) -> str:
    casts = ", ".join(f"NULL::{c.type} AS {c.name}" for c in contract.columns)
    return f"SELECT {casts} WHERE false"
