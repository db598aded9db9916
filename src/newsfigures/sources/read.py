"""Read one file of the articles folder with the reader its name calls for.

Only the folder is read: a file reached through a link that leaves it is refused
(`file_outside_folder`), checked when the file is opened, not when the folder was listed.
A file that no reader takes is listed as `skipped`, with the formats the run reads.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from newsfigures.config.settings import Ingest
from newsfigures.sources.folder import matches
from newsfigures.sources.records import FileReject, RawDocument, Skipped
from newsfigures.sources.text import read_text

NOT_AN_ARTICLE = "not_an_article"


def read_file(path: Path, seeds_dir: Path, settings: Ingest) -> RawDocument | FileReject | Skipped:
    """Read and decode one file, or say why it is not (or cannot be) an article."""
    source = path.relative_to(seeds_dir).as_posix()
    try:
        outside = _outside(path, seeds_dir)
        if outside:
            return FileReject(source, "file_outside_folder", outside)
        info = path.stat()
        size, mtime = info.st_size, info.st_mtime_ns
        if stat.S_ISDIR(info.st_mode) and path.is_symlink():
            reason = "a link to a folder inside the articles folder: its files are read there"
            return Skipped(source, "folder_link", reason, 0, mtime)
        if stat.S_ISREG(info.st_mode) and not matches(path, settings.include):
            reason = f"not an article format (reads {', '.join(settings.include)})"
            return Skipped(source, NOT_AN_ARTICLE, reason, size, mtime)
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device named like an article would block or never end.
            return FileReject(source, "file_not_regular", "not a regular file", size, mtime)
        if size > settings.max_bytes:
            reason = f"{size:,} bytes is over the {settings.max_bytes:,}-byte limit"
            return FileReject(source, "file_too_large", reason, size, mtime)
        data = path.read_bytes()
    except FileNotFoundError:
        return FileReject(source, "file_vanished", "the file disappeared before it could be read")
    except PermissionError as exc:
        return FileReject(source, "file_unreadable", f"permission denied: {exc.strerror}")
    except OSError as exc:
        return FileReject(source, "file_unreadable", f"cannot read: {exc.strerror or exc}")
    return read_text(data, source, size, mtime, settings)


def _outside(path: Path, seeds_dir: Path) -> str | None:
    """Why `path` is not inside the folder (it resolves elsewhere through a link), or None."""
    target = Path(os.path.realpath(path))
    root = Path(os.path.realpath(seeds_dir))
    if target == root or root in target.parents:
        return None
    return f"a link to {target}, outside the articles folder: not read"
