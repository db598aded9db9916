"""Load stage and incremental runs, without Prefect (the runner with a local executor):
staging, one-transaction commits, re-runs, changed, deleted and duplicated files,
publishing beside open readers, one run at a time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from newsfigures.config import Project, load_project, with_year
from newsfigures.load.lock import WarehouseBusy, warehouse_lock
from newsfigures.load.state import connect
from newsfigures.run import runner
from newsfigures.run.summary import RunSummary

CONTENT = "select * exclude (run_id) from {} order by all"


def run_once(project: Project, seeds: Path, warehouse: Path) -> RunSummary:
    return runner.run(seeds, warehouse, project, runner.LocalExecutor())


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_run_loads_tables_and_views_and_publishes(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    summary = run_once(project, seeds_copy, tmp_path)
    assert summary.documents == 5 and summary.figures >= 30 and summary.files_processed == 5
    assert rows(tmp_path, "select count(*) from document_figures") == [(summary.figures,)]
    for source, start, end, span in rows(
        tmp_path, "select source_file, char_start, char_end, span from document_figures"
    ):
        assert (seeds_copy / source).read_text(encoding="utf-8")[start:end] == span
    current = tmp_path / "parquet" / "current"
    assert current.resolve().name == summary.run_id
    assert pq.read_table(current / "figures.parquet").num_rows == summary.figures
    assert not any((tmp_path / "staging").iterdir())
    [(version,)] = rows(
        tmp_path,
        "select tags['storage_version'] from duckdb_databases() where database_name = 'newsfigures'",
    )
    assert version.startswith(project.settings.warehouse.storage_compatibility_version)


def test_a_run_reports_time_and_peak_memory_for_every_stage_and_step(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    summary = run_once(project, seeds_copy, tmp_path)
    stages = {"ingest", "metadata", "figures", "validate", "stage"}
    steps = {"plan", "extract", "partners", "recheck", "run_checks", "commit", "publish"}
    assert stages | steps <= set(summary.peak_rss_mib)
    assert all(summary.peak_rss_mib[name] > 10 for name in stages | steps)  # MiB of a Python
    assert all(summary.seconds[name] > 0 for name in stages | {"extract", "commit", "publish"})


def test_a_rerun_over_an_unchanged_folder_reads_nothing_and_changes_no_row(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    run_once(project, seeds_copy, tmp_path)
    before = {
        t: rows(tmp_path, f"select * from {t} order by all")
        for t in ("documents", "figures", "rejects", "files")
    }
    second = run_once(project, seeds_copy, tmp_path)
    assert (second.files_processed, second.files_skipped) == (0, 5)
    for table, content in before.items():
        assert rows(tmp_path, f"select * from {table} order by all") == content, table
    assert rows(tmp_path, "select count(*) from runs") == [(2,)]


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


GENEVA = (
    "UN says Karabakh exodus nears completion\n\n"
    "GENEVA, Oct 3 (Reuters) - More than 100,000 people have crossed into Armenia since "
    "Azerbaijan retook the region, the U.N. refugee agency said on Tuesday.\n"
)


def _sidecar_folder(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "geneva.txt").write_text(GENEVA, encoding="utf-8")
    (seeds / "geneva.meta.json").write_text('{"year": 2023}', encoding="utf-8")
    (seeds / "notes.json").write_text("{}", encoding="utf-8")
    return seeds


DATE = "select published_date::VARCHAR, published_date_text, published_date_source from documents"
MISSING = "select count(*) from rejects where check_name = 'published_date_missing'"


def test_a_sidecar_is_listed_with_its_article_and_an_edit_reads_the_article_again(
    project: Project, tmp_path: Path
) -> None:
    seeds, warehouse = _sidecar_folder(tmp_path), tmp_path / "warehouse"
    first = run_once(project, seeds, warehouse)
    assert rows(warehouse, DATE) == [("2023-10-03", "Oct 3", "dateline+sidecar")]
    assert (first.files_processed, first.files_ignored, first.documents) == (3, 1, 1)
    listed = "select source_file, status, doc_id is null, reason from files order by all"
    assert rows(warehouse, listed) == [
        ("geneva.meta.json", "sidecar", True, "metadata of geneva.txt, read with it"),
        ("geneva.txt", "loaded", False, None),
        ("notes.json", "skipped", True, "not an article format (reads *.txt, *.text, *.md)"),
    ]
    (seeds / "geneva.meta.json").write_text('{"year": 2022}', encoding="utf-8")
    second = run_once(project, seeds, warehouse)
    assert (second.files_processed, second.files_skipped) == (2, 1)
    assert rows(warehouse, DATE) == [("2022-10-03", "Oct 3", "dateline+sidecar")]
    (seeds / "geneva.meta.json").unlink()
    third = run_once(project, seeds, warehouse)
    assert (third.files_processed, third.files_deleted) == (1, 1)
    assert rows(warehouse, "select source_file, status from files order by all") == [
        ("geneva.txt", "loaded"),
        ("notes.json", "skipped"),
    ]
    # No year from anywhere: no date, and the warning says so.
    assert rows(warehouse, DATE) == [(None, None, None)]
    assert rows(warehouse, MISSING) == [(1,)]


def test_a_year_less_dateline_takes_the_run_option_year_and_reads_everything_again(
    project: Project, tmp_path: Path
) -> None:
    seeds, warehouse = _sidecar_folder(tmp_path), tmp_path / "warehouse"
    (seeds / "geneva.meta.json").unlink()
    (seeds / "plain.txt").write_text(GENEVA.replace("GENEVA", "BERN"), encoding="utf-8")
    run_once(project, seeds, warehouse)
    assert rows(warehouse, MISSING) == [(2,)]
    (seeds / "plain.meta.json").write_text('{"year": 2020}', encoding="utf-8")
    summary = run_once(with_year(project, 2021), seeds, warehouse)
    assert summary.files_processed == 4  # another year is another rule: all is read again
    assert rows(warehouse, DATE + " order by all") == [
        ("2020-10-03", "Oct 3", "dateline+sidecar"),  # the sidecar wins over the option
        ("2021-10-03", "Oct 3", "dateline+option"),
    ]
    assert rows(warehouse, MISSING) == [(0,)]


def test_the_modification_time_gives_the_year_only_when_the_settings_say_so(
    project_copy: Path, tmp_path: Path
) -> None:
    seeds, warehouse = _sidecar_folder(tmp_path), tmp_path / "warehouse"
    (seeds / "geneva.meta.json").unlink()
    # Saved on 5 January 2024: "Oct 3" is the latest October 3 on or before it.
    os.utime(seeds / "geneva.txt", (1704412800, 1704412800))
    settings = project_copy / "config" / "settings.yml"
    settings.write_text(
        settings.read_text().replace("year_from_mtime: false", "year_from_mtime: true")
    )
    run_once(load_project(project_copy), seeds, warehouse)
    assert rows(warehouse, DATE) == [("2023-10-03", "Oct 3", "dateline+mtime")]


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


def test_a_copy_added_later_is_checked_against_the_warehouse_as_a_clean_run_checks_it(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    """004 shares sentences with 003, dated nine months earlier: loaded in a later run, it is
    flagged against 003 from the warehouse (003 is read again: its partner changed), and a
    change to 003 re-checks 004. Each time the rows are those of a run from scratch."""
    later = seeds_copy / "004_d3d7cfa834a73cd2.txt"
    aside = tmp_path / later.name
    shutil.move(later, aside)
    run_once(project, seeds_copy, tmp_path / "wh")
    shutil.move(aside, later)
    added = run_once(project, seeds_copy, tmp_path / "wh")
    assert (added.files_processed, added.files_skipped) == (2, 3)
    [(reason,)] = rows(
        tmp_path / "wh", f"select date_suspect from documents where source_file = '{later.name}'"
    )
    assert "shares" in reason and "003_162858cfc94cf061.txt" in reason
    earlier = seeds_copy / "003_162858cfc94cf061.txt"
    earlier.write_text(earlier.read_text(encoding="utf-8") + "\nMore news.\n", encoding="utf-8")
    changed = run_once(project, seeds_copy, tmp_path / "wh")
    assert (changed.files_processed, changed.files_skipped) == (2, 3)
    run_once(project, seeds_copy, tmp_path / "clean")
    for table in ("documents", "figures", "rejects", "files", "document_sentences"):
        assert rows(tmp_path / "wh", CONTENT.format(table)) == rows(
            tmp_path / "clean", CONTENT.format(table)
        ), table


def test_batches_of_one_file_give_the_rows_of_one_batch(
    project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    """The same text in files of different batches is staged twice and loaded once; the
    syndicated copy is found across batches."""
    shutil.copy(seeds_copy / "002_22696a13c1ec76d6.txt", seeds_copy / "zz-copy.txt")
    run_once(load_project(project_copy), seeds_copy, tmp_path / "whole")
    settings = project_copy / "config" / "settings.yml"
    settings.write_text(settings.read_text().replace("size: 500", "size: 1"))
    small = load_project(project_copy)
    assert small.settings.batch.size == 1
    run_once(small, seeds_copy, tmp_path / "small")
    for table in ("documents", "figures", "rejects", "files", "document_sentences"):
        assert rows(tmp_path / "small", CONTENT.format(table)) == rows(
            tmp_path / "whole", CONTENT.format(table)
        ), table
    assert rows(tmp_path / "small", "select count(*) from documents") == [(5,)]
    assert rows(
        tmp_path / "small", "select count(*) from documents where date_suspect like 'shares%'"
    ) == [(1,)]


def test_changed_declarations_make_the_next_run_read_everything(
    project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    run_once(load_project(project_copy), seeds_copy, tmp_path)
    bounds = project_copy / "config" / "bounds.yml"
    bounds.write_text(bounds.read_text().replace("combatants: 1000000", "combatants: 500"))
    summary = run_once(load_project(project_copy), seeds_copy, tmp_path)
    assert summary.files_processed == 5
    # "up to 30,000 IS fighters" is now above the bound: quarantined, and the run says so.
    assert summary.exit_code == 1
    assert (
        rows(
            tmp_path,
            "select count(*) from rejects where check_name = 'value_within_category_bound'",
        )[0][0]
        >= 1
    )


def test_a_failing_commit_changes_nothing(
    project: Project, project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    run_once(project, seeds_copy, tmp_path)
    before = rows(tmp_path, "select count(*), max(run_id) from runs")
    (project_copy / "warehouse" / "views" / "broken.sql").write_text("select * from no_such_table")
    (seeds_copy / "004_d3d7cfa834a73cd2.txt").unlink()
    with pytest.raises(duckdb.CatalogException):
        run_once(load_project(project_copy), seeds_copy, tmp_path)
    run_once(project, seeds_copy, tmp_path / "unused")  # the lock was released
    assert rows(tmp_path, "select count(*), max(run_id) from runs") == before
    assert rows(tmp_path, "select count(*) from documents") == [(5,)]


def test_one_run_at_a_time(project: Project, seeds_copy: Path, tmp_path: Path) -> None:
    busy = pytest.raises(WarehouseBusy, match="being loaded by run other-run")
    with warehouse_lock(tmp_path, "other-run"), busy:
        runner.run(seeds_copy, tmp_path, project, runner.LocalExecutor(), lock_wait_seconds=0.5)
    assert run_once(project, seeds_copy, tmp_path).documents == 5


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time; from pathlib import Path; from newsfigures.load.lock import warehouse_lock\n"
            "with warehouse_lock(Path(sys.argv[1]), 'doomed'):\n print('held', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    os.kill(holder.pid, 9)
    holder.wait()
    with warehouse_lock(tmp_path, "next", wait_seconds=5):
        pass


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
