"""One reader per input format, chosen by the declared file patterns (`ingest.include` for
plain text, `ingest.formats` for the others): each turns a file's bytes into its outcomes,
a document or a reject for the file, or one per record for a file holding several.

    text        text.py      the file is the article
    json_lines  exports.py   one article per line (FILE#line=N)
    json_array  exports.py   one per object of a JSON array (FILE#item=N)
    csv         exports.py   one per data row (FILE#row=N)
    parquet     exports.py   one per row (FILE#row=N)
    html        html.py      a saved web page: its main text and metadata (trafilatura)
    warc        warc.py      every HTML response of a web archive (FILE#record=ID)

A new format is a reader here, its patterns in `ingest.formats`, and nothing else.
"""

from __future__ import annotations

from newsfigures.config.settings import Ingest
from newsfigures.sources.exports import EXPORT_READERS, read_export
from newsfigures.sources.html import read_html
from newsfigures.sources.records import FileReject, RawDocument, Skipped
from newsfigures.sources.text import read_text
from newsfigures.sources.warc import read_warc


def holds_records(name: str, settings: Ingest) -> bool:
    """Whether a file of this name is read as several records (FILE#LOCATOR), not one."""
    return settings.reader_of(name) in (*EXPORT_READERS, "warc")


def read_format(
    reader: str, data: bytes, source: str, size: int, mtime: int, settings: Ingest
) -> list[RawDocument | FileReject | Skipped]:
    """The outcomes of one file's bytes read as `reader` (a name of READERS); at least one."""
    if reader == "text":
        return [read_text(data, source, size, mtime, settings)]
    if reader == "html":
        return [read_html(data, source, size, mtime, settings)]
    if reader == "warc":
        return read_warc(data, source, size, mtime, settings)
    assert reader in EXPORT_READERS, reader  # the settings declare no other reader
    return read_export(reader, data, source, size, mtime, settings)
