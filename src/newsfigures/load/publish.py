"""Publishing: what analysts read, replaced as a whole after every committed run.

- `warehouse/newsfigures.duckdb`: a complete copy of the state database, written aside and
  renamed into place. Sessions already open keep reading the copy they opened. Writes into
  the published file are not kept: a write-ahead log left beside it by a session that was
  killed is removed with the file it belonged to, so it is never replayed into the new
  copy, and publishing waits for the next run while a live session has written into it.
- `warehouse/parquet/<run_id>/<table>.parquet`: each run's snapshots in their own folder;
  `warehouse/parquet/current` points at the newest and is switched last, in one rename, so a
  reader never mixes the tables of two runs. Older snapshot folders beyond
  `warehouse.keep_snapshots` are removed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import duckdb

from newsfigures.config.settings import Warehouse
from newsfigures.faults import failpoint
from newsfigures.load.state import resources, sql_string

PUBLISHED_SNAPSHOTS = ("documents", "figures", "rejects", "files", "runs", "document_texts")
CURRENT = "current"


class PublishRefused(RuntimeError):
    """The published file cannot be replaced safely now."""


def publish(
    state: Path, database: Path, parquet_dir: Path, run_id: str, settings: Warehouse
) -> None:
    """Publish the committed state: the DuckDB copy, then the run's Parquet snapshots."""
    database.parent.mkdir(parents=True, exist_ok=True)
    _refuse_if_written(database)
    partial = database.with_name(f".{database.name}.partial")
    partial.unlink(missing_ok=True)
    con = duckdb.connect(config=resources(settings, state))
    try:
        con.execute(f"ATTACH {sql_string(str(state))} AS state (READ_ONLY)")
        _copy_database(con, state, partial, settings.storage_compatibility_version)
        snapshot = _write_snapshots(con, parquet_dir, run_id)
    finally:
        con.close()
    # A log beside the old file belongs to it: it must not meet the new one.
    database.with_name(database.name + ".wal").unlink(missing_ok=True)
    os.replace(partial, database)
    failpoint("between_renames")
    _switch_current(parquet_dir, snapshot)
    _prune(parquet_dir, settings.keep_snapshots)


def _refuse_if_written(database: Path) -> None:
    """Refuse while a live session has written into the published file (its log would be
    replayed into the new copy). A session that only reads, even one opened read-write as
    the duckdb CLI does, keeps its snapshot and does not hold publishing up; a log left by
    a session that was killed is removed with the old file."""
    if not database.with_name(database.name + ".wal").exists():
        return
    try:
        handle = os.open(database, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        raise PublishRefused(
            f"{database} has been written into by a session that is still open, so this "
            "run's results were not published (they are committed: the next run publishes "
            "them). Close that session; analysts open the published file read-only "
            "(duckdb -readonly, or duckdb.connect(path, read_only=True))."
        ) from None
    finally:
        os.close(handle)  # also releases the lock just taken


def _copy_database(
    con: duckdb.DuckDBPyConnection, state: Path, partial: Path, version: str | None
) -> None:
    if _copyable(con, state, version):
        # Checkpointed, in the declared format: the file itself is the copy (at disk speed,
        # where COPY FROM DATABASE re-encodes every table).
        shutil.copyfile(state, partial)
        failpoint("during_publish")
        return
    option = f" (STORAGE_VERSION {sql_string(version)})" if version else ""
    con.execute(f"ATTACH {sql_string(str(partial))} AS published{option}")
    con.execute("COPY FROM DATABASE state TO published")
    failpoint("during_publish")
    con.execute("DETACH published")


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


def _write_snapshots(con: duckdb.DuckDBPyConnection, parquet_dir: Path, run_id: str) -> Path:
    folder = parquet_dir / run_id
    partial = parquet_dir / f".{run_id}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for name in PUBLISHED_SNAPSHOTS:
        target = sql_string(str(partial / f"{name}.parquet"))
        con.execute(f"COPY state.{name} TO {target} (FORMAT parquet, COMPRESSION zstd)")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)
    return folder


def _switch_current(parquet_dir: Path, snapshot: Path) -> None:
    """Point `current` at the run's folder: a new link renamed over the old one."""
    link = parquet_dir / CURRENT
    fresh = parquet_dir / f".{CURRENT}.partial"
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(snapshot.name, target_is_directory=True)
    os.replace(fresh, link)


def _prune(parquet_dir: Path, keep: int) -> None:
    """Remove snapshot folders beyond the newest `keep` (never the current one), and the
    loose files of the earlier layout (parquet/<table>.parquet)."""
    current = (parquet_dir / CURRENT).resolve().name
    runs = sorted(
        (
            p
            for p in parquet_dir.iterdir()
            if p.is_dir() and not p.is_symlink() and p.name[0] != "."
        ),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in runs[keep:]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
    for loose in parquet_dir.glob("*.parquet"):
        loose.unlink(missing_ok=True)
