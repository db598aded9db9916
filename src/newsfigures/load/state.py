"""The state database: connections with the declared resources, and what the last
committed run left (the manifest of files, the declarations fingerprint)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from newsfigures.config.settings import Warehouse
from newsfigures.sources.folder import KnownFile


def resources(settings: Warehouse, state: Path) -> dict[str, str]:
    """DuckDB's memory limit and spill folder for every connection the pipeline opens
    (`warehouse.memory_limit`, `warehouse.temp_directory`, the latter relative to the state
    database's folder), so a commit over a big folder spills to disk instead of growing.
    The spill folder is made here, parents included: connections are opened before the state
    database exists (a first run's checks), and DuckDB creates only the last level."""
    config = {}
    if settings.memory_limit:
        config["memory_limit"] = settings.memory_limit
    if settings.temp_directory:
        spill = state.parent / settings.temp_directory
        spill.mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = str(spill)
    return config


def connect(
    database: Path, settings: Warehouse, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file; new files are written in a format older DuckDB CLIs can open."""
    config = resources(settings, database)
    version = settings.storage_compatibility_version
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


def _read(state: Path, settings: Warehouse, sql: str, params: list | None = None) -> list[tuple]:
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


def read_manifest(state: Path, settings: Warehouse) -> dict[str, KnownFile]:
    """The files table of the last committed run (empty before the first)."""
    rows = _read(
        state, settings, "SELECT source_file, doc_id, size_bytes, mtime_ns, status FROM files"
    )
    return {r[0]: KnownFile(r[1], r[2], r[3], r[4]) for r in rows}


def last_config_hash(state: Path, settings: Warehouse) -> str | None:
    """The declarations fingerprint of the last committed run."""
    rows = _read(state, settings, "SELECT config_hash FROM runs ORDER BY started_at DESC LIMIT 1")
    return rows[0][0] if rows else None


def table_columns(state: Path, settings: Warehouse) -> dict[str, list[str]]:
    """The columns of each table of the state database (empty before the first run)."""
    if not state.exists():
        return {}
    con = connect(state, settings, read_only=True)
    try:
        rows = con.execute(
            "SELECT c.table_name, c.column_name FROM duckdb_columns() c "
            "JOIN duckdb_tables() t USING (database_name, schema_name, table_name) "
            "WHERE c.database_name = current_database() AND c.schema_name = 'main' "
            "ORDER BY c.table_name, c.column_index"
        ).fetchall()
    finally:
        con.close()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def temp_list(
    con: duckdb.DuckDBPyConnection, name: str, column: str, values: Iterable[str]
) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({column} VARCHAR)")
    values = sorted(set(values))
    if values:
        con.execute(f"INSERT INTO {name} SELECT unnest(?::VARCHAR[])", [values])
