"""Exports of news APIs and media-monitoring tools: JSON lines, JSON arrays, CSV and Parquet
files holding one article per record, its fields named by `ingest.fields`.

Each record is a document of its own, named FILE#line=N (JSON lines: the line in the file),
FILE#item=N (JSON array: the object's place, from 1), FILE#row=N (CSV, Parquet: the data
row, from 1). A record that cannot be an article (not an object, no text, a date that is not
ISO 8601) is quarantined with its line or row and the reason; the others load. A file that
cannot be read as its format at all is one reject, with the reason.

The record's title is put above its text, as a headline stands above an article, so the
text the figures point into reads as the article does; its title, date, url and outlet win
over what the text grammar reads (`GivenMetadata`, `published_date_source: record`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pyarrow.parquet

from newsfigures.config.settings import Ingest, RecordFields
from newsfigures.sources.records import (
    FileReject,
    GivenMetadata,
    RawDocument,
    content_id,
    record_key,
)

EXPORT_READERS = ("json_lines", "json_array", "csv", "parquet")
INVALID_FILE = "file_invalid_export"
INVALID_RECORD = "record_invalid"


def read_export(
    reader: str, data: bytes, source: str, size: int, mtime: int, settings: Ingest
) -> list[RawDocument | FileReject]:
    """Every record of an export file, as a document or a reject; at least one outcome."""
    if not data.strip():
        return [
            FileReject(source, "file_empty", "the file is empty or only white space", size, mtime)
        ]
    try:
        records = list(_RECORDS[reader](data, settings))
    except _Unreadable as exc:
        return [FileReject(source, INVALID_FILE, str(exc), size, mtime)]
    if not records:
        return [FileReject(source, "file_empty", f"no records in this {reader} file", size, mtime)]
    return [
        _document(values, reader, source, locator, line, size, mtime, settings.fields)
        for locator, line, values in records
    ]


class _Unreadable(ValueError):
    """The whole file cannot be read as its format."""


# (locator, line in the file or None, the record's values or why it is not a record)
_Record = tuple[str, int | None, dict[str, Any] | str]


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _Unreadable(f"not UTF-8 (byte {exc.start}): exports are read as UTF-8") from exc


def _json_lines(data: bytes, settings: Ingest) -> Iterator[_Record]:
    for number, line in enumerate(_decoded(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            yield f"line={number}", number, f"not valid JSON: {exc.msg} (column {exc.colno})"
            continue
        yield f"line={number}", number, _object(value)


def _json_array(data: bytes, settings: Ingest) -> Iterator[_Record]:
    try:
        value = json.loads(_decoded(data))
    except ValueError as exc:
        raise _Unreadable(f"not valid JSON: {exc}") from exc
    if not isinstance(value, list):
        raise _Unreadable("expected a JSON array of articles ([{...}, {...}])")
    for number, item in enumerate(value, start=1):
        yield f"item={number}", None, _object(item)


def _csv(data: bytes, settings: Ingest) -> Iterator[_Record]:
    # An article's text is one field: allow as much as a file may hold.
    csv.field_size_limit(max(settings.max_archive_bytes, csv.field_size_limit()))
    rows = csv.reader(io.StringIO(_decoded(data), newline=""))
    try:
        header = next(rows)
    except (StopIteration, csv.Error) as exc:
        raise _Unreadable(f"no header row: {exc}") from exc
    _require_text_column(header, settings.fields)
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield f"row={number}", rows.line_num, f"not valid CSV: {exc}"
            continue
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        if len(row) != len(header):
            reason = f"{len(row)} fields where the header has {len(header)}"
            yield f"row={number}", rows.line_num, reason
            continue
        yield f"row={number}", rows.line_num, dict(zip(header, row, strict=True))


def _parquet(data: bytes, settings: Ingest) -> Iterator[_Record]:
    try:
        table = pyarrow.parquet.read_table(io.BytesIO(data))
    except (pyarrow.ArrowException, OSError) as exc:
        raise _Unreadable(f"not a readable Parquet file: {exc}") from exc
    _require_text_column(table.column_names, settings.fields)
    for number, values in enumerate(table.to_pylist(), start=1):
        yield f"row={number}", None, values


def _require_text_column(names: list[str], fields: RecordFields) -> None:
    if not set(names) & set(fields.text):
        raise _Unreadable(
            f"no text column: expected one of {', '.join(fields.text)} (ingest.fields.text), "
            f"found {', '.join(names) or 'none'}"
        )


def _object(value: Any) -> dict[str, Any] | str:
    return value if isinstance(value, dict) else f"expected a JSON object, found {_kind(value)}"


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


_RECORDS = {"json_lines": _json_lines, "json_array": _json_array, "csv": _csv, "parquet": _parquet}


def _document(
    values: dict[str, Any] | str,
    reader: str,
    source: str,
    locator: str,
    line: int | None,
    size: int,
    mtime: int,
    fields: RecordFields,
) -> RawDocument | FileReject:
    key = record_key(source, locator)
    if isinstance(values, str):
        return FileReject(key, INVALID_RECORD, values, size, mtime, line)
    text = _first(values, fields.text)
    if not isinstance(text, str) or not text.strip():
        reason = (
            f"no article text: none of {', '.join(fields.text)} holds text (ingest.fields.text)"
        )
        return FileReject(key, INVALID_RECORD, reason, size, mtime, line)
    published = _first(values, fields.published)
    day = parse_day(published)
    if published is not None and day is None:
        reason = f"published: {published!r} is not an ISO 8601 date (2024-05-03, 2024-05-03T10:00Z)"
        return FileReject(key, INVALID_RECORD, reason, size, mtime, line)
    title = _text(_first(values, fields.title))
    given = GivenMetadata(
        source="record",
        title=title,
        published=day,
        published_text=str(published) if day else None,
        url=_text(_first(values, fields.url)),
        outlet=_text(_first(values, fields.outlet)),
    )
    article = with_title(text, title)
    document_id = content_id(article.encode("utf-8"))
    return RawDocument(
        key,
        document_id,
        article,
        "utf-8",
        size,
        mtime,
        reader=reader,
        source_record=locator,
        given=given,
    )


def _first(values: dict[str, Any], names: list[str]) -> Any:
    for name in names:
        value = values.get(name)
        if value is not None and value != "":
            return value
    return None


def _text(value: Any) -> str | None:
    return " ".join(str(value).split()) or None if value is not None else None


def with_title(text: str, title: str | None) -> str:
    """The article as it reads: its headline above the text, unless the text opens with it."""
    text = text.strip("\n")
    if not title or text.lstrip().startswith(title):
        return text
    return f"{title}\n\n{text}"


def parse_day(value: Any) -> date | None:
    """The calendar day of an ISO 8601 date or timestamp (as written: no time-zone shift),
    of a date or datetime value (Parquet), or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None
