"""The plain-text reader: bytes decoded by the first declared encoding that takes them all,
a byte order mark dropped; empty, binary, HTML and undecodable files rejected with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ingest_settings, write_file

from newsfigures.sources.read import read_file
from newsfigures.sources.records import FileReject, RawDocument, content_id
from newsfigures.sources.text import decode, read_text

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


def test_decode_takes_the_first_encoding_that_decodes_every_byte() -> None:
    assert decode("café".encode(), ["utf-8", "cp1252"]) == ("café", "utf-8")
    assert decode(b"caf\xe9", ["utf-8", "cp1252"]) == ("café", "cp1252")
    # An encoding Python does not know is passed over, not raised.
    assert decode(b"caf\xe9", ["utf-8", "klingon", "latin-1"]) == ("café", "latin-1")
    assert decode(b"\x81\x8d\x8f", ["utf-8", "cp1252"]) is None
    assert decode(b"text", []) is None


def test_decode_drops_a_byte_order_mark_only_at_the_start() -> None:
    assert decode("\ufeffHello \ufeff".encode(), ["utf-8"]) == ("Hello \ufeff", "utf-8")


def test_read_text_keeps_the_size_and_time_it_is_given() -> None:
    doc = read_text(b"Some 200 men left.", "sub/a.txt", 18, 12345, SETTINGS)
    assert doc == RawDocument(
        "sub/a.txt", content_id(b"Some 200 men left."), "Some 200 men left.", "utf-8", 18, 12345
    )
    reject = read_text(b"", "sub/b.txt", 0, 678, SETTINGS)
    assert reject == FileReject(
        "sub/b.txt", "file_empty", "the file is empty or only white space", 0, 678
    )


@pytest.mark.parametrize(
    ("data", "check"),
    [
        # HTML is recognised after leading white space and whatever its case.
        (b"  \n<!DOCTYPE HTML>\n<p>200 men</p>", "file_html"),
        # A NUL byte anywhere in the first 8 KiB: binary, before any decoding.
        (b"Some 200 men" + b"\x00" + b"x" * 100, "file_binary"),
    ],
)
def test_what_text_a_file_is_not(data: bytes, check: str) -> None:
    result = read_text(data, "a.txt", len(data), 1, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == check


def test_an_html_marker_the_settings_do_not_declare_is_text() -> None:
    page = b"<html><body>Some 200 men left.</body></html>"
    assert isinstance(read_text(page, "a.txt", len(page), 1, SETTINGS), RawDocument)
    declared = ingest_settings(html_markers=["<html"])
    assert read_text(page, "a.txt", len(page), 1, declared).check_name == "file_html"


def test_undecodable_bytes_name_the_encodings_tried() -> None:
    reject = read_text(b"\x81\x8d\x8f caf\xe9", "a.txt", 9, 1, SETTINGS)
    assert reject.reason == "the bytes are not valid in any of: utf-8, cp1252"
    assert isinstance(
        read_text(b"caf\xe9", "a.txt", 4, 1, ingest_settings(encodings=["utf-8"])), FileReject
    )
