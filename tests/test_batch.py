"""A batch through all text stages: every file is accounted for, duplicates load once."""

from __future__ import annotations

import pickle
import shutil
from dataclasses import fields
from pathlib import Path

import pyarrow.parquet as pq

from newsfigures.batch import BatchSummary, merge_batches, process_batch, stage_batch
from newsfigures.config import Project
from newsfigures.ingest import discover


def test_every_file_is_loaded_or_rejected(project: Project, seeds_copy: Path) -> None:
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "image.txt").write_bytes(b"\x89PNG\x00\x00")
    paths = discover(seeds_copy, ["*.txt"])
    result = process_batch(paths, seeds_copy, project, "r")
    rejected_files = {
        r["source_file"] for r in result.rejects.to_pylist() if r["table_name"] == "files"
    }
    loaded = set(result.documents.column("source_file").to_pylist())
    assert loaded | rejected_files == {p.name for p in paths}
    assert result.files_seen == 7 and result.files_rejected == 2 and result.errors == 2


def test_the_same_text_under_two_names_loads_once(project: Project, seeds_copy: Path) -> None:
    shutil.copy(seeds_copy / "002_22696a13c1ec76d6.txt", seeds_copy / "memo-copy.txt")
    paths = discover(seeds_copy, ["*.txt"])
    result = process_batch(paths, seeds_copy, project, "r")
    assert result.documents.num_rows == 5
    [duplicate] = [r for r in result.rejects.to_pylist() if r["check_name"] == "duplicate_content"]
    assert duplicate["source_file"] == "memo-copy.txt" and duplicate["severity"] == "warn"
    assert "002_22696a13c1ec76d6.txt" in duplicate["reason"]


def test_duplicates_across_batches_are_merged_once(project: Project, seeds_copy: Path) -> None:
    shutil.copy(seeds_copy / "002_22696a13c1ec76d6.txt", seeds_copy / "zz-copy.txt")
    paths = discover(seeds_copy, ["*.txt"])
    batches = [process_batch([p], seeds_copy, project, "r") for p in paths]
    merged = merge_batches(batches, project, "r")
    single = process_batch(paths, seeds_copy, project, "r")
    assert merged.documents.num_rows == single.documents.num_rows == 5
    assert sorted(merged.figures.column("figure_id").to_pylist()) == sorted(
        single.figures.column("figure_id").to_pylist()
    )
    assert merged.files_seen == 6
    assert [
        r["source_file"]
        for r in merged.rejects.to_pylist()
        if r["check_name"] == "duplicate_content"
    ] == ["zz-copy.txt"]


def test_a_staged_batch_hands_back_counts_and_stages_its_sentences(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    """What a batch returns to the run is bounded by the batch, not the corpus: the sentence
    hashes and document rows the run-level checks need are read back from staging."""
    assert not {f.name for f in fields(BatchSummary)} & {"fingerprints", "documents_meta"}
    paths = discover(seeds_copy, ["*.txt"])
    summary = stage_batch(paths, seeds_copy, project, "r", tmp_path, 0)
    assert summary.documents == 5 and summary.files_seen == 5
    assert len(pickle.dumps(summary)) < 50_000
    sentences = pq.read_table(tmp_path / "document_sentences" / "part-000000.parquet")
    expected = process_batch(paths, seeds_copy, project, "r").fingerprints
    staged = zip(
        sentences["doc_id"].to_pylist(), sentences["sentence_hash"].to_pylist(), strict=True
    )
    assert sorted(staged) == sorted((d, h) for d, hashes in expected.items() for h in hashes)
