"""Ingest stage: find the article files under a seeds folder, decide which need reading,
and decode each one.

A file either becomes a `RawDocument` or a `FileReject` that names the file and the
problem; nothing is skipped silently. Incremental runs compare the folder with the manifest
of the last run (`files` table): a file whose size and modification time are unchanged is
not read again.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any


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
class KnownFile:
    """A file as the last committed run left it in the manifest."""

    doc_id: str | None
    size_bytes: int
    mtime_ns: int
    status: str


@dataclass
class FilePlan:
    """What a run has to do with the folder, given the manifest."""

    to_read: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def discover(seeds_dir: Path, include: Iterable[str]) -> list[Path]:
    """Article files under `seeds_dir` (recursively), in a stable order.

    Symlinked folders are not followed, so a link loop cannot make the walk endless.
    """
    patterns = list(include)
    found = []
    for folder, subfolders, files in os.walk(seeds_dir, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and any(fnmatch(name, p) for p in patterns):
                found.append(Path(folder) / name)
    return sorted(found)


def plan(
    paths: list[Path], seeds_dir: Path, manifest: dict[str, KnownFile], read_all: bool = False
) -> FilePlan:
    """Split the folder into files to read (new, changed, or rejected last time; all of
    them with `read_all`) and files unchanged since the manifest was written; list the
    manifest's files that are gone."""
    result = FilePlan()
    seen = set()
    for path in paths:
        source = path.relative_to(seeds_dir).as_posix()
        seen.add(source)
        known = manifest.get(source)
        try:
            info = path.stat()
        except OSError:
            result.to_read.append(path)  # reading it will say what is wrong
            continue
        if (
            not read_all
            and known is not None
            and known.status != "rejected"
            and known.size_bytes == info.st_size
            and known.mtime_ns == info.st_mtime_ns
        ):
            result.unchanged.append(source)
        else:
            result.to_read.append(path)
    result.deleted = sorted(set(manifest) - seen)
    return result


def content_id(data: bytes) -> str:
    """The document id: identical bytes are one document, whatever the file is called."""
    return hashlib.sha256(data).hexdigest()[:16]


def decode(data: bytes, encodings: Iterable[str]) -> tuple[str, str] | None:
    """The text and the first encoding that decodes all of it, or None."""
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        # A UTF-8 byte order mark is an encoding artefact, not text.
        return text.removeprefix("\ufeff"), encoding
    return None


def read_article(path: Path, seeds_dir: Path, settings: dict[str, Any]) -> RawDocument | FileReject:
    """Read and decode one file, or say why it cannot be an article."""
    source = path.relative_to(seeds_dir).as_posix()
    max_bytes = int(settings.get("max_bytes", 5_000_000))
    try:
        info = path.stat()
        size, mtime = info.st_size, info.st_mtime_ns
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device named like an article would block or never end.
            return FileReject(source, "file_not_regular", "not a regular file", size, mtime)
        if size > max_bytes:
            reason = f"{size:,} bytes is over the {max_bytes:,}-byte limit"
            return FileReject(source, "file_too_large", reason, size, mtime)
        data = path.read_bytes()
    except FileNotFoundError:
        return FileReject(source, "file_vanished", "the file disappeared before it could be read")
    except PermissionError as exc:
        return FileReject(source, "file_unreadable", f"permission denied: {exc.strerror}")
    except OSError as exc:
        return FileReject(source, "file_unreadable", f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        return FileReject(
            source, "file_empty", "the file is empty or only white space", size, mtime
        )
    if b"\x00" in data[:8192]:
        reason = "the file is binary (contains NUL bytes), not text"
        return FileReject(source, "file_binary", reason, size, mtime)
    head = data[:1024].lstrip().lower()
    if any(head.startswith(m.encode()) for m in settings.get("html_markers", [])):
        reason = "an HTML page, not article text (save the article's text instead)"
        return FileReject(source, "file_html", reason, size, mtime)
    decoded = decode(data, settings.get("encodings", ["utf-8"]))
    if decoded is None:
        tried = ", ".join(settings.get("encodings", ["utf-8"]))
        reason = f"the bytes are not valid in any of: {tried}"
        return FileReject(source, "file_undecodable", reason, size, mtime)
    text, encoding = decoded
    return RawDocument(source, content_id(data), text, encoding, len(data), mtime)
