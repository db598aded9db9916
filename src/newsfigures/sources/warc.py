"""Web archives (WARC, WARC.gz, as Common Crawl's news crawl and most archiving tools write
them), read with warcio: every HTML response record is a web page, read as the HTML reader
reads a saved page (html.py), named FILE#record=<WARC-Record-ID>.

Records that are not HTML pages (requests, warcinfo, metadata, revisits, images, robots.txt)
are counted, not errors: the archive's own row in `files` is `skipped` with the counts.
A cut-off archive is not loaded as if it were whole: warcio ends a truncated file without
an error, often after yielding a partial last record. So a record whose body ends before
its declared length is rejected (`warc_record_truncated`) and never extracted, a .warc.gz
whose last gzip member is incomplete is detected by reading the file to its end, and the
archive's own row is then rejected (`warc_truncated`, with what was read before the cut).
Why warcio rather than fastwarc: docs/readers.md.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsfigures.config.settings import Ingest
from newsfigures.sources.html import read_html
from newsfigures.sources.records import FileReject, RawDocument, Skipped, record_key

TRUNCATED = "warc_truncated"
RECORD_TRUNCATED = "warc_record_truncated"
OTHER_RECORDS = "warc_other_records"
NOT_WARC = "file_not_warc"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(
    data: bytes, source: str, size: int, mtime: int, settings: Ingest
) -> list[RawDocument | FileReject | Skipped]:
    """Every HTML response of the archive as a document (or a reject), and the archive's own
    row: skipped with the count of other records, or rejected when the file is cut off."""
    if not _starts_like_warc(data):
        reason = "not a web archive: it does not start with a WARC record (WARC/1.0)"
        return [FileReject(source, NOT_WARC, reason, size, mtime)]
    outcomes: list[RawDocument | FileReject | Skipped] = []
    others: Counter[str] = Counter()
    broken = None
    try:
        for record in _records(data):
            outcome = _page(record, source, size, mtime, settings)
            if isinstance(outcome, str):
                others[outcome] += 1
            else:
                outcomes.append(outcome)
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
        broken = f"the archive cannot be read past a point: {exc}"
    if broken is None and _cut_gzip(data):
        broken = "the compressed archive ends inside a gzip member (a cut-off download?)"
    cut = [o for o in outcomes if isinstance(o, FileReject) and o.check_name == RECORD_TRUNCATED]
    if broken is None and cut:
        broken = f"it ends inside a record ({cut[0].source_file}): a cut-off download?"
    pages = sum(isinstance(o, RawDocument) for o in outcomes)
    read = f"{pages} HTML pages read before it" if broken else ""
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(others.items()))
    if broken:
        reason = f"{broken}; {read}" + (f"; other records: {counted}" if counted else "")
        outcomes.append(FileReject(source, TRUNCATED, reason, size, mtime))
    elif not outcomes and not others:
        outcomes.append(
            FileReject(source, "file_empty", "no WARC records in the file", size, mtime)
        )
    else:
        reason = f"a web archive: {pages} HTML pages read; not pages: {counted or 'none'}"
        outcomes.append(Skipped(source, OTHER_RECORDS, reason, size, mtime))
    return outcomes


def _records(data: bytes) -> Iterator[Any]:
    yield from ArchiveIterator(io.BytesIO(data))


def _page(
    record: Any, source: str, size: int, mtime: int, settings: Ingest
) -> RawDocument | FileReject | str:
    """An HTML response as a document, or the kind of record it is (to be counted)."""
    kind = record.rec_type
    if kind != "response" or record.http_headers is None:
        return kind
    media = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if media not in _HTML_TYPES:
        return f"{kind} ({media or 'no content type'})"
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
    locator = f"record={record_id}"
    body = record.content_stream().read()
    if getattr(record.raw_stream, "limit", 0) > 0:
        length = record.rec_headers.get_header("Content-Length")
        reason = f"the record ends before its declared length ({length} bytes): cut off"
        return FileReject(record_key(source, locator), RECORD_TRUNCATED, reason, size, mtime)
    url = record.rec_headers.get_header("WARC-Target-URI")
    return read_html(body, source, size, mtime, settings, locator=locator, url=url)


def _starts_like_warc(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _cut_gzip(data: bytes) -> bool:
    """Whether gzip data ends inside a member (warcio stops there without a word)."""
    if not data.startswith(b"\x1f\x8b"):
        return False
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while stream.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error):
        return True
    return False
