"""What a reader makes of one input file: a document, a reject that says why the file cannot
be one, a file listed and not read (not an article format), or an article's sidecar."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from newsfigures.sources.sidecar import Sidecar


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
