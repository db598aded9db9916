"""Ingest stage: every file becomes a document or a reject that says why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsfigures.ingest import FileReject, RawDocument, content_id, discover, read_article

SETTINGS = {"encodings": ["utf-8", "cp1252"], "max_bytes": 1000}


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_discover_is_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", "notes.csv", ".hidden.txt"):
        _write(tmp_path, name, b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path, ["*.txt"])]
    assert found == ["a.txt", "b.txt", "sub/c.txt"]


def test_discover_does_not_follow_a_symlink_loop(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", b"x")
    os.symlink(tmp_path, tmp_path / "loop")
    assert [p.name for p in discover(tmp_path, ["*.txt"])] == ["a.txt"]


def test_utf8_is_read_with_its_offsets_and_a_stable_content_id(tmp_path: Path) -> None:
    data = "Some 200 fighters’ families\r\nleft.".encode()
    doc = read_article(_write(tmp_path, "a.txt", data), tmp_path, SETTINGS)
    assert isinstance(doc, RawDocument)
    assert doc.text == "Some 200 fighters’ families\r\nleft."
    assert doc.encoding == "utf-8"
    assert doc.doc_id == content_id(data) and len(doc.doc_id) == 16


def test_cp1252_falls_back_and_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    cp = read_article(
        _write(tmp_path, "cp.txt", "café “200” men".encode("cp1252")), tmp_path, SETTINGS
    )
    assert isinstance(cp, RawDocument) and cp.encoding == "cp1252" and cp.text == "café “200” men"
    bom = read_article(_write(tmp_path, "bom.txt", b"\xef\xbb\xbfHello"), tmp_path, SETTINGS)
    assert isinstance(bom, RawDocument) and bom.text == "Hello"


@pytest.mark.parametrize(
    ("data", "check"),
    [
        (b"", "file_empty"),
        (b"  \n\t ", "file_empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "file_binary"),
        (b"x" * 1001, "file_too_large"),
        (b"\x81\x8d\x8f caf\xe9", "file_undecodable"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path: Path, data: bytes, check: str) -> None:
    result = read_article(_write(tmp_path, "bad.txt", data), tmp_path, SETTINGS)
    assert isinstance(result, FileReject)
    assert result.check_name == check
    assert result.source_file == "bad.txt" and result.reason


def test_a_vanished_file_is_rejected_not_raised(tmp_path: Path) -> None:
    result = read_article(tmp_path / "gone.txt", tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_vanished"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked.txt", b"text")
    path.chmod(0)
    result = read_article(path, tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_unreadable"


def test_html_pages_are_rejected(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html>\n<html><body><p>Some 200 fighters surrendered.</p></body></html>"
    result = read_article(
        _write(tmp_path, "page.txt", page),
        tmp_path,
        {**SETTINGS, "html_markers": ["<!doctype html"]},
    )
    assert isinstance(result, FileReject) and result.check_name == "file_html"


def test_a_fifo_named_like_an_article_is_rejected_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    result = read_article(tmp_path / "pipe.txt", tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_not_regular"


def test_a_symlink_loop_is_rejected(tmp_path: Path) -> None:
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    result = read_article(tmp_path / "a.txt", tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_unreadable"
    assert "symbolic links" in result.reason


def test_plan_skips_unchanged_files_and_lists_deleted_ones(tmp_path: Path) -> None:
    from newsfigures.ingest import KnownFile, plan

    same = _write(tmp_path, "same.txt", b"one")
    changed = _write(tmp_path, "changed.txt", b"two")
    _write(tmp_path, "new.txt", b"three")
    manifest = {
        "same.txt": KnownFile("d1", same.stat().st_size, same.stat().st_mtime_ns, "loaded"),
        "changed.txt": KnownFile("d2", 99, changed.stat().st_mtime_ns, "loaded"),
        "gone.txt": KnownFile("d3", 1, 1, "loaded"),
    }
    result = plan(discover(tmp_path, ["*.txt"]), tmp_path, manifest)
    assert result.unchanged == ["same.txt"]
    assert sorted(p.name for p in result.to_read) == ["changed.txt", "new.txt"]
    assert result.deleted == ["gone.txt"]


def test_a_path_that_cannot_be_read_as_a_file_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    result = read_article(tmp_path / "folder.txt", tmp_path, {**SETTINGS, "max_bytes": 10**9})
    assert isinstance(result, FileReject) and result.check_name == "file_not_regular"
