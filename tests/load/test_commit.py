"""The commit keeps a document while any file that holds its content is present: editing,
deleting or re-reading one of two identical files never loses the other's document."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from newsfigures.config import Project
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
