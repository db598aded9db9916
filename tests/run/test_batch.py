"""A batch through all text stages: every file is accounted for, each text extracted once."""

from __future__ import annotations

import pickle
import shutil
from dataclasses import fields
from pathlib import Path

import pyarrow.parquet as pq

from newsfigures.config import Project, load_project
from newsfigures.extract import Extractor
from newsfigures.run.batch import BatchSummary, process_batch, stage_batch
from newsfigures.sources.folder import discover
from newsfigures.sources.read import read_file


def test_every_file_is_loaded_rejected_or_skipped(project: Project, seeds_copy: Path) -> None:
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "image.txt").write_bytes(b"\x89PNG\x00\x00")
    (seeds_copy / "notes.odp").write_text("a,b\n1,2\n")
    names = discover(seeds_copy)
    result = process_batch(names, seeds_copy, project, "r")
    files = {r["source_file"]: r["status"] for r in result.tables["files"].to_pylist()}
    assert files == {name: files[name] for name in names}
    assert files["empty.txt"] == files["image.txt"] == "rejected"
    assert files["notes.odp"] == "skipped"
    assert sum(status == "loaded" for status in files.values()) == 5
    assert (result.files_seen, result.files_rejected, result.files_ignored) == (8, 2, 1)
    rejected = [r for r in result.rejects() if r["table_name"] == "files"]
    assert {r["source_file"] for r in rejected} == {"empty.txt", "image.txt"}


def test_the_same_text_under_two_names_is_extracted_once(
    project: Project, seeds_copy: Path
) -> None:
    """Which file is the document's and which a duplicate is decided for the whole run (and
    the files it does not read), in DuckDB: see tests/run/test_checks.py."""
    shutil.copy(seeds_copy / "002_22696a13c1ec76d6.txt", seeds_copy / "memo-copy.txt")
    result = process_batch(discover(seeds_copy), seeds_copy, project, "r")
    assert result.tables["documents"].num_rows == 5
    files = result.tables["files"].to_pylist()
    assert len(files) == 6 and {f["status"] for f in files} == {"loaded"}
    assert not [r for r in result.rejects() if r["check_name"] == "duplicate_content"]


def test_a_staged_batch_hands_back_counts_and_stages_its_sentences(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    """What a batch returns to the run is bounded by the batch, not the corpus: the sentence
    hashes and document rows the run-level checks need are read back from staging."""
    assert not {f.name for f in fields(BatchSummary)} & {"fingerprints", "documents_meta"}
    names = discover(seeds_copy)
    summary = stage_batch(names, seeds_copy, project, "r", tmp_path, 0)
    assert summary.documents == 5 and summary.files_seen == summary.files_staged == 5
    assert len(pickle.dumps(summary)) < 50_000
    sentences = pq.read_table(tmp_path / "document_sentences" / "part-000000-0000.parquet")
    extractor = Extractor(project)
    expected = {
        (raw.doc_id, h)
        for raw in (read_file(seeds_copy / n, seeds_copy, project.settings.ingest) for n in names)
        for h in extractor.extract(raw).fingerprints
    }
    staged = zip(
        sentences["doc_id"].to_pylist(), sentences["sentence_hash"].to_pylist(), strict=True
    )
    assert set(staged) == expected


def test_bad_seed_folder_names_both_files(project: Project, bad_seeds: Path) -> None:
    names = sorted(p.name for p in bad_seeds.iterdir())
    result = process_batch(names, bad_seeds, project, "r")
    errors = [r for r in result.rejects() if r["severity"] == "error"]
    by_file = {
        r["source_file"]: r
        for r in errors
        if r["table_name"] != "figures" or "count" in r["reason"]
    }
    assert by_file["implausible_count.txt"]["check_name"] == "value_within_category_bound"
    assert "1000000000" in by_file["implausible_count.txt"]["offending_value"]
    assert by_file["impossible_date.txt"]["check_name"] == "published_date_is_calendar_date"
    assert by_file["impossible_date.txt"]["offending_value"] == "February 30, 2019"
    # Valid rows still load: the civilians who fled in the first file are kept.
    assert "about 300 civilians" in result.tables["figures"].column("span").to_pylist()


def test_a_batch_stages_a_part_every_part_size_files_with_the_same_rows(
    project: Project, project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    """A task's batch can be large (Prefect's cost is per task) while the rows it holds at
    once are one part's: the parts together are the rows of the batch staged whole."""
    settings = project_copy / "config" / "settings.yml"
    settings.write_text(settings.read_text().replace("  part_size: 1000", "  part_size: 2"))
    small_parts = load_project(project_copy)
    assert small_parts.settings.batch.part_size == 2
    names = discover(seeds_copy)
    whole = stage_batch(names, seeds_copy, project, "r", tmp_path / "whole", 0)
    parts = stage_batch(names, seeds_copy, small_parts, "r", tmp_path / "parts", 0)
    for table in ("documents", "figures", "files", "document_sentences", "document_texts"):
        staged = sorted(p.name for p in (tmp_path / "parts" / table).iterdir())
        assert staged == [
            "part-000000-0000.parquet",
            "part-000000-0001.parquet",
            "part-000000-0002.parquet",
        ]
        one = pq.read_table(tmp_path / "whole" / table).to_pylist()
        many = pq.read_table(tmp_path / "parts" / table).to_pylist()
        key = sorted(one[0])
        assert sorted(map(repr, (tuple(r[k] for k in key) for r in many))) == sorted(
            map(repr, (tuple(r[k] for k in key) for r in one))
        )
    counted = ("documents", "figures", "files_seen", "files_staged", "warnings", "bytes_read")
    assert [getattr(parts, c) for c in counted] == [getattr(whole, c) for c in counted]
    assert parts.sample_rejects == whole.sample_rejects


def test_reading_ahead_changes_no_row(
    project: Project, project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    settings = project_copy / "config" / "settings.yml"
    settings.write_text(settings.read_text().replace("  read_ahead: 64", "  read_ahead: 0"))
    unaided = load_project(project_copy)
    assert (unaided.settings.batch.read_ahead, project.settings.batch.read_ahead) == (0, 64)
    names = discover(seeds_copy)
    ahead = process_batch(names, seeds_copy, project, "r")
    alone = process_batch(names, seeds_copy, unaided, "r")
    for table, rows_read in ahead.tables.items():
        assert rows_read.to_pylist() == alone.tables[table].to_pylist(), table
