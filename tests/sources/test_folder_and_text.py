"""Sources: every file of the folder becomes a document, a reject that says why, or a file
listed and not read; only the folder is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsfigures.config.settings import Ingest
from newsfigures.sources.folder import discover
from newsfigures.sources.read import read_file
from newsfigures.sources.records import FileReject, RawDocument, Skipped, content_id

SETTINGS = Ingest(
    include=["*.txt"],
    exclude=[".*"],
    encodings=["utf-8", "cp1252"],
    max_bytes=1000,
    html_markers=["<!doctype html"],
    sidecar_suffix=".meta.json",
)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_discover_lists_every_file_but_the_excluded_recursively_sorted(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", "notes.csv", ".hidden.txt", ".git/x"):
        _write(tmp_path, name, b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path, [".*"])]
    assert found == ["a.txt", "b.txt", "notes.csv", "sub/c.txt"]


def test_discover_does_not_follow_a_symlink_loop(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", b"x")
    os.symlink(tmp_path, tmp_path / "loop")
    assert [p.name for p in discover(tmp_path)] == ["a.txt", "loop"]
    listed = read_file(tmp_path / "loop", tmp_path, SETTINGS)
    assert isinstance(listed, Skipped) and listed.check_name == "folder_link"


def test_utf8_is_read_with_its_offsets_and_a_stable_content_id(tmp_path: Path) -> None:
    data = "Some 200 fighters’ families\r\nleft.".encode()
    doc = read_file(_write(tmp_path, "a.txt", data), tmp_path, SETTINGS)
    assert isinstance(doc, RawDocument)
    assert doc.text == "Some 200 fighters’ families\r\nleft."
    assert doc.encoding == "utf-8"
    assert doc.doc_id == content_id(data) and len(doc.doc_id) == 16


def test_cp1252_falls_back_and_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    cp = read_file(
        _write(tmp_path, "cp.txt", "café “200” men".encode("cp1252")), tmp_path, SETTINGS
    )
    assert isinstance(cp, RawDocument) and cp.encoding == "cp1252" and cp.text == "café “200” men"
    bom = read_file(_write(tmp_path, "bom.txt", b"\xef\xbb\xbfHello"), tmp_path, SETTINGS)
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
    result = read_file(_write(tmp_path, "bad.txt", data), tmp_path, SETTINGS)
    assert isinstance(result, FileReject)
    assert result.check_name == check
    assert result.source_file == "bad.txt" and result.reason


def test_a_vanished_file_is_rejected_not_raised(tmp_path: Path) -> None:
    result = read_file(tmp_path / "gone.txt", tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_vanished"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked.txt", b"text")
    path.chmod(0)
    result = read_file(path, tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_unreadable"


def test_html_pages_are_rejected(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html>\n<html><body><p>Some 200 fighters surrendered.</p></body></html>"
    result = read_file(_write(tmp_path, "page.txt", page), tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_html"


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


def test_plan_skips_unchanged_files_and_lists_deleted_ones(tmp_path: Path) -> None:
    from newsfigures.sources.folder import KnownFile, plan

    same = _write(tmp_path, "same.txt", b"one")
    changed = _write(tmp_path, "changed.txt", b"two")
    _write(tmp_path, "new.txt", b"three")
    manifest = {
        "same.txt": KnownFile("d1", same.stat().st_size, same.stat().st_mtime_ns, "loaded"),
        "changed.txt": KnownFile("d2", 99, changed.stat().st_mtime_ns, "loaded"),
        "gone.txt": KnownFile("d3", 1, 1, "loaded"),
    }
    result = plan(discover(tmp_path), tmp_path, manifest)
    assert result.unchanged == ["same.txt"]
    assert sorted(p.name for p in result.to_read) == ["changed.txt", "new.txt"]
    assert result.deleted == ["gone.txt"]


def test_a_path_that_cannot_be_read_as_a_file_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    result = read_file(tmp_path / "folder.txt", tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_not_regular"


def test_a_link_to_a_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    outside = _write(tmp_path, "secret.txt", b"Some 200 fighters surrendered.")
    seeds.mkdir()
    os.symlink(outside, seeds / "innocent.txt")
    os.symlink("/etc/passwd", seeds / "passwd.txt")
    for name in ("innocent.txt", "passwd.txt"):
        result = read_file(seeds / name, seeds, SETTINGS)
        assert isinstance(result, FileReject) and result.check_name == "file_outside_folder"
        assert "outside the articles folder" in result.reason


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    _write(tmp_path, "sub/real.txt", b"Some 200 fighters surrendered.")
    os.symlink(tmp_path / "sub" / "real.txt", tmp_path / "alias.txt")
    result = read_file(tmp_path / "alias.txt", tmp_path, SETTINGS)
    assert isinstance(result, RawDocument) and result.source_file == "alias.txt"


def test_a_linked_folder_outside_is_refused_not_walked(tmp_path: Path) -> None:
    seeds, elsewhere = tmp_path / "seeds", tmp_path / "elsewhere"
    _write(elsewhere, "a.txt", b"x")
    seeds.mkdir()
    os.symlink(elsewhere, seeds / "linked")
    assert [p.name for p in discover(seeds)] == ["linked"]
    result = read_file(seeds / "linked", seeds, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_outside_folder"


def test_a_file_of_another_format_is_listed_not_read(tmp_path: Path) -> None:
    result = read_file(_write(tmp_path, "report.pdf", b"%PDF-1.7"), tmp_path, SETTINGS)
    assert isinstance(result, Skipped) and result.check_name == "not_an_article"
    assert "reads *.txt" in result.reason and result.n_bytes == 8
