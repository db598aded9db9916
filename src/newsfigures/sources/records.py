"""What a reader makes of one input file: a document, a reject that says why the file cannot
be one, or a file listed and not read (not an article format)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RawDocument:
    source_file: str
    doc_id: str
    text: str
    encoding: str
    n_bytes: int
    mtime_ns: int = 0


@dataclass(frozen=True, slots=True)
class FileReject:
    source_file: str
    check_name: str
    reason: str
    n_bytes: int = 0
    mtime_ns: int = 0


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in the folder that no reader takes: listed in the manifest, never read."""

    source_file: str
    check_name: str
    reason: str
    n_bytes: int = 0
    mtime_ns: int = 0


def content_id(data: bytes) -> str:
    """The document id: identical bytes are one document, whatever the file is called."""
    return hashlib.sha256(data).hexdigest()[:16]
