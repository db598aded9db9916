"""Ingest stage: find the article files under a seeds folder and decode each one.

A file either becomes a `RawDocument` or a `FileReject` that names the file and the problem;
nothing is skipped silently.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class FileReject:
    source_file: str
    check_name: str
    reason: str


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
        size = path.stat().st_size
        if size > max_bytes:
            return FileReject(
                source, "file_too_large", f"{size:,} bytes is over the {max_bytes:,}-byte limit"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        return FileReject(source, "file_vanished", "the file disappeared before it could be read")
    except PermissionError as exc:
        return FileReject(source, "file_unreadable", f"permission denied: {exc.strerror}")
    except OSError as exc:
        return FileReject(source, "file_unreadable", f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        return FileReject(source, "file_empty", "the file is empty or only white space")
    if b"\x00" in data[:8192]:
        return FileReject(
            source, "file_binary", "the file is binary (contains NUL bytes), not text"
        )
    decoded = decode(data, settings.get("encodings", ["utf-8"]))
    if decoded is None:
        tried = ", ".join(settings.get("encodings", ["utf-8"]))
        return FileReject(source, "file_undecodable", f"the bytes are not valid in any of: {tried}")
    text, encoding = decoded
    return RawDocument(source, content_id(data), text, encoding, len(data))
