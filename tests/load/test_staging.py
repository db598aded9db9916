"""Staging: a run's rows as Parquet parts, each complete or absent, and read back with a row
staged twice kept once (the last part's)."""

from __future__ import annotations

from pathlib import Path

import pyarrow
import pyarrow.parquet as pq
import pytest

from newsfigures.load.staging import (
    discard_staging,
    parquet_list,
    staged_rows,
    staged_writer,
    write_part,
)

SCHEMA = pyarrow.schema([("doc_id", pyarrow.string()), ("n", pyarrow.int64())])


def _table(rows: list[dict]) -> pyarrow.Table:
    return pyarrow.Table.from_pylist(rows, schema=SCHEMA)


def test_a_part_is_written_whole_under_its_name(tmp_path: Path) -> None:
    path = tmp_path / "documents" / "part-000000.parquet"
    write_part(path, _table([{"doc_id": "d1", "n": 1}, {"doc_id": "d2", "n": 2}]))
    assert pq.read_table(path).to_pylist() == [{"doc_id": "d1", "n": 1}, {"doc_id": "d2", "n": 2}]
    assert [p.name for p in path.parent.iterdir()] == ["part-000000.parquet"]


def test_a_part_that_fails_while_written_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(self: pq.ParquetWriter, table: pyarrow.Table) -> None:
        raise OSError(28, "No space left on device")

    path = tmp_path / "documents" / "part-000000.parquet"
    monkeypatch.setattr(pq.ParquetWriter, "write_table", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_part(path, _table([{"doc_id": "d1", "n": 1}]))
    assert list(path.parent.iterdir()) == []  # neither the part nor its partial file


def test_a_part_written_again_replaces_the_old_one_only_when_complete(tmp_path: Path) -> None:
    path = tmp_path / "part-run.parquet"
    write_part(path, _table([{"doc_id": "d1", "n": 1}]))
    with (
        pytest.raises(ValueError, match="schema does not match"),
        staged_writer(path, SCHEMA) as writer,
    ):
        writer.write_table(_table([{"doc_id": "d1", "n": 2}]))
        writer.write_table(pyarrow.table({"other": [1]}))  # not the part's schema
    assert pq.read_table(path).to_pylist() == [{"doc_id": "d1", "n": 1}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part-run.parquet"]
    with staged_writer(path, SCHEMA) as writer:
        writer.write_table(_table([{"doc_id": "d1", "n": 2}]))
        writer.write_table(_table([{"doc_id": "d2", "n": 3}]))
    assert pq.read_table(path).num_rows == 2


def test_staged_rows_keeps_the_last_part_s_row_of_a_key(tmp_path: Path) -> None:
    write_part(
        tmp_path / "part-000000.parquet",
        _table([{"doc_id": "d1", "n": 1}, {"doc_id": "d2", "n": 2}]),
    )
    write_part(tmp_path / "part-000001.parquet", _table([{"doc_id": "d3", "n": 3}]))
    # The run-level part sorts last and replaces the batches' row for the same key.
    write_part(tmp_path / "part-zz-run.parquet", _table([{"doc_id": "d1", "n": 10}]))
    assert staged_rows(tmp_path, "doc_id") == [
        {"doc_id": "d1", "n": 10},
        {"doc_id": "d2", "n": 2},
        {"doc_id": "d3", "n": 3},
    ]


def test_nothing_staged_is_no_rows(tmp_path: Path) -> None:
    assert staged_rows(tmp_path / "rejects", "reject_id") == []
    (tmp_path / "rejects").mkdir()
    assert staged_rows(tmp_path / "rejects", "reject_id") == []


def test_discarding_staging_keeps_only_what_is_asked(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    for run in ("run-1", "run-2", "run-3"):
        write_part(staging / run / "files" / "part-000000.parquet", _table([]))
    discard_staging(staging, keep=["run-2"])
    assert [p.name for p in staging.iterdir()] == ["run-2"]
    discard_staging(staging)
    assert list(staging.iterdir()) == []
    discard_staging(tmp_path / "never-made")  # no staging yet: nothing to do
    assert not (tmp_path / "never-made").exists()


def test_a_list_of_parts_in_sql_quotes_each_path() -> None:
    assert parquet_list([Path("/w/a.parquet"), Path("/o'brien/b.parquet")]) == (
        "['/w/a.parquet', '/o''brien/b.parquet']"
    )
    assert parquet_list([]) == "[]"
