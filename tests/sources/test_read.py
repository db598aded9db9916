"""Reading one file of the articles folder: only the folder is read (a link leaving it is
refused), a file that cannot be read is rejected with the reason, never raised, and a file
of another format is listed and not read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import ingest_settings, write_file

from newsfigures.sources.read import read_file
from newsfigures.sources.records import FileReject, RawDocument, Skipped

SETTINGS = ingest_settings()


def test_a_vanished_file_is_rejected_not_raised(tmp_path: Path) -> None:
    result = read_file(tmp_path / "gone.txt", tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_vanished"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_rejected(tmp_path: Path) -> None:
    path = write_file(tmp_path, "locked.txt", b"text")
    path.chmod(0)
    result = read_file(path, tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_unreadable"


def test_a_fifo_named_like_an_article_is_rejected_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    result = read_file(tmp_path / "pipe.txt", tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_not_regular"


def test_a_symlink_loop_is_rejected(tmp_path: Path) -> None:
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    result = read_file(tmp_path / "a.txt", tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_unreadable"
    assert "symbolic links" in result.reason


def test_a_path_that_cannot_be_read_as_a_file_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    result = read_file(tmp_path / "folder.txt", tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_not_regular"


def test_a_link_to_a_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    outside = write_file(tmp_path, "secret.txt", b"Some 200 fighters surrendered.")
    seeds.mkdir()
    os.symlink(outside, seeds / "innocent.txt")
    os.symlink("/etc/passwd", seeds / "passwd.txt")
    for name in ("innocent.txt", "passwd.txt"):
        result = read_file(seeds / name, seeds, SETTINGS)
        assert isinstance(result, FileReject) and result.check_name == "file_outside_folder"
        assert "outside the articles folder" in result.reason


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    write_file(tmp_path, "sub/real.txt", b"Some 200 fighters surrendered.")
    os.symlink(tmp_path / "sub" / "real.txt", tmp_path / "alias.txt")
    result = read_file(tmp_path / "alias.txt", tmp_path, SETTINGS)
    assert isinstance(result, RawDocument) and result.source_file == "alias.txt"


def test_a_file_of_another_format_is_listed_not_read(tmp_path: Path) -> None:
    result = read_file(write_file(tmp_path, "photo.jpg", b"\xff\xd8\xff"), tmp_path, SETTINGS)
    assert isinstance(result, Skipped) and result.check_name == "not_an_article"
    assert "reads *.txt, *.jsonl" in result.reason and result.n_bytes == 3


@pytest.mark.parametrize(
    ("name", "check"), [("report.pdf", "file_pdf"), ("memo.docx", "file_docx")]
)
def test_pdf_and_word_files_are_quarantined_with_advice(
    tmp_path: Path, name: str, check: str
) -> None:
    result = read_file(write_file(tmp_path, name, b"%PDF-1.7"), tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == check
    assert "text" in result.reason and result.n_bytes == 8


def test_a_file_over_the_limit_is_not_read_and_says_by_how_much(tmp_path: Path) -> None:
    path = write_file(tmp_path, "big.txt", b"x" * 1001)
    result = read_file(path, tmp_path, SETTINGS)
    assert result == FileReject(
        "big.txt",
        "file_too_large",
        "1,001 bytes is over the 1,000-byte limit",
        1001,
        path.stat().st_mtime_ns,
    )
    at_limit = write_file(tmp_path, "limit.txt", b"x" * 1000)
    assert isinstance(read_file(at_limit, tmp_path, SETTINGS), RawDocument)


def test_a_document_is_named_by_its_path_in_the_folder_with_its_size_and_time(
    tmp_path: Path,
) -> None:
    path = write_file(tmp_path, "2019/march/a.txt", b"Some 200 men left.")
    doc = read_file(path, tmp_path, SETTINGS)
    assert isinstance(doc, RawDocument)
    assert (doc.source_file, doc.n_bytes, doc.mtime_ns) == (
        "2019/march/a.txt",
        18,
        path.stat().st_mtime_ns,
    )


def test_a_link_to_a_folder_inside_is_listed_not_read(tmp_path: Path) -> None:
    write_file(tmp_path, "sub/a.txt", b"Some 200 men left.")
    os.symlink(tmp_path / "sub", tmp_path / "also-sub")
    result = read_file(tmp_path / "also-sub", tmp_path, SETTINGS)
    assert isinstance(result, Skipped) and result.check_name == "folder_link"
    assert "its files are read there" in result.reason


def test_the_formats_read_are_the_declared_ones(tmp_path: Path) -> None:
    settings = ingest_settings(include=["*.txt", "*.md"])
    notes = write_file(tmp_path, "notes.md", b"Some 200 men left.")
    assert isinstance(read_file(notes, tmp_path, settings), RawDocument)
    page = read_file(write_file(tmp_path, "slides.odp", b"PK"), tmp_path, settings)
    assert isinstance(page, Skipped) and page.reason.startswith(
        "not an article format (reads *.txt, *.md, *.jsonl"
    )
