"""The commit: one run's rows applied in one transaction, its models in a second. A changed
file is restated and the others keep their run; a deleted file's document follows the
declared policy; the same text under two names is one document; a commit failing in its rows
changes nothing, one failing in its models leaves the run incomplete and unpublished. A document stays while any file
that holds its content is present: editing, deleting or re-reading one of two identical
files never loses the other's document."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from support import rows, run_once

from newsfigures.config import Project, load_project
from newsfigures.run import runner

SEED = "002_22696a13c1ec76d6.txt"
CONTENT = "select * exclude (run_id) from {} order by all"


def _run(project: Project, seeds: Path, warehouse: Path) -> None:
    runner.run(seeds, warehouse, project, runner.LocalExecutor())


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _same_as_a_clean_run(project: Project, seeds: Path, warehouse: Path, tmp: Path) -> None:
    clean = tmp / "clean"
    _run(project, seeds, clean)
    for table in ("documents", "figures", "rejects", "files", "document_sentences"):
        assert _rows(warehouse, CONTENT.format(table)) == _rows(clean, CONTENT.format(table)), table


@pytest.mark.parametrize("edited", ["a-copy.txt", "z-copy.txt"])
def test_editing_one_of_two_identical_files_keeps_the_other_s_document(
    project: Project, seeds_copy: Path, tmp_path: Path, edited: str
) -> None:
    """The first by name holds the document, the other is its duplicate; editing either one
    leaves the original text loaded from the file that still holds it."""
    for name in ("a-copy.txt", "z-copy.txt"):
        shutil.copy(seeds_copy / SEED, seeds_copy / name)
    (seeds_copy / SEED).unlink()
    warehouse = tmp_path / "warehouse"
    _run(project, seeds_copy, warehouse)
    [(doc_id, figures)] = _rows(
        warehouse, "select doc_id, n_figures from documents where source_file = 'a-copy.txt'"
    )
    path = seeds_copy / edited
    path.write_text(path.read_text(encoding="utf-8") + "\nAbout 40 more people left.\n")
    _run(project, seeds_copy, warehouse)

    kept = "z-copy.txt" if edited == "a-copy.txt" else "a-copy.txt"
    assert _rows(
        warehouse, f"select source_file, n_figures from documents where doc_id = '{doc_id}'"
    ) == [(kept, figures)]
    assert _rows(warehouse, f"select count(*) from figures where doc_id = '{doc_id}'") == [
        (figures,)
    ]
    assert _rows(
        warehouse,
        "select source_file, status from files where source_file like '%copy%' order by 1",
    ) == [
        ("a-copy.txt", "loaded"),
        ("z-copy.txt", "loaded"),
    ]
    assert _rows(
        warehouse, "select count(*) from rejects where check_name = 'duplicate_content'"
    ) == [(0,)]
    _same_as_a_clean_run(project, seeds_copy, warehouse, tmp_path)


def test_deleting_the_first_of_two_identical_files_moves_the_document(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    shutil.copy(seeds_copy / SEED, seeds_copy / "000-copy.txt")
    warehouse = tmp_path / "warehouse"
    _run(project, seeds_copy, warehouse)
    (seeds_copy / "000-copy.txt").unlink()
    _run(project, seeds_copy, warehouse)
    assert _rows(warehouse, "select count(*) from documents where retired_at is null") == [(5,)]
    assert _rows(warehouse, f"select status from files where source_file = '{SEED}'") == [
        ("loaded",)
    ]
    _same_as_a_clean_run(project, seeds_copy, warehouse, tmp_path)


def test_editing_both_identical_files_replaces_their_document(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    shutil.copy(seeds_copy / SEED, seeds_copy / "copy.txt")
    warehouse = tmp_path / "warehouse"
    _run(project, seeds_copy, warehouse)
    for name in (SEED, "copy.txt"):
        path = seeds_copy / name
        path.write_text(path.read_text(encoding="utf-8") + f"\nSome {len(name)} men fled.\n")
    _run(project, seeds_copy, warehouse)
    _same_as_a_clean_run(project, seeds_copy, warehouse, tmp_path)


def test_a_changed_file_is_restated_and_others_keep_their_run(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    first = run_once(project, seeds_copy, tmp_path)
    changed = seeds_copy / "003_162858cfc94cf061.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nAnother 350 detainees were moved.\n",
        encoding="utf-8",
    )
    second = run_once(project, seeds_copy, tmp_path)
    assert second.files_processed >= 1 and second.documents == 5
    assert rows(tmp_path, "select count(*) from figures where span = 'Another 350 detainees'") == [
        (1,)
    ]
    runs = dict(rows(tmp_path, "select source_file, run_id from documents"))
    assert runs["003_162858cfc94cf061.txt"] == second.run_id
    assert runs["000_b0ab4b7ce7bf8035.txt"] == first.run_id
    assert rows(tmp_path, "select count(*) from documents")[0][0] == 5  # the old version is gone


@pytest.mark.parametrize("policy", ["retire", "delete"])
def test_a_deleted_file_follows_the_declared_policy(
    policy: str, project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    settings = project_copy / "config" / "settings.yml"
    settings.write_text(
        settings.read_text().replace("deleted_files: retire", f"deleted_files: {policy}")
    )
    project = load_project(project_copy)
    run_once(project, seeds_copy, tmp_path)
    (seeds_copy / "000_b0ab4b7ce7bf8035.txt").unlink()
    summary = run_once(project, seeds_copy, tmp_path)
    assert summary.files_deleted == 1 and summary.documents == 4
    kept = rows(
        tmp_path, "select retired_at is not null from documents where source_file like '000_%'"
    )
    assert kept == ([(True,)] if policy == "retire" else [])
    assert rows(
        tmp_path, "select count(*) from document_figures where source_file like '000_%'"
    ) == [(0,)]
    assert rows(tmp_path, "select count(*) from files where source_file like '000_%'") == [(0,)]


def test_the_same_text_under_two_names_is_one_document_whatever_the_order(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    run_once(project, seeds_copy, tmp_path)
    shutil.copy(seeds_copy / "002_22696a13c1ec76d6.txt", seeds_copy / "000_memo-copy.txt")
    run_once(project, seeds_copy, tmp_path)
    [(source, sources)] = rows(
        tmp_path,
        "select source_file, source_files from documents where source_files[2] is not null",
    )
    assert source == "000_memo-copy.txt" and sources == [
        "000_memo-copy.txt",
        "002_22696a13c1ec76d6.txt",
    ]
    assert rows(
        tmp_path,
        "select source_file, status from files where doc_id = (select doc_id from files where source_file = '000_memo-copy.txt') order by 1",
    ) == [("000_memo-copy.txt", "loaded"), ("002_22696a13c1ec76d6.txt", "duplicate")]
    assert rows(
        tmp_path, "select source_file from rejects where check_name = 'duplicate_content'"
    ) == [("002_22696a13c1ec76d6.txt",)]
    # A run from scratch over the same folder gives the same rows.
    clean = tmp_path / "clean"
    run_once(project, seeds_copy, clean)
    for table in ("documents", "figures", "rejects", "files"):
        assert rows(tmp_path, CONTENT.format(table)) == rows(clean, CONTENT.format(table)), table


def _state_rows(project: Project, warehouse: Path, sql: str) -> list[tuple]:
    state = warehouse / project.settings.warehouse.state_database
    with duckdb.connect(str(state), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_commit_failing_in_its_rows_changes_nothing(
    project: Project, seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_once(project, seeds_copy, tmp_path)
    before = _state_rows(project, tmp_path, "select run_id, status from runs")
    (seeds_copy / "004_d3d7cfa834a73cd2.txt").unlink()
    monkeypatch.setenv("NEWSFIGURES_FAILPOINT", "before_commit:enospc")
    with pytest.raises(runner.DiskFull):
        run_once(project, seeds_copy, tmp_path)
    assert _state_rows(project, tmp_path, "select run_id, status from runs") == before
    assert _state_rows(project, tmp_path, "select count(*) from documents") == [(5,)]


def test_a_run_its_models_stop_keeps_its_rows_unpublished_and_the_next_run_completes_it(
    project: Project, project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    """The models are the commit's second transaction: the run's rows stay committed, its
    row says incomplete, analysts still read the last completed run."""
    reference = tmp_path / "reference"  # the same two runs, uninterrupted
    for warehouse in (tmp_path, reference):
        run_once(project, seeds_copy, warehouse)
    before = rows(tmp_path, "select count(*), max(run_id) from runs")
    views = project_copy / "warehouse" / "views"
    (views / "broken.sql").write_text("select * from no_such_table")
    (views / "broken.yml").write_text(
        "description: d\nkey: x\ncolumns: [{name: x, description: d}]\n"
    )
    (seeds_copy / "004_d3d7cfa834a73cd2.txt").unlink()
    with pytest.raises(duckdb.CatalogException):
        run_once(load_project(project_copy), seeds_copy, tmp_path)
    run_once(project, seeds_copy, tmp_path / "unused")  # the lock was released
    assert rows(tmp_path, "select count(*), max(run_id) from runs") == before
    assert rows(tmp_path, "select count(*) from documents where retired_at is null") == [(5,)]
    [(stopped, status)] = _state_rows(
        project, tmp_path, "select run_id, status from runs order by run_id desc limit 1"
    )
    assert status == "incomplete"
    assert _state_rows(
        project, tmp_path, "select count(*) from documents where retired_at is null"
    ) == [(4,)]

    completed = run_once(project, seeds_copy, tmp_path)
    assert completed.files_processed == 0  # the stopped run's rows are not read again
    assert rows(tmp_path, "select run_id, status from runs order by run_id")[-2:] == [
        (stopped, "incomplete"),
        (completed.run_id, "ok"),
    ]
    assert rows(tmp_path, "select count(*) from documents where retired_at is null") == [(4,)]
    run_once(project, seeds_copy, reference)
    for table in ("documents", "figures", "rejects", "files", "document_sentences"):
        content = f"select * exclude (run_id{', retired_at' * (table == 'documents')}) from {table} order by all"
        assert _rows(tmp_path, content) == _rows(reference, content), table


def test_model_flags_that_stand_keep_their_run_new_ones_come_and_stale_ones_go(
    project: Project,
) -> None:
    from newsfigures.load.commit import _flag_model_rows

    rejects = project.contracts["rejects"]

    def flag(group: str, run_id: str) -> dict:
        values = dict.fromkeys(rejects.column_names)
        return values | {
            "reject_id": f"flag-{group}",
            "run_id": run_id,
            "table_name": "estimate_groups",
            "source_file": f"{group}.txt",
            "row_key": group,
            "check_name": "sources_agree",
            "severity": "warn",
            "reason": f"the sources of {group} disagree",
        }

    con = duckdb.connect()
    con.execute(rejects.ddl())
    con.register("standing", rejects.arrow([flag("a", "r1"), flag("b", "r1")]))
    con.execute("INSERT INTO rejects SELECT * FROM standing")
    _flag_model_rows(con, project, ["estimate_groups"], [flag("a", "r2"), flag("c", "r2")])
    assert con.execute("SELECT reject_id, run_id FROM rejects ORDER BY 1").fetchall() == [
        ("flag-a", "r1"),
        ("flag-c", "r2"),
    ]
