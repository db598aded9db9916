"""A run from start to end, without Prefect (the runner with a local executor): what it loads
and publishes, what it reports, what an incremental run reads again (nothing when the folder
is unchanged; everything when the declarations changed; the partners of a copy added later),
`check`, and a run that staged less than it planned."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from support import PAGES, SEEDS, build_warc, rows, run_once

from newsfigures.config import Project, load_project, with_year
from newsfigures.run import runner

CONTENT = "select * exclude (run_id) from {} order by all"


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
    (seeds / "notes.yaml").write_text("{}", encoding="utf-8")
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
        (
            "notes.yaml",
            "skipped",
            True,
            "not an article format (reads "
            + ", ".join(project.settings.ingest.article_patterns)
            + ")",
        ),
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
        ("notes.yaml", "skipped"),
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
    settings.write_text(settings.read_text().replace("  size: 3000", "  size: 1"))
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


def test_check_is_a_run_from_scratch_that_writes_nothing(
    project: Project, seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    (seeds_copy / "empty.txt").write_bytes(b"")
    checked = runner.check(seeds_copy, project, runner.LocalExecutor())
    assert (checked.files_seen, checked.documents, checked.files_rejected) == (6, 5, 1)
    assert checked.database is None and checked.exit_code == 1
    # Every reject of the folder, warnings too, not a sample.
    assert {(r["source_file"], r["check_name"]) for r in checked.rejects} >= {
        ("empty.txt", "file_empty"),
        ("004_d3d7cfa834a73cd2.txt", "published_date_suspect"),
    }
    assert list(scratch.iterdir()) == []  # its staging area is gone


def test_a_run_over_an_empty_folder_publishes_an_empty_warehouse(
    project: Project, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    summary = run_once(project, seeds, tmp_path / "warehouse")
    assert (summary.files_seen, summary.documents, summary.figures, summary.exit_code) == (
        0,
        0,
        0,
        0,
    )
    assert rows(tmp_path / "warehouse", "select count(*), max(status) from runs") == [(1, "ok")]


class _LosingExecutor(runner.LocalExecutor):
    """Runs every step, but one staged file goes missing from what a batch reports."""

    def map(self, fn: Any, items: Any, *args: Any) -> list[Any]:
        summaries = super().map(fn, items, *args)
        return [dataclasses.replace(summaries[0], files_staged=summaries[0].files_staged - 1)]


def test_a_run_that_staged_fewer_files_than_it_planned_commits_nothing(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    with pytest.raises(
        runner.IncompleteRun,
        match="the run planned to read 5 files but staged 4: nothing was committed",
    ):
        runner.run(seeds_copy, tmp_path, project, _LosingExecutor())
    assert not (tmp_path / "newsfigures.duckdb").exists()
    assert not (tmp_path / project.settings.warehouse.state_database).exists()
    assert run_once(project, seeds_copy, tmp_path).documents == 5  # the lock was released


FLOODS = {
    "title": "Floods cut off 12 villages",
    "text": "Floods cut off 12 villages in the valley on Monday, and some 300 families were "
    "moved to schools, officials said.",
    "published": "2024-05-03",
    "url": "https://example.org/floods",
    "outlet": "Valley Dispatch",
}
STORM = {
    **FLOODS,
    "title": "Storm",
    "text": "A storm left 4,000 homes without power on Tuesday, the utility said in a statement.",
    "url": "https://example.org/storm",
}


def test_every_record_of_an_export_is_accounted_for_and_an_edit_restates_them(
    project: Project, tmp_path: Path
) -> None:
    seeds, warehouse = tmp_path / "seeds", tmp_path / "warehouse"
    seeds.mkdir()
    feed = seeds / "feed.jsonl"
    feed.write_text("\n".join([json.dumps(FLOODS), "{broken", json.dumps(STORM)]) + "\n")
    first = run_once(project, seeds, warehouse)
    assert first.documents == 2
    assert rows(warehouse, "select source_file, status from files order by 1") == [
        ("feed.jsonl#line=1", "loaded"),
        ("feed.jsonl#line=2", "rejected"),
        ("feed.jsonl#line=3", "loaded"),
    ]
    assert rows(warehouse, "select line, check_name from rejects where table_name = 'files'") == [
        (2, "record_invalid")
    ]
    documents = "select source_file, source_record, reader, url, title, published_date::VARCHAR, "
    documents += "published_date_source, outlet from documents order by 1"
    assert rows(warehouse, documents)[0] == (
        "feed.jsonl#line=1",
        "line=1",
        "json_lines",
        "https://example.org/floods",
        "Floods cut off 12 villages",
        "2024-05-03",
        "record",
        "Valley Dispatch",
    )
    # The bad line fixed and the storm gone: the file is read again, its records restated.
    feed.write_text(json.dumps(FLOODS) + "\n" + json.dumps({**STORM, "url": None}) + "\n")
    run_once(project, seeds, warehouse)
    assert rows(warehouse, "select source_file, status from files order by 1") == [
        ("feed.jsonl#line=1", "loaded"),
        ("feed.jsonl#line=2", "loaded"),
    ]
    assert rows(warehouse, "select count(*) from rejects where table_name = 'files'") == [(0,)]
    # Unchanged: nothing is read.
    again = run_once(project, seeds, warehouse)
    assert again.files_processed == 0 and again.files_deleted == 0


def test_a_folder_mixing_every_format_loads_in_one_run(project: Project, tmp_path: Path) -> None:
    pages = PAGES
    seeds, warehouse = tmp_path / "seeds", tmp_path / "warehouse"
    seeds.mkdir()
    (seeds / "floods.txt").write_text("Floods\nMay 3, 2024\n\n" + FLOODS["text"] + "\n")
    (seeds / "saved.html").write_bytes((pages / "title_suffix.html").read_bytes())
    (seeds / "feed.jsonl").write_text(json.dumps(STORM) + "\n{broken\n")
    (seeds / "feed.csv").write_text(
        'title,text,published\nQuake,"' + FLOODS["text"] + '",2024-05-04\n'
    )
    build_warc(seeds / "crawl.warc.gz", ["opengraph_jsonld", "liveblog"])
    cut = build_warc(tmp_path / "whole.warc.gz", ["wire_reuters", "cookie_banner"]).read_bytes()
    (seeds / "cut.warc.gz").write_bytes(cut[: len(cut) * 3 // 5])
    (seeds / "report.pdf").write_bytes(b"%PDF-1.7")
    (seeds / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    summary = run_once(project, seeds, warehouse)
    files = dict(rows(warehouse, "select source_file, status from files"))
    readers = dict(rows(warehouse, "select reader, count(*) from documents group by 1"))
    assert readers == {"text": 1, "html": 4, "json_lines": 1, "csv": 1}, readers
    assert summary.documents == 7
    by_status = sorted(set(files.values()))
    assert by_status == ["loaded", "rejected", "skipped"], files
    assert files["feed.jsonl#line=2"] == "rejected" and files["report.pdf"] == "rejected"
    assert files["crawl.warc.gz"] == "skipped" and files["photo.jpg"] == "skipped"
    assert files["cut.warc.gz"] == "rejected"
    # Every file of the folder has its rows; every rejected row says why in rejects.
    owners = {key.split("#")[0] for key in files}
    assert owners == {p.name for p in seeds.iterdir()}
    why = {
        r[0] for r in rows(warehouse, "select source_file from rejects where table_name = 'files'")
    }
    assert {k for k, status in files.items() if status == "rejected"} <= why
    sources = "select published_date_source, count(*) from documents group by 1"
    assert dict(rows(warehouse, sources)) == {"text": 1, "page": 4, "record": 2}
    # Provenance holds in SQL for every figure of every format: the offsets index the text
    # each reader made, kept in document_texts.
    provenance = (
        "select count(*), count(*) filter (where substr(t.text, f.char_start + 1, "
        "f.char_end - f.char_start) = f.span) from figures f join document_texts t using (doc_id)"
    )
    [(figures, exact)] = rows(warehouse, provenance)
    assert figures == exact == summary.figures > 0
    assert rows(warehouse, "select count(*) from document_texts") == [(7,)]
    # Run again, nothing changed: only the files with a rejected record are read again
    # (the export with a bad line, the cut archive, the PDF), and every row stays as it was.
    before = rows(warehouse, "select source_file, status, doc_id from files order by 1")
    again = run_once(project, seeds, warehouse)
    assert again.files_processed == 3 and again.files_deleted == 0
    assert rows(warehouse, "select source_file, status, doc_id from files order by 1") == before
    assert rows(warehouse, "select count(*) from documents") == [(7,)]


class _EditingWhileReading(runner.LocalExecutor):
    """Edits a model's SQL while the batches are read, as a user may during a long run."""

    def __init__(self, model: Path) -> None:
        self.model = model

    def map(self, fn: Any, items: Any, *args: Any) -> list:
        self.model.write_text("select no_such_column from figures\n", encoding="utf-8")
        return super().map(fn, items, *args)


def test_a_run_commits_the_models_it_checked_not_an_edit_made_while_it_runs(
    project_copy: Path, tmp_path: Path
) -> None:
    # The run's declarations are those checked before any article was read; the edit is
    # checked, and used, by the next run.
    model = project_copy / "warehouse" / "views" / "document_figures.sql"
    checked = model.read_text(encoding="utf-8")
    warehouse = tmp_path / "warehouse"
    project = load_project(project_copy)
    summary = runner.run(SEEDS, warehouse, project, _EditingWhileReading(model))
    assert summary.exit_code == 0 and model.read_text(encoding="utf-8") != checked
    assert rows(warehouse, "select count(*) from document_figures") == [(summary.figures,)]
