"""The articles folder: every file in it (recursively, in a stable order), and what a run
has to do with each, given the manifest of the last run (`files` table).

Nothing is skipped silently: besides the names the settings exclude (`ingest.exclude`:
hidden files, editor backups), every file is listed, and each one read or not ends up in
the manifest with its outcome. A file whose size and modification time are unchanged since
the last run is not read again, unless its partner changed: an article and its sidecar
(sidecar.py) are read again together when either changed, appeared or went.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsfigures.config.settings import Ingest, name_matches
from newsfigures.sources.readers import holds_records
from newsfigures.sources.records import file_of
from newsfigures.sources.sidecar import articles_of, is_sidecar, sidecar_of


@dataclass(frozen=True, slots=True)
class KnownFile:
    """A file as the last committed run left it in the manifest."""

    doc_id: str | None
    size_bytes: int
    mtime_ns: int
    status: str


@dataclass
class FilePlan:
    """What a run has to do with the folder, given the manifest. Files are named as the
    manifest names them: their POSIX paths relative to the folder (a folder of a million
    articles is a million short strings, not a million path objects)."""

    to_read: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    # Manifest rows of the records of files read again (FILE#line=N): the read restates the
    # records still there, and the others leave the manifest with them.
    restated: list[str] = field(default_factory=list)

    @property
    def leaving(self) -> list[str]:
        """Manifest rows the commit takes out before it writes the run's: those of deleted
        files and the records of files read again."""
        return [*self.deleted, *self.restated]


def discover(seeds_dir: Path, exclude: Iterable[str] = ()) -> list[str]:
    """Every file under `seeds_dir` (recursively) but the excluded names, as names relative
    to it, in a stable order (folder by folder). Links are listed as they are (the reader
    refuses one that leaves the folder); linked folders are not followed, so a link loop
    cannot make the walk endless."""
    patterns = list(exclude)
    root = os.fspath(seeds_dir)
    found = []
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not name_matches(d, patterns))
        inside = os.path.relpath(folder, root)
        prefix = "" if inside == "." else inside.replace(os.sep, "/") + "/"
        # A linked folder is not walked into: listed like a file, its reader says why.
        found += [prefix + d for d in subfolders if os.path.islink(os.path.join(folder, d))]
        found += [prefix + name for name in files if not name_matches(name, patterns)]
    return sorted(found, key=folder_order)


def folder_order(name: str) -> list[str]:
    """Sort key of a file's relative name: component by component, as folders are walked."""
    return name.split("/")


def plan(
    names: list[str],
    seeds_dir: Path,
    manifest: dict[str, KnownFile],
    read_all: bool = False,
    settings: Ingest | None = None,
) -> FilePlan:
    """Split the folder's files (`discover`) into files to read (new, changed, or rejected
    last time; all of them with `read_all`) and files unchanged since the manifest was
    written; list the manifest's files that are gone. With `settings`, an unchanged article
    whose sidecar changed (or an unchanged sidecar whose article did) is read too."""
    result = FilePlan()
    present = set(names)
    records: dict[str, list[str]] = {}
    for key in manifest:
        owner = file_of(key, present)
        if owner is None:
            result.deleted.append(key)
        elif owner != key:
            records.setdefault(owner, []).append(key)
    root = os.fspath(seeds_dir)
    for name in names:
        rows = [manifest[k] for k in [name, *records.get(name, [])] if k in manifest]
        if not rows:
            result.to_read.append(name)  # new to the warehouse
            continue
        try:
            info = os.stat(os.path.join(root, name))
        except OSError:
            result.to_read.append(name)  # reading it will say what is wrong
            continue
        if not read_all and all(
            known.status != "rejected"
            and known.size_bytes == info.st_size
            and known.mtime_ns == info.st_mtime_ns
            for known in rows
        ):
            result.unchanged.append(name)
        else:
            result.to_read.append(name)
    result.deleted.sort()
    if settings is not None and settings.sidecar_suffix:
        _read_partners(result, present, seeds_dir, settings)
    for name in result.to_read:
        result.restated += records.get(name, [])
        if (
            name in manifest
            and settings is not None
            and holds_records(posixpath.basename(name), settings)
        ):
            result.restated.append(name)  # the file's own row (it was rejected whole)
    return result


def _read_partners(result: FilePlan, present: set[str], seeds_dir: Path, settings: Ingest) -> None:
    """Move to `to_read` the unchanged partners of what is read or gone: the articles of a
    sidecar, the sidecar of an article (whose manifest row names the articles it serves)."""
    if not result.unchanged:
        return  # everything is read already (a first run)

    def listed(path: Path) -> bool:
        return _name(path, seeds_dir) in present

    partners: set[str] = set()
    for name in result.to_read + result.deleted:
        path = seeds_dir / name
        if is_sidecar(path, settings):
            partners.update(_name(a, seeds_dir) for a in articles_of(path, settings, listed))
        elif settings.reader_of(path.name) is not None:
            sidecar = sidecar_of(path, settings)
            if sidecar is not None and listed(sidecar):
                partners.add(_name(sidecar, seeds_dir))
    moved = partners & set(result.unchanged)
    if moved:
        result.unchanged = [name for name in result.unchanged if name not in moved]
        result.to_read = sorted([*result.to_read, *moved], key=folder_order)


def _name(path: Path, seeds_dir: Path) -> str:
    return path.relative_to(seeds_dir).as_posix()
