"""Load stage: stage a run's rows as Parquet, then commit them to DuckDB in one transaction.

A run's output is the complete state of the seeds folder it read. The commit makes each table
equal to the staged rows: rows that are unchanged keep the run id that first loaded them,
changed and new rows carry this run's id, and rows no longer produced are deleted. Running
twice over the same folder therefore leaves exactly the same rows. Readers see the previous
state or the new one, never a half-loaded run. After the commit the tables are published as
Parquet snapshots and the SQL views in warehouse/views are (re)created.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow
import pyarrow.parquet as pq

from newsfigures.contracts import Contract

DATA_TABLES = ("documents", "figures", "rejects")


@dataclass(frozen=True)
class LoadSummary:
    database: Path
    documents: int
    figures: int
    rejects: int
    views: list[str]


def stage(tables: dict[str, pyarrow.Table], staging_dir: Path) -> dict[str, Path]:
    """Write each table to `staging_dir/<table>.parquet` (written then renamed, so a
    staged file is always complete)."""
    staging_dir.mkdir(parents=True, exist_ok=True)
    staged = {}
    for name, table in tables.items():
        path = staging_dir / f"{name}.parquet"
        partial = path.with_suffix(".parquet.partial")
        pq.write_table(table, partial, compression="zstd")
        os.replace(partial, path)
        staged[name] = path
    return staged


def connect(
    database: Path, settings: dict[str, Any], read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; new files are written in a format older DuckDB CLIs can open."""
    config = {}
    version = settings.get("storage_compatibility_version")
    if version and not read_only and not database.exists():
        config["storage_compatibility_version"] = version
    try:
        return duckdb.connect(str(database), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise RuntimeError(
                f"{database} is open for writing by another process (DuckDB allows one writer): "
                "close that session or wait for the other run to finish"
            ) from exc
        raise


def _sync_table(con: duckdb.DuckDBPyConnection, contract: Contract, staged: Path) -> None:
    table, key = contract.table, contract.primary_key
    content = [c for c in contract.column_names if c != "run_id"]
    same_row = " AND ".join(f"s.{c} IS NOT DISTINCT FROM t.{c}" for c in content)
    con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM read_parquet('{staged}')")
    con.execute(f"DELETE FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM staged s WHERE {same_row})")
    columns = ", ".join(contract.column_names)
    con.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM staged s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{key} = s.{key})"
    )
    con.execute("DROP TABLE staged")


def _ensure_table(con: duckdb.DuckDBPyConnection, contract: Contract, rebuildable: bool) -> None:
    """Create the table; when its contract has changed, rebuild it (data tables are fully
    restated by every run) or add the new columns (the runs log is kept)."""
    existing = [
        row[0]
        for row in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position",
            [contract.table],
        ).fetchall()
    ]
    if existing and existing != contract.column_names:
        if rebuildable:
            con.execute(f"DROP TABLE {contract.table}")
        else:
            for column in contract.columns:
                if column.name not in existing:
                    con.execute(
                        f"ALTER TABLE {contract.table} ADD COLUMN {column.name} {column.type}"
                    )
    con.execute(contract.ddl())


def view_definitions(views_dir: Path) -> dict[str, str]:
    """warehouse/views/<name>.sql -> its SELECT statement (the view is named after the file)."""
    return {
        path.stem: path.read_text(encoding="utf-8").strip().rstrip(";")
        for path in sorted(views_dir.glob("*.sql"))
    }


def commit(
    database: Path,
    staged: dict[str, Path],
    run_row: dict[str, Any],
    contracts: dict[str, Contract],
    settings: dict[str, Any],
    views_dir: Path,
) -> LoadSummary:
    """Make the warehouse equal to the staged run, in one transaction, and log the run."""
    database.parent.mkdir(parents=True, exist_ok=True)
    views = view_definitions(views_dir)
    con = connect(database, settings)
    try:
        con.execute("BEGIN TRANSACTION")
        for name in DATA_TABLES:
            _ensure_table(con, contracts[name], rebuildable=True)
            _sync_table(con, contracts[name], staged[name])
        _ensure_table(con, contracts["runs"], rebuildable=False)
        counts = {
            name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in DATA_TABLES
        }
        run_row = {
            **run_row,
            "documents_loaded": counts["documents"],
            "figures_loaded": counts["figures"],
        }
        runs = contracts["runs"]
        con.execute(
            f"INSERT INTO runs ({', '.join(runs.column_names)}) VALUES "
            f"({', '.join('?' for _ in runs.column_names)})",
            [run_row[c] for c in runs.column_names],
        )
        for name, sql in views.items():
            con.execute(f"CREATE OR REPLACE VIEW {name} AS\n{sql}")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return LoadSummary(
        database, counts["documents"], counts["figures"], counts["rejects"], list(views)
    )


def publish_parquet(database: Path, parquet_dir: Path, settings: dict[str, Any]) -> None:
    """Export the committed tables as Parquet snapshots for tools other than DuckDB."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    con = connect(database, settings, read_only=True)
    try:
        for name in (*DATA_TABLES, "runs"):
            target = parquet_dir / f"{name}.parquet"
            partial = parquet_dir / f"{name}.parquet.partial"
            con.execute(f"COPY {name} TO '{partial}' (FORMAT parquet, COMPRESSION zstd)")
            os.replace(partial, target)
    finally:
        con.close()


def discard_staging(staging_dir: Path) -> None:
    shutil.rmtree(staging_dir, ignore_errors=True)
