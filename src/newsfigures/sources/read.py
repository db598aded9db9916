"""Read one file of the articles folder with the reader its name calls for.

Only the folder is read: a file reached through a link that leaves it is refused
(`file_outside_folder`), checked when the file is opened, not when the folder was listed.
The reader is chosen by the declared file patterns: `ingest.include` for plain text,
`ingest.formats` for the others (readers.py). A file in a format the settings refuse (PDF,
Word) is rejected under its own check name with the declared advice; a file no reader
takes is listed as `skipped`, with the formats the run reads. An article is read with its
sidecar (sidecar.py); a sidecar on its own is checked and listed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

from newsfigures.config.settings import Ingest
from newsfigures.sources.readers import holds_records, read_format
from newsfigures.sources.records import FileReject, RawDocument, SidecarFile, Skipped
from newsfigures.sources.sidecar import (
    Sidecar,
    articles_of,
    is_sidecar,
    parse_sidecar,
    sidecar_of,
)

NOT_AN_ARTICLE = "not_an_article"

Outcome = RawDocument | FileReject | Skipped | SidecarFile


def read_file(path: Path, seeds_dir: Path, settings: Ingest) -> Outcome:
    """Read and decode a file that is one article, or say why it is not (or cannot be)
    one. For a file of several records, its first outcome (see `read_records`)."""
    return read_records(path, seeds_dir, settings)[0]


def read_records(path: Path, seeds_dir: Path, settings: Ingest) -> list[Outcome]:
    """Every outcome of one file, at least one: the file's, or one per record of a file
    holding several (an export, a web archive)."""
    source = path.relative_to(seeds_dir).as_posix()
    opened = _open(path, source, seeds_dir, settings)
    if not isinstance(opened, tuple):
        return [opened]
    data, size, mtime = opened
    reader = settings.reader_of(path.name) or "text"
    outcomes = read_format(reader, data, source, size, mtime, settings)
    sidecar = _sidecar_beside(path, seeds_dir, settings)
    if sidecar is None:
        return outcomes
    return [replace(o, sidecar=sidecar) if isinstance(o, RawDocument) else o for o in outcomes]


def _open(
    path: Path, source: str, seeds_dir: Path, settings: Ingest
) -> tuple[bytes, int, int] | FileReject | Skipped | SidecarFile:
    """The file's bytes, size and modification time, or what it is when it is not read."""
    try:
        outside = _outside(path, seeds_dir)
        if outside:
            return FileReject(source, "file_outside_folder", outside)
        info = path.stat()
        size, mtime = info.st_size, info.st_mtime_ns
        if stat.S_ISDIR(info.st_mode) and path.is_symlink():
            reason = "a link to a folder inside the articles folder: its files are read there"
            return Skipped(source, "folder_link", reason, 0, mtime)
        if stat.S_ISREG(info.st_mode) and is_sidecar(path, settings):
            return _sidecar_file(path, source, size, mtime, settings)
        refused = settings.refused_as(path.name)
        if stat.S_ISREG(info.st_mode) and refused is not None:
            return FileReject(source, refused[0], refused[1], size, mtime)
        if stat.S_ISREG(info.st_mode) and settings.reader_of(path.name) is None:
            reason = f"not an article format (reads {', '.join(settings.article_patterns)})"
            return Skipped(source, NOT_AN_ARTICLE, reason, size, mtime)
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device named like an article would block or never end.
            return FileReject(source, "file_not_regular", "not a regular file", size, mtime)
        limit = (
            settings.max_archive_bytes if holds_records(path.name, settings) else settings.max_bytes
        )
        if size > limit:
            reason = f"{size:,} bytes is over the {limit:,}-byte limit"
            return FileReject(source, "file_too_large", reason, size, mtime)
        return path.read_bytes(), size, mtime
    except FileNotFoundError:
        return FileReject(source, "file_vanished", "the file disappeared before it could be read")
    except PermissionError as exc:
        return FileReject(source, "file_unreadable", f"permission denied: {exc.strerror}")
    except OSError as exc:
        return FileReject(source, "file_unreadable", f"cannot read: {exc.strerror or exc}")


def _sidecar_file(
    path: Path, source: str, size: int, mtime: int, settings: Ingest
) -> SidecarFile | FileReject:
    """A sidecar as its own file: listed when it is valid and has an article, else why not."""
    articles = ", ".join(p.name for p in articles_of(path, settings))
    if not articles:
        stem = path.name[: -len(settings.sidecar_suffix or "")]
        patterns = settings.article_patterns
        expected = " or ".join(stem + p[1:] for p in patterns if p.startswith("*"))
        reason = f"a sidecar with no article beside it (expected {expected or 'an article'})"
        return FileReject(source, "sidecar_without_article", reason, size, mtime)
    if size > settings.max_bytes:
        reason = f"{size:,} bytes is over the {settings.max_bytes:,}-byte limit"
        return FileReject(source, "file_too_large", reason, size, mtime)
    parsed = parse_sidecar(path.read_bytes())
    if isinstance(parsed, str):
        reason = f"the sidecar of {articles} cannot be used (read without it): {parsed}"
        return FileReject(source, "sidecar_invalid", reason, size, mtime)
    return SidecarFile(source, f"metadata of {articles}, read with it", size, mtime)


def _sidecar_beside(path: Path, seeds_dir: Path, settings: Ingest) -> Sidecar | None:
    """The valid sidecar of the article at `path`, if it has one. One that cannot be used
    is rejected when the sidecar itself is listed (_sidecar_file), with the reason."""
    sidecar = sidecar_of(path, settings)
    try:
        if sidecar is None or not sidecar.is_file() or _outside(sidecar, seeds_dir):
            return None
        if sidecar.stat().st_size > settings.max_bytes:
            return None
        parsed = parse_sidecar(sidecar.read_bytes())
    except OSError:
        return None
    return parsed if isinstance(parsed, Sidecar) else None


def _outside(path: Path, seeds_dir: Path) -> str | None:
    """Why `path` is not inside the folder (it resolves elsewhere through a link), or None."""
    target = os.path.realpath(path)
    root = os.path.realpath(seeds_dir)
    if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
        return None
    return f"a link to {target}, outside the articles folder: not read"
