"""Staging: a run's rows as Parquet parts under warehouse/staging/<run_id>/, each written
aside and renamed into place, so a staged part is always complete."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow
import pyarrow.parquet as pq


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


def parquet_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def write_part(path: Path, table: pyarrow.Table) -> None:
    """One staged Parquet part, complete or absent."""
    with staged_writer(path, table.schema) as writer:
        writer.write_table(table)


def staged_rows(folder: Path, key: str) -> list[dict]:
    """Every row staged under `folder`, a row staged twice (same `key`) kept once: the last
    part's (the run-level parts sort last)."""
    parts = sorted(folder.glob("*.parquet"))
    if not parts:
        return []
    rows = f"read_parquet({parquet_list(parts)}, filename = true)"
    last = f"row_number() OVER (PARTITION BY {key} ORDER BY filename DESC) = 1"
    with duckdb.connect() as con:
        query = f"SELECT * EXCLUDE (filename) FROM {rows} QUALIFY {last} ORDER BY ALL"
        return con.sql(query).to_arrow_table().to_pylist()
