"""Load stage: Parquet staging, one-transaction commit, idempotence, views, snapshots."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from newsfigures.batch import process_batch
from newsfigures.config import Project, load_project
from newsfigures.contracts import load_contracts
from newsfigures.ingest import discover
from newsfigures.load import LoadSummary, commit, connect, publish_parquet, stage
from newsfigures.runs import RunSummary, new_run_id, utc_now


def load_folder(project: Project, seeds: Path, warehouse: Path) -> LoadSummary:
    run_id = new_run_id()
    batch = process_batch(discover(seeds, ["*.txt"]), seeds, project, run_id)
    staged = stage(
        {"documents": batch.documents, "figures": batch.figures, "rejects": batch.rejects},
        warehouse / "staging" / run_id,
    )
    settings = project.settings["warehouse"]
    summary = RunSummary.of_batch(batch, run_id, str(seeds))
    return commit(
        warehouse / "newsfigures.duckdb",
        staged,
        summary.record(utc_now(), utc_now()),
        load_contracts(project),
        settings,
        project.path(settings["views"]),
    )


def rows(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_commit_loads_tables_and_creates_the_views(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    loaded = load_folder(project, seeds_copy, tmp_path)
    assert loaded.documents == 5 and loaded.figures >= 30
    assert set(loaded.views) >= {
        "document_figures",
        "estimates_by_event",
        "quarantine",
        "run_history",
    }
    db = loaded.database
    assert rows(db, "select count(*) from document_figures") == [(loaded.figures,)]
    assert rows(db, "select count(*) from figures f join documents d using (doc_id)") == [
        (loaded.figures,)
    ]
    # Every span is the text at its offsets (checked again here, in SQL, from the files).
    for source, start, end, span in rows(
        db, "select source_file, char_start, char_end, span from document_figures"
    ):
        assert (seeds_copy / source).read_text(encoding="utf-8")[start:end] == span


def test_running_twice_leaves_exactly_the_same_rows(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    query = "select * from figures order by figure_id"
    first = load_folder(project, seeds_copy, tmp_path)
    before = rows(first.database, query)
    load_folder(project, seeds_copy, tmp_path)
    assert rows(first.database, query) == before
    assert rows(first.database, "select count(*) from runs") == [(2,)]


def test_changed_and_deleted_files_are_restated(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    first = load_folder(project, seeds_copy, tmp_path)
    changed = seeds_copy / "003_162858cfc94cf061.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nAnother 350 detainees were moved.\n",
        encoding="utf-8",
    )
    (seeds_copy / "000_b0ab4b7ce7bf8035.txt").unlink()
    second = load_folder(project, seeds_copy, tmp_path)
    assert second.documents == 4
    sources = [r[0] for r in rows(first.database, "select source_file from documents order by 1")]
    assert "000_b0ab4b7ce7bf8035.txt" not in sources
    assert rows(
        first.database, "select count(*) from figures where span = 'Another 350 detainees'"
    ) == [(1,)]
    runs = rows(first.database, "select distinct run_id from documents")
    assert len(runs) == 2  # unchanged documents keep the run that first loaded them


def test_a_failing_commit_changes_nothing(
    project: Project, seeds_copy: Path, tmp_path: Path, project_copy: Path
) -> None:
    first = load_folder(project, seeds_copy, tmp_path)
    before = rows(first.database, "select count(*), max(run_id) from runs")
    (project_copy / "warehouse" / "views" / "broken.sql").write_text("select * from no_such_table")
    (seeds_copy / "004_d3d7cfa834a73cd2.txt").unlink()
    with pytest.raises(duckdb.CatalogException):
        load_folder(load_project(project_copy), seeds_copy, tmp_path)
    assert rows(first.database, "select count(*), max(run_id) from runs") == before
    assert rows(first.database, "select count(*) from documents") == [(5,)]


def test_new_files_are_readable_by_older_duckdb_and_snapshots_are_parquet(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    loaded = load_folder(project, seeds_copy, tmp_path)
    [(version,)] = rows(
        loaded.database,
        "select tags['storage_version'] from duckdb_databases() "
        "where database_name = 'newsfigures'",
    )
    assert version.startswith(project.settings["warehouse"]["storage_compatibility_version"])
    publish_parquet(loaded.database, tmp_path / "parquet", project.settings["warehouse"])
    assert pq.read_table(tmp_path / "parquet" / "figures.parquet").num_rows == loaded.figures
    assert sorted(p.name for p in (tmp_path / "parquet").iterdir()) == [
        "documents.parquet",
        "figures.parquet",
        "rejects.parquet",
        "runs.parquet",
    ]


def test_a_second_writer_gets_a_clear_message(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    loaded = load_folder(project, seeds_copy, tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(loaded.database)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        start = time.monotonic()
        with pytest.raises(RuntimeError, match="one writer"):
            connect(loaded.database, project.settings["warehouse"])
        assert time.monotonic() - start < 10
    finally:
        holder.kill()
        holder.wait()
