"""What a reader makes of one input file: a document, a reject that says why the file cannot
be one, a file listed and not read (not an article format), or an article's sidecar.

A file of several records (a JSON-lines export, a web archive) gives one of these per
record, named by its record key `FILE#LOCATOR` (`feed.jsonl#line=3`): the `files` table,
duplicates and quarantine work per record, and incremental runs per file (all records of
a file share its size and modification time).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from newsfigures.sources.sidecar import Sidecar

# Between a file's name and the locator of one of its records.
RECORD_MARK = "#"


def record_key(source: str, locator: str | None) -> str:
    """The name of a record in `files` and `documents.source_file`: the file itself for a
    file that is one document, else FILE#LOCATOR."""
    return source if locator is None else f"{source}{RECORD_MARK}{locator}"


def file_of(key: str, files: set[str]) -> str | None:
    """The file of a record key, when it is one of `files` (None: the file is gone)."""
    if key in files:
        return key
    head, mark, _ = key.rpartition(RECORD_MARK)
    return head if mark and head in files else None


@dataclass(frozen=True, slots=True)
class GivenMetadata:
    """What the input says about an article beside its text (an export's fields, a page's
    metadata): it wins over what the text grammar reads. `source` names where it came from
    (documents.published_date_source: `record` or `page`)."""

    source: str
    title: str | None = None
    published: date | None = None
    published_text: str | None = None
    url: str | None = None
    outlet: str | None = None
    # A date read from the page by a guess (trafilatura's), taken only when neither the
    # page's metadata nor the text gives one, and then flagged in `date_suspect`.
    guessed_published: date | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    source_file: str
    doc_id: str
    text: str
    encoding: str
    n_bytes: int
    mtime_ns: int = 0
    # What the article's sidecar says (sidecar.py), when it has a valid one.
    sidecar: Sidecar | None = None
    # The reader that made it (`text`, `json_lines`, `html`, ...), where in its file it is
    # (`line=3`; None for a file that is one document) and what the input says beside it.
    reader: str = "text"
    source_record: str | None = None
    given: GivenMetadata | None = None


@dataclass(frozen=True, slots=True)
class FileReject:
    source_file: str
    check_name: str
    reason: str
    n_bytes: int = 0
    mtime_ns: int = 0
    # The line of the file a rejected record is on, when its format has lines.
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in the folder that no reader takes: listed in the manifest, never read."""

    source_file: str
    check_name: str
    reason: str
    n_bytes: int = 0
    mtime_ns: int = 0


@dataclass(frozen=True, slots=True)
class SidecarFile:
    """An article's sidecar, read with its article: listed in the manifest as `sidecar`."""

    source_file: str
    reason: str
    n_bytes: int = 0
    mtime_ns: int = 0


def content_id(data: bytes) -> str:
    """The document id: identical bytes are one document, whatever the file is called."""
    return hashlib.sha256(data).hexdigest()[:16]
