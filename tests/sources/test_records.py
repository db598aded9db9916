"""What a reader makes of a file: a document, a reject or a file listed and not read, and the
document id, which is the content's, not the file's."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from newsfigures.sources.records import FileReject, RawDocument, Skipped, content_id


def test_the_content_id_is_the_start_of_the_sha256_of_the_bytes() -> None:
    data = "Some 200 fighters’ families left.".encode()
    assert content_id(data) == hashlib.sha256(data).hexdigest()[:16]
    assert len(content_id(b"")) == 16 and content_id(b"") == "e3b0c44298fc1c14"


def test_identical_bytes_are_one_document_and_any_change_is_another() -> None:
    text = "Some 200 fighters surrendered.\n"
    assert content_id(text.encode()) == content_id(text.encode())
    assert content_id(text.encode()) != content_id(text.replace("\n", "\r\n").encode())
    assert content_id(text.encode()) != content_id(text.encode("utf-16"))


def test_a_file_not_read_records_no_size_or_time_unless_known() -> None:
    reject = FileReject("gone.txt", "file_vanished", "the file disappeared")
    skipped = Skipped("report.pdf", "not_an_article", "not an article format", 8, 5)
    assert (reject.n_bytes, reject.mtime_ns) == (0, 0)
    assert (skipped.n_bytes, skipped.mtime_ns) == (8, 5)
    assert RawDocument("a.txt", "d1", "text", "utf-8", 4).mtime_ns == 0


@pytest.mark.parametrize(
    "record",
    [
        RawDocument("a.txt", "d1", "text", "utf-8", 4),
        FileReject("a.txt", "file_empty", "empty"),
        Skipped("a.pdf", "not_an_article", "pdf"),
    ],
)
def test_records_cannot_be_changed_once_made(record: object) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.source_file = "b.txt"  # type: ignore[attr-defined]
    assert record.source_file in ("a.txt", "a.pdf")
