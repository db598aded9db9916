"""Publishing: what analysts read is replaced as a whole after every run, beside open
sessions, whatever a killed session left behind, at any path."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from newsfigures.config import Project
from newsfigures.load.publish import PublishRefused, publish
from newsfigures.run import runner
from newsfigures.run.summary import RunSummary

ANALYST = """
import duckdb, os, sys, time
con = duckdb.connect(sys.argv[1])  # read-write, as the duckdb CLI opens a file
con.execute("create table my_notes as select 42 as answer")
con.execute("insert into my_notes values (43)")
print("written", flush=True)
time.sleep(60)
"""


def run_once(project: Project, seeds: Path, warehouse: Path) -> RunSummary:
    return runner.run(seeds, warehouse, project, runner.LocalExecutor())


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _analyst(database: Path) -> subprocess.Popen:
    session = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(database)], stdout=subprocess.PIPE, text=True
    )
    assert session.stdout.readline().strip() == "written"
    return session


def test_an_open_reader_never_blocks_a_run_nor_sees_half_of_one(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    run_once(project, seeds_copy, tmp_path)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); "  # read-write, as the CLI opens it
            "print(c.execute('select count(*) from runs').fetchone()[0], flush=True); time.sleep(6); "
            "print(c.execute('select count(*) from runs').fetchone()[0], flush=True)",
            str(tmp_path / "newsfigures.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        start = time.monotonic()
        run_once(project, seeds_copy, tmp_path)
        assert time.monotonic() - start < 5
        assert rows(tmp_path, "select count(*) from runs") == [(2,)]  # new sessions see the new run
        assert reader.stdout.readline().strip() == "1"  # the open session keeps its snapshot
    finally:
        reader.kill()
        reader.wait()


def test_a_killed_writing_session_never_makes_the_published_file_unopenable(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    run_once(project, seeds_copy, tmp_path)
    database = tmp_path / "newsfigures.duckdb"
    session = _analyst(database)
    session.send_signal(signal.SIGKILL)
    session.wait()
    assert database.with_name(database.name + ".wal").exists()  # what the adversary left
    run_once(project, seeds_copy, tmp_path)
    assert rows(tmp_path, "select count(*) from runs") == [(2,)]
    assert not database.with_name(database.name + ".wal").exists()


def test_a_live_session_that_wrote_into_it_is_told_and_the_next_run_publishes(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    run_once(project, seeds_copy, tmp_path)
    session = _analyst(tmp_path / "newsfigures.duckdb")
    try:
        with pytest.raises(PublishRefused, match="written into by a session that is still open"):
            run_once(project, seeds_copy, tmp_path)
    finally:
        session.kill()
        session.wait()
    run_once(project, seeds_copy, tmp_path)
    assert rows(tmp_path, "select count(*) from runs") == [(3,)]  # the refused run committed


def test_snapshots_switch_as_one_unit_and_old_ones_are_pruned(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    runs = [run_once(project, seeds_copy, tmp_path).run_id for _ in range(3)]
    parquet = tmp_path / "parquet"
    current = parquet / "current"
    assert current.is_symlink() and current.resolve().name == runs[-1]
    kept = {p.name for p in parquet.iterdir() if not p.is_symlink()}
    assert kept == set(runs[-project.settings.warehouse.keep_snapshots :])
    for table in ("documents", "figures", "rejects", "files", "runs"):
        assert (current / f"{table}.parquet").exists()
    assert pq.read_table(current / "runs.parquet").num_rows == 3


def test_a_warehouse_path_with_a_quote_works(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "o'brien's warehouse"
    run_once(project, seeds_copy, warehouse)
    run_once(project, seeds_copy, warehouse)
    assert rows(warehouse, "select count(*) from runs") == [(2,)]
    assert pq.read_table(warehouse / "parquet" / "current" / "documents.parquet").num_rows == 5


def test_a_full_disk_says_so_first_and_what_it_means(
    project: Project, seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_once(project, seeds_copy, tmp_path)
    monkeypatch.setenv("NEWSFIGURES_FAILPOINT", "during_publish:enospc")
    with pytest.raises(runner.DiskFull) as caught:
        run_once(project, seeds_copy, tmp_path)
    assert str(caught.value).startswith(
        "no space left on device while publishing: the run is committed"
    )
    monkeypatch.setenv("NEWSFIGURES_FAILPOINT", "before_commit:enospc")
    with pytest.raises(
        runner.DiskFull,
        match=r"^no space left on device while committing: what analysts read is unchanged",
    ):
        run_once(project, seeds_copy, tmp_path)
    monkeypatch.delenv("NEWSFIGURES_FAILPOINT")
    run_once(project, seeds_copy, tmp_path)
    assert rows(tmp_path, "select count(*) from runs") == [(3,)]


def test_publishing_copies_the_checkpointed_state_file_or_rewrites_it_in_the_declared_format(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    run_once(project, seeds_copy, tmp_path)
    state = tmp_path / project.settings.warehouse.state_database
    assert (tmp_path / "newsfigures.duckdb").read_bytes() == state.read_bytes()
    settings = project.settings.warehouse.model_copy(
        update={"storage_compatibility_version": "v1.2.0"}
    )
    publish(state, tmp_path / "older.duckdb", tmp_path / "parquet", "r1", settings)
    [(version,)] = rows(
        tmp_path,
        "select tags['storage_version'] from duckdb_databases() where database_name = 'newsfigures'",
    )
    with duckdb.connect(str(tmp_path / "older.duckdb"), read_only=True) as con:
        [(older,)] = con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = 'older'"
        ).fetchall()
        assert con.execute("select count(*) from documents").fetchall() == [(5,)]
    assert version.startswith("v1.4.0") and older.startswith("v1.2.0")
