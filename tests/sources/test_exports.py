"""Exports (JSON lines, JSON arrays, CSV, Parquet): one document per record, named by its
line or row; a bad record is quarantined with its place and the rest loads; the record's
title, date, url and outlet come with the document."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow
import pyarrow.parquet
from support import ingest_settings, write_file

from newsfigures.sources.exports import parse_day, with_title
from newsfigures.sources.read import read_records
from newsfigures.sources.records import FileReject, RawDocument

SETTINGS = ingest_settings(max_bytes=100_000)
ARTICLE = {
    "title": "Floods cut off 12 villages",
    "text": "Floods cut off 12 villages in the valley on Monday, officials said.",
    "published": "2024-05-03T08:30:00Z",
    "url": "https://example.org/floods",
    "outlet": "Valley Dispatch",
}


def _lines(*records: object) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


def test_each_json_line_is_a_document_named_by_its_line(tmp_path: Path) -> None:
    other = {**ARTICLE, "title": "Storm", "text": "A storm left 300 homes without power."}
    path = write_file(tmp_path, "feed.jsonl", _lines(ARTICLE, "", other))
    first, second = read_records(path, tmp_path, SETTINGS)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.source_file, second.source_file) == ("feed.jsonl#line=1", "feed.jsonl#line=3")
    assert first.reader == "json_lines" and first.source_record == "line=1"
    # The headline stands above the text, as in the article; the text already opens with it.
    assert second.text == "Storm\n\nA storm left 300 homes without power."
    assert first.text == ARTICLE["text"]
    given = first.given
    assert given is not None and given.source == "record"
    assert (given.title, given.published, given.url, given.outlet) == (
        "Floods cut off 12 villages",
        date(2024, 5, 3),
        "https://example.org/floods",
        "Valley Dispatch",
    )


def test_a_bad_line_is_quarantined_with_its_number_and_the_rest_loads(tmp_path: Path) -> None:
    no_text = {"title": "Only a title"}
    bad_date = {**ARTICLE, "published": "last Tuesday"}
    data = _lines(ARTICLE, "{not json", [1, 2], no_text, bad_date)
    outcomes = read_records(write_file(tmp_path, "feed.jsonl", data), tmp_path, SETTINGS)
    assert isinstance(outcomes[0], RawDocument)
    rejects = outcomes[1:]
    assert all(isinstance(r, FileReject) and r.check_name == "record_invalid" for r in rejects)
    assert [r.line for r in rejects] == [2, 3, 4, 5]
    assert rejects[0].source_file == "feed.jsonl#line=2"
    reasons = [r.reason for r in rejects]
    assert "not valid JSON" in reasons[0] and "found an array" in reasons[1]
    assert "no article text" in reasons[2] and "'last Tuesday' is not an ISO 8601" in reasons[3]


def test_a_json_array_gives_one_document_per_object(tmp_path: Path) -> None:
    data = json.dumps([ARTICLE, {"body": "Some 40 people were rescued.", "date": "2024-01-02"}])
    outcomes = read_records(write_file(tmp_path, "feed.json", data.encode()), tmp_path, SETTINGS)
    assert [o.source_file for o in outcomes] == ["feed.json#item=1", "feed.json#item=2"]
    assert outcomes[1].given.published == date(2024, 1, 2)  # type: ignore[union-attr]


def test_a_json_file_that_is_not_an_array_is_one_reject(tmp_path: Path) -> None:
    path = write_file(tmp_path, "feed.json", b'{"text": "x"}')
    (reject,) = read_records(path, tmp_path, SETTINGS)
    assert isinstance(reject, FileReject) and reject.check_name == "file_invalid_export"
    assert reject.source_file == "feed.json" and "JSON array" in reject.reason


def test_csv_rows_are_documents_and_a_short_row_is_quarantined(tmp_path: Path) -> None:
    data = (
        "title,text,published,url,outlet\r\n"
        '"Quake","A quake damaged 1,200 buildings,\nofficials said.",2023-02-06,,Wire\r\n'
        "Broken row,only two\r\n"
        ',"Some 15 boats sank.",,,\r\n'
    )
    outcomes = read_records(write_file(tmp_path, "feed.csv", data.encode()), tmp_path, SETTINGS)
    quake, broken, boats = outcomes
    assert isinstance(quake, RawDocument) and quake.source_file == "feed.csv#row=1"
    assert quake.text == "Quake\n\nA quake damaged 1,200 buildings,\nofficials said."
    assert quake.given is not None and quake.given.url is None and quake.given.outlet == "Wire"
    assert isinstance(broken, FileReject) and broken.source_file == "feed.csv#row=2"
    assert broken.line == 4 and "2 fields where the header has 5" in broken.reason
    assert isinstance(boats, RawDocument) and boats.given.title is None  # type: ignore[union-attr]


def test_a_csv_without_a_text_column_says_which_it_expected(tmp_path: Path) -> None:
    path = write_file(tmp_path, "feed.csv", b"headline,when\nA,2024-01-01\n")
    (reject,) = read_records(path, tmp_path, SETTINGS)
    assert isinstance(reject, FileReject) and "expected one of text, body" in reject.reason


def test_parquet_rows_are_documents(tmp_path: Path) -> None:
    table = pyarrow.table(
        {"text": ["Some 40 people were rescued."], "published": [date(2024, 1, 2)]}
    )
    pyarrow.parquet.write_table(table, tmp_path / "feed.parquet")
    (document,) = read_records(tmp_path / "feed.parquet", tmp_path, SETTINGS)
    assert isinstance(document, RawDocument) and document.source_file == "feed.parquet#row=1"
    assert document.given is not None and document.given.published == date(2024, 1, 2)


def test_empty_and_undecodable_exports_are_rejected_whole(tmp_path: Path) -> None:
    (empty,) = read_records(write_file(tmp_path, "a.jsonl", b"\n\n"), tmp_path, SETTINGS)
    (latin,) = read_records(
        write_file(tmp_path, "b.jsonl", b'{"text": "caf\xe9"}'), tmp_path, SETTINGS
    )
    assert isinstance(empty, FileReject) and empty.check_name == "file_empty"
    assert isinstance(latin, FileReject) and "not UTF-8" in latin.reason


def test_dates_are_read_as_written() -> None:
    assert parse_day("2024-05-03T23:30:00-05:00") == date(2024, 5, 3)
    assert parse_day("2024-05-03") == date(2024, 5, 3)
    assert parse_day("03/05/2024") is None and parse_day(20240503) is None


def test_the_title_is_put_above_the_text_once() -> None:
    assert with_title("Body.", "Head") == "Head\n\nBody."
    assert with_title("Head\nBody.", "Head") == "Head\nBody."
    assert with_title("Body.", None) == "Body."
