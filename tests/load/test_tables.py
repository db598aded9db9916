"""Table operations of the commit: a table made or migrated from its contract, a run's staged
parts read back, and a table made equal to staged rows within a scope."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow
import pytest

from newsfigures.load.staging import write_part
from newsfigures.load.tables import (
    ensure_table,
    read_staged,
    repeated_documents,
    sync,
)
from newsfigures.validate.contracts import Contract, ContractDeclaration


def _contract(table: str = "things", *extra: dict) -> Contract:
    columns = [
        {"name": "thing_id", "type": "VARCHAR", "nullable": False, "description": "its id"},
        {"name": "doc_id", "type": "VARCHAR", "description": "its document"},
        {"name": "n", "type": "BIGINT", "description": "how many"},
        {"name": "run_id", "type": "VARCHAR", "nullable": False, "description": "its run"},
        *extra,
    ]
    declaration = ContractDeclaration.model_validate(
        {
            "table": table,
            "description": "Things.",
            "primary_key": "thing_id",
            "on_error": "quarantine",
            "columns": columns,
        }
    )
    return Contract(declaration, f"schemas/{table}.yml")


THINGS = _contract()


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in _rows(con, f"DESCRIBE {table}")]


def test_ensure_table_creates_the_table_then_adds_the_columns_a_contract_gains(
    con: duckdb.DuckDBPyConnection,
) -> None:
    ensure_table(con, THINGS)
    assert _columns(con, "things") == ["thing_id", "doc_id", "n", "run_id"]
    con.execute("INSERT INTO things VALUES ('t1', 'd1', 1, 'r0')")
    grown = _contract("things", {"name": "note", "type": "VARCHAR", "description": "new"})
    ensure_table(con, grown)
    assert _columns(con, "things") == ["thing_id", "doc_id", "n", "run_id", "note"]
    # The table is migrated, not rebuilt: its rows stay, the new column empty.
    assert _rows(con, "SELECT * FROM things") == [("t1", "d1", 1, "r0", None)]
    ensure_table(con, THINGS)  # a column no longer declared is not dropped here
    assert _columns(con, "things")[-1] == "note"


def test_sync_restates_the_scope_and_keeps_identical_rows_run_ids(
    con: duckdb.DuckDBPyConnection,
) -> None:
    ensure_table(con, THINGS)
    con.execute(
        "INSERT INTO things VALUES ('same', 'd1', 1, 'r0'), ('changed', 'd1', 2, 'r0'), "
        "('dropped', 'd1', 5, 'r0'), ('outside', 'd2', 3, 'r0'), ('null', 'd1', NULL, 'r0')"
    )
    con.execute(
        "CREATE TEMP TABLE staged_things AS SELECT * FROM (VALUES "
        "('same', 'd1', 1, 'rX'), ('changed', 'd1', 20, 'rX'), ('new', 'd1', 4, 'rX'), "
        "('null', 'd1', NULL, 'rX')) v(thing_id, doc_id, n, run_id)"
    )
    sync(con, THINGS, "staged_things", "t.doc_id = 'd1'", "r1")
    assert _rows(con, "SELECT thing_id, n, run_id FROM things ORDER BY thing_id") == [
        ("changed", 20, "r1"),
        ("new", 4, "r1"),
        ("null", None, "r0"),  # nulls compare equal: the row is unchanged
        ("outside", 3, "r0"),  # out of scope: untouched
        ("same", 1, "r0"),
    ]
    # Synced again with the same rows, nothing changes.
    sync(con, THINGS, "staged_things", "t.doc_id = 'd1'", "r2")
    assert _rows(con, "SELECT count(*) FROM things WHERE run_id = 'r2'") == [(0,)]


def test_sync_from_nothing_empties_the_scope(con: duckdb.DuckDBPyConnection) -> None:
    ensure_table(con, THINGS)
    con.execute("INSERT INTO things VALUES ('a', 'd1', 1, 'r0'), ('b', 'd2', 2, 'r0')")
    con.execute("CREATE TEMP TABLE staged_things AS SELECT * FROM things WHERE false")
    sync(con, THINGS, "staged_things", "t.doc_id = 'd1'", "r1")
    assert _rows(con, "SELECT thing_id FROM things") == [("b",)]


def _part(folder: Path, name: str, rows: list[dict]) -> None:
    write_part(folder / name, pyarrow.Table.from_pylist(rows, schema=THINGS.arrow_schema()))


def test_a_document_staged_by_two_parts_is_read_once_the_last_part_s(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _part(
        tmp_path,
        "part-000000.parquet",
        [
            {"thing_id": "t1", "doc_id": "d1", "n": 1, "run_id": "r"},
            {"thing_id": "t2", "doc_id": "d2", "n": 2, "run_id": "r"},
        ],
    )
    _part(
        tmp_path,
        "part-000001.parquet",
        [{"thing_id": "t1", "doc_id": "d1", "n": 10, "run_id": "r"}],
    )
    repeated_documents(con, tmp_path)
    assert _rows(con, "SELECT doc_id FROM repeated_docs") == [("d1",)]
    read_staged(con, THINGS, tmp_path, materialize=False)
    assert _rows(con, "SELECT thing_id, n FROM staged_things ORDER BY 1") == [("t1", 10), ("t2", 2)]
    assert _rows(
        con, "SELECT table_type FROM information_schema.tables WHERE table_name = 'staged_things'"
    ) == [("VIEW",)]
    with duckdb.connect() as other:
        repeated_documents(other, tmp_path)
        read_staged(other, THINGS, tmp_path, materialize=True)
        assert _rows(
            other,
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'staged_things'",
        ) == [("LOCAL TEMPORARY",)]
        assert _rows(other, "SELECT thing_id, n FROM staged_things ORDER BY 1") == [
            ("t1", 10),
            ("t2", 2),
        ]


def test_a_document_of_one_part_is_taken_as_staged(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Rows of a document one batch staged are not de-duplicated (its contracts checked them)."""
    _part(
        tmp_path,
        "part-000000.parquet",
        [
            {"thing_id": "t1", "doc_id": "d1", "n": 1, "run_id": "r"},
            {"thing_id": "t1", "doc_id": "d1", "n": 2, "run_id": "r"},
        ],
    )
    repeated_documents(con, tmp_path)
    assert _rows(con, "SELECT count(*) FROM repeated_docs") == [(0,)]
    read_staged(con, THINGS, tmp_path, materialize=True)
    assert _rows(con, "SELECT count(*) FROM staged_things") == [(2,)]


def test_rejects_and_files_are_always_read_once_per_key(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    files = _contract("files")
    write_part(
        tmp_path / "part-000000.parquet",
        pyarrow.Table.from_pylist(
            [
                {"thing_id": "a.txt", "doc_id": None, "n": 1, "run_id": "r"},
                {"thing_id": "a.txt", "doc_id": None, "n": 2, "run_id": "r"},
            ],
            schema=files.arrow_schema(),
        ),
    )
    repeated_documents(con, tmp_path)
    read_staged(con, files, tmp_path, materialize=True)
    assert _rows(con, "SELECT count(*) FROM staged_files") == [(1,)]


def test_nothing_staged_reads_as_an_empty_table_of_the_contract_s_columns(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    repeated_documents(con, tmp_path / "none")
    read_staged(con, THINGS, tmp_path / "none", materialize=True)
    assert _rows(con, "SELECT count(*) FROM staged_things") == [(0,)]
    assert _columns(con, "staged_things") == THINGS.column_names
    assert _rows(con, "SELECT count(*) FROM repeated_docs") == [(0,)]
