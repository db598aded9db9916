"""`newsfigures export`: one table or view of the published warehouse, as a file a user's
other tools read (CSV, Parquet, JSON), written aside and renamed into place."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from newsfigures.load.state import sql_string

# DuckDB's COPY options for each format a user may ask for.
FORMATS = {
    "csv": "FORMAT csv, HEADER true",
    "parquet": "FORMAT parquet, COMPRESSION zstd",
    "json": "FORMAT json, ARRAY true",
}


class ExportError(ValueError):
    """What the user asked for cannot be exported; the message says why and what exists."""


def exportable(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables and views of the warehouse, by name."""
    return [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema = 'main' "
            "ORDER BY table_name"
        ).fetchall()
    ]


def export(database: Path, name: str, file_format: str, output: Path) -> int:
    """Write `name` to `output` in `file_format`; the number of rows written."""
    if file_format not in FORMATS:
        raise ExportError(f"unknown format {file_format!r}: one of {', '.join(FORMATS)}")
    if not database.is_file():
        raise ExportError(f"no warehouse at {database}: run `newsfigures run` first")
    with duckdb.connect(str(database), read_only=True) as con:
        names = exportable(con)
        if name not in names:
            raise ExportError(
                f"no table or view named {name!r} in {database}; there are: {', '.join(names)}"
            )
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(f".{output.name}.partial")
        con.execute(
            f'COPY (SELECT * FROM "{name}") TO {sql_string(str(partial))} ({FORMATS[file_format]})'
        )
        [(count,)] = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()
    os.replace(partial, output)
    return count
