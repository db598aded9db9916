"""The run session: the run's staged parts and the committed state in one in-memory DuckDB,
where the manifest the run will leave, each affected document's files and the warehouse
documents sharing sentences with the run are set operations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pyarrow
import pytest

from newsfigures.config import Project
from newsfigures.load.session import partner_files, run_session
from newsfigures.load.staging import write_part

STATE_FILES = [
    ("a.txt", "d1", "loaded"),
    ("b.txt", "d2", "loaded"),
    ("c.txt", "d1", "duplicate"),
    ("gone.txt", "d3", "loaded"),
    ("retired.txt", "d4", "loaded"),
    ("bad.txt", None, "rejected"),
]
STATE_DOCUMENTS = [
    ("d1", "a.txt", date(2019, 1, 1), None),
    ("d2", "b.txt", date(2019, 1, 2), None),
    ("d3", "gone.txt", date(2019, 1, 3), None),
    ("d4", "retired.txt", date(2019, 1, 4), "2019-02-01 00:00:00"),
]
STATE_SENTENCES = [("d1", 12), ("d2", 10), ("d2", 11), ("d3", 10), ("d4", 10)]


def _state(path: Path) -> Path:
    """A committed state: a.txt and c.txt hold d1, b.txt d2, gone.txt d3, d4 is retired."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE files (source_file VARCHAR, doc_id VARCHAR, status VARCHAR)")
        con.executemany("INSERT INTO files VALUES (?, ?, ?)", STATE_FILES)
        con.execute(
            "CREATE TABLE documents (doc_id VARCHAR, source_file VARCHAR, "
            "published_date DATE, retired_at TIMESTAMP)"
        )
        con.executemany("INSERT INTO documents VALUES (?, ?, ?, ?)", STATE_DOCUMENTS)
        con.execute("CREATE TABLE document_sentences (doc_id VARCHAR, sentence_hash BIGINT)")
        con.executemany("INSERT INTO document_sentences VALUES (?, ?)", STATE_SENTENCES)
    return path


def _stage(staged: Path, part: str, files: list, documents: list, sentences: list) -> None:
    write_part(
        staged / "files" / part,
        pyarrow.Table.from_pylist(
            [{"source_file": f, "doc_id": d, "status": s} for f, d, s in files],
            schema=pyarrow.schema(
                [
                    ("source_file", pyarrow.string()),
                    ("doc_id", pyarrow.string()),
                    ("status", pyarrow.string()),
                ]
            ),
        ),
    )
    write_part(
        staged / "documents" / part,
        pyarrow.Table.from_pylist(
            [
                {"doc_id": d, "source_file": f, "published_date": p, "date_suspect": None}
                for d, f, p in documents
            ],
            schema=pyarrow.schema(
                [
                    ("doc_id", pyarrow.string()),
                    ("source_file", pyarrow.string()),
                    ("published_date", pyarrow.date32()),
                    ("date_suspect", pyarrow.string()),
                ]
            ),
        ),
    )
    write_part(
        staged / "document_sentences" / part,
        pyarrow.Table.from_pylist(
            [{"doc_id": d, "sentence_hash": h} for d, h in sentences],
            schema=pyarrow.schema(
                [("doc_id", pyarrow.string()), ("sentence_hash", pyarrow.int64())]
            ),
        ),
    )


@pytest.fixture
def session(project: Project, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A run that read x.txt (new: d5) and a.txt (its text changed: d6), and lost gone.txt."""
    state = _state(tmp_path / ".state" / "state.duckdb")
    staged = tmp_path / "staging" / "run"
    _stage(
        staged,
        "part-000000.parquet",
        [("x.txt", "d5", "loaded"), ("a.txt", "d6", "loaded")],
        [("d5", "x.txt", date(2019, 6, 1)), ("d6", "a.txt", date(2019, 1, 1))],
        [("d5", 10), ("d5", 11)],
    )
    with run_session(state, staged, project.settings.warehouse, ["gone.txt"]) as con:
        yield con


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql + " ORDER BY ALL").fetchall()


def test_the_manifest_the_run_will_leave(session: duckdb.DuckDBPyConnection) -> None:
    assert _rows(session, "SELECT * FROM run_manifest") == [
        ("a.txt", "d6", "loaded"),  # read again: its staged row
        ("b.txt", "d2", "loaded"),  # not read: its committed row
        ("bad.txt", None, "rejected"),
        ("c.txt", "d1", "duplicate"),
        ("retired.txt", "d4", "loaded"),
        ("x.txt", "d5", "loaded"),
        # gone.txt is deleted
    ]
    # What a.txt and gone.txt held before, and what the run read.
    assert _rows(session, "SELECT * FROM old_docs") == [("d1",), ("d3",)]
    assert _rows(session, "SELECT * FROM affected_docs") == [("d1",), ("d3",), ("d5",), ("d6",)]


def test_canonical_is_each_affected_document_still_held_with_all_its_files(
    session: duckdb.DuckDBPyConnection,
) -> None:
    assert _rows(session, "SELECT * FROM canonical") == [
        # a.txt holds other text now: d1 is c.txt's, which becomes its file.
        ("d1", "c.txt", ["c.txt"]),
        ("d5", "x.txt", ["x.txt"]),
        ("d6", "a.txt", ["a.txt"]),
        # d3 lost its only file: no row (the commit retires or removes it).
    ]


def test_partners_share_a_sentence_and_are_neither_read_retired_nor_orphaned(
    session: duckdb.DuckDBPyConnection,
) -> None:
    # d2 shares 10 and 11; d3 shares 10 but loses its file; d4 is retired; d1 shares nothing.
    assert _rows(session, "SELECT * FROM partner_documents") == [("d2", "b.txt", date(2019, 1, 2))]
    assert partner_files(session) == ["b.txt"]
    assert _rows(session, "SELECT * FROM syndication_documents") == [
        ("d2", "b.txt", date(2019, 1, 2), None, False, None),
        ("d5", "x.txt", date(2019, 6, 1), None, True, 1),
        ("d6", "a.txt", date(2019, 1, 1), None, True, 2),
    ]
    # The partners' sentences: only those shared with the run.
    assert _rows(session, "SELECT * FROM syndication_sentences") == [
        ("d2", 10),
        ("d2", 11),
        ("d5", 10),
        ("d5", 11),
    ]


def test_a_document_staged_twice_is_the_run_s_once_in_staging_order(
    project: Project, tmp_path: Path
) -> None:
    staged = tmp_path / "staging" / "run"
    _stage(staged, "part-000000.parquet", [("z.txt", "d7", "loaded")], [("d7", "z.txt", None)], [])
    _stage(
        staged,
        "part-000001.parquet",
        [("y.txt", "d8", "loaded"), ("a-copy.txt", "d7", "loaded")],
        [("d8", "y.txt", None), ("d7", "a-copy.txt", None)],
        [],
    )
    state = tmp_path / ".state" / "state.duckdb"  # no committed run yet
    with run_session(state, staged, project.settings.warehouse, []) as con:
        assert _rows(con, "SELECT doc_id, source_file, position FROM run_documents") == [
            # Named after its first file by name, placed where it was first staged.
            ("d7", "a-copy.txt", 1),
            ("d8", "y.txt", 2),
        ]
        assert _rows(con, "SELECT * FROM canonical") == [
            ("d7", "a-copy.txt", ["a-copy.txt", "z.txt"]),
            ("d8", "y.txt", ["y.txt"]),
        ]
        assert partner_files(con) == []


def test_a_session_over_nothing_staged_and_no_state_is_empty(
    project: Project, tmp_path: Path
) -> None:
    with run_session(
        tmp_path / "state.duckdb", tmp_path / "staged", project.settings.warehouse, []
    ) as con:
        for view in ("run_manifest", "canonical", "run_documents", "partner_documents"):
            assert _rows(con, f"SELECT count(*) FROM {view}") == [(0,)], view
