"""The plain-text reader: bytes decoded by the first declared encoding that takes them all,
a byte order mark dropped; empty, binary, HTML and undecodable files rejected with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ingest_settings, write_file

from newsfigures.sources.read import read_file
from newsfigures.sources.records import FileReject, RawDocument, content_id

SETTINGS = ingest_settings()


def test_utf8_is_read_with_its_offsets_and_a_stable_content_id(tmp_path: Path) -> None:
    data = "Some 200 fighters’ families\r\nleft.".encode()
    doc = read_file(write_file(tmp_path, "a.txt", data), tmp_path, SETTINGS)
    assert isinstance(doc, RawDocument)
    assert doc.text == "Some 200 fighters’ families\r\nleft."
    assert doc.encoding == "utf-8"
    assert doc.doc_id == content_id(data) and len(doc.doc_id) == 16


def test_cp1252_falls_back_and_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    cp = read_file(
        write_file(tmp_path, "cp.txt", "café “200” men".encode("cp1252")), tmp_path, SETTINGS
    )
    assert isinstance(cp, RawDocument) and cp.encoding == "cp1252" and cp.text == "café “200” men"
    bom = read_file(write_file(tmp_path, "bom.txt", b"\xef\xbb\xbfHello"), tmp_path, SETTINGS)
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
    result = read_file(write_file(tmp_path, "bad.txt", data), tmp_path, SETTINGS)
    assert isinstance(result, FileReject)
    assert result.check_name == check
    assert result.source_file == "bad.txt" and result.reason


def test_html_pages_are_rejected(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html>\n<html><body><p>Some 200 fighters surrendered.</p></body></html>"
    result = read_file(write_file(tmp_path, "page.txt", page), tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_html"
