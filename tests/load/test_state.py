"""The state database: connections with the declared resources, and what the last committed
run left (the manifest of files, the declarations fingerprint, the tables' columns)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from support import run_once

from newsfigures.config import Project
from newsfigures.load.models import load_models
from newsfigures.load.state import (
    connect,
    last_config_hash,
    read_manifest,
    resources,
    sql_string,
    table_columns,
    temp_list,
)
from newsfigures.sources.folder import KnownFile
from newsfigures.sources.records import content_id


def test_duckdb_memory_and_spill_folder_come_from_the_settings(
    project: Project, tmp_path: Path
) -> None:
    settings = project.settings.warehouse.model_copy(update={"memory_limit": "300MB"})
    (tmp_path / ".state").mkdir()
    con = connect(tmp_path / ".state" / "state.duckdb", settings)
    try:
        limit, spill = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    finally:
        con.close()
    assert limit.startswith("286") and Path(spill) == tmp_path / ".state" / "spill"


def test_before_the_first_run_there_is_no_manifest_hash_or_columns(
    project: Project, tmp_path: Path
) -> None:
    settings = project.settings.warehouse
    state = tmp_path / ".state" / "state.duckdb"
    assert read_manifest(state, settings) == {}
    assert last_config_hash(state, settings) is None
    assert table_columns(state, settings) == {}
    # A state file without the pipeline's tables (a run killed before its first commit).
    state.parent.mkdir()
    with duckdb.connect(str(state)) as con:
        con.execute("CREATE TABLE files (source_file VARCHAR)")
    assert read_manifest(state, settings) == {}
    assert last_config_hash(state, settings) is None
    assert table_columns(state, settings) == {"files": ["source_file"]}


def test_after_a_run_the_manifest_hash_and_columns_are_the_run_s(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    (seeds_copy / "notes.odp").write_text("a,b\n")
    (seeds_copy / "empty.txt").write_bytes(b"")
    run_once(project, seeds_copy, tmp_path)
    settings = project.settings.warehouse
    state = tmp_path / settings.state_database
    manifest = read_manifest(state, settings)
    assert len(manifest) == 7
    seed = seeds_copy / "000_b0ab4b7ce7bf8035.txt"
    assert manifest[seed.name] == KnownFile(
        content_id(seed.read_bytes()), seed.stat().st_size, seed.stat().st_mtime_ns, "loaded"
    )
    assert manifest["notes.odp"].status == "skipped" and manifest["notes.odp"].doc_id is None
    assert manifest["empty.txt"].status == "rejected"
    assert last_config_hash(state, settings) == project.fingerprint
    columns = table_columns(state, settings)
    # The tables only, and the models stored as tables: the views are recreated by every run.
    stored = {m.name for m in load_models(project) if m.declaration.materialized == "table"}
    assert stored == {"estimate_mentions", "estimate_groups"}
    assert set(columns) == set(project.contracts) | stored
    for table, contract in project.contracts.items():
        assert columns[table] == contract.column_names, table


def test_a_new_state_file_is_written_in_the_declared_storage_version(
    project: Project, tmp_path: Path
) -> None:
    settings = project.settings.warehouse.model_copy(
        update={"storage_compatibility_version": "v1.2.0", "memory_limit": None}
    )
    con = connect(tmp_path / "new.duckdb", settings)
    try:
        [(version,)] = con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = 'new'"
        ).fetchall()
    finally:
        con.close()
    assert version.startswith("v1.2.0")


def test_resources_are_the_declared_memory_and_a_spill_folder_beside_the_state(
    project: Project, tmp_path: Path
) -> None:
    settings = project.settings.warehouse
    state = tmp_path / ".state" / "state.duckdb"
    assert resources(settings, state) == {
        "memory_limit": settings.memory_limit,
        "temp_directory": str(tmp_path / ".state" / settings.temp_directory),
    }
    unbounded = settings.model_copy(update={"memory_limit": None, "temp_directory": None})
    assert resources(unbounded, state) == {}


def test_a_state_file_another_process_writes_is_refused_with_the_reason(
    project: Project, tmp_path: Path
) -> None:
    state = tmp_path / "state.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
            "sys.stdin.read()",
            str(state),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(RuntimeError, match="is open for writing by another process"):
            connect(state, project.settings.warehouse)
    finally:
        holder.stdin.close()  # the holder reads to the end of its input, then exits
        assert holder.wait(timeout=30) == 0


def test_sql_strings_and_temporary_lists() -> None:
    assert sql_string("o'brien's") == "'o''brien''s'"
    with duckdb.connect() as con:
        temp_list(con, "deleted_files", "source_file", ["b.txt", "a.txt", "b.txt"])
        assert con.execute("SELECT * FROM deleted_files").fetchall() == [("a.txt",), ("b.txt",)]
        temp_list(con, "deleted_files", "source_file", [])
        assert con.execute("SELECT count(*) FROM deleted_files").fetchall() == [(0,)]


def test_a_first_run_can_spill_before_the_state_folder_exists(
    project: Project, tmp_path: Path
) -> None:
    # The run-level checks open an in-memory connection before the state database (and its
    # folder) exists; DuckDB creates only the last level of a spill folder, so a big first run
    # failed when the checks had to spill.
    settings = project.settings.warehouse.model_copy(update={"memory_limit": "30MB"})
    state = tmp_path / ".state" / "state.duckdb"
    con = duckdb.connect(config=resources(settings, state))
    try:
        groups = con.execute(
            "select count(*) from (select i % 400000 as g, max(repeat('x', 60) || i) as m "
            "from range(2000000) t(i) group by g)"
        ).fetchone()[0]
    finally:
        con.close()
    assert groups == 400_000
    assert (tmp_path / ".state" / settings.temp_directory).is_dir()
