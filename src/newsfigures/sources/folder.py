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
    """What a run has to do with the folder, given the manifest."""

    to_read: list[Path] = field(default_factory=list)
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


def discover(seeds_dir: Path, exclude: Iterable[str] = ()) -> list[Path]:
    """Every file under `seeds_dir` (recursively) but the excluded names, in a stable
    order. Links are listed as they are (the reader refuses one that leaves the folder);
    linked folders are not followed, so a link loop cannot make the walk endless."""
    patterns = list(exclude)
    found = []
    for folder, subfolders, files in os.walk(seeds_dir, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not _excluded(d, patterns))
        base = Path(folder)
        # A linked folder is not walked into: listed like a file, its reader says why.
        found += [base / d for d in subfolders if (base / d).is_symlink()]
        found += [base / name for name in files if not _excluded(name, patterns)]
    # Path order (component by component), compared as tuples: faster than Path's own.
    return sorted(found, key=lambda path: path.parts)


def _excluded(name: str, patterns: list[str]) -> bool:
    return name_matches(name, patterns)


def matches(path: Path, patterns: Iterable[str]) -> bool:
    return name_matches(path.name, list(patterns))


def plan(
    paths: list[Path],
    seeds_dir: Path,
    manifest: dict[str, KnownFile],
    read_all: bool = False,
    settings: Ingest | None = None,
) -> FilePlan:
    """Split the folder into files to read (new, changed, or rejected last time; all of
    them with `read_all`) and files unchanged since the manifest was written; list the
    manifest's files that are gone. With `settings`, an unchanged article whose sidecar
    changed (or an unchanged sidecar whose article did) is read too."""
    result = FilePlan()
    relative = _relative_names(paths, seeds_dir)
    present = set(relative.values())
    records: dict[str, list[str]] = {}
    for key in manifest:
        owner = file_of(key, present)
        if owner is None:
            result.deleted.append(key)
        elif owner != key:
            records.setdefault(owner, []).append(key)
    for path in paths:
        source = relative[path]
        rows = [manifest[k] for k in [source, *records.get(source, [])] if k in manifest]
        if not rows:
            result.to_read.append(path)  # new to the warehouse
            continue
        try:
            info = path.stat()
        except OSError:
            result.to_read.append(path)  # reading it will say what is wrong
            continue
        if not read_all and all(
            known.status != "rejected"
            and known.size_bytes == info.st_size
            and known.mtime_ns == info.st_mtime_ns
            for known in rows
        ):
            result.unchanged.append(source)
        else:
            result.to_read.append(path)
    result.deleted.sort()
    if settings is not None and settings.sidecar_suffix:
        _read_partners(result, paths, seeds_dir, settings)
    for path in result.to_read:
        source = relative.get(path) or path.relative_to(seeds_dir).as_posix()
        result.restated += records.get(source, [])
        if source in manifest and settings is not None and holds_records(path.name, settings):
            result.restated.append(source)  # the file's own row (it was rejected whole)
    return result


def _relative_names(paths: list[Path], seeds_dir: Path) -> dict[Path, str]:
    """Each path's name relative to the folder (as the manifest writes it)."""
    prefix = seeds_dir.as_posix().rstrip("/") + "/"
    names = {}
    for path in paths:
        name = path.as_posix()
        # The folder's own listing starts with its name; anything else is asked properly.
        names[path] = (
            name[len(prefix) :]
            if name.startswith(prefix)
            else path.relative_to(seeds_dir).as_posix()
        )
    return names


def _read_partners(result: FilePlan, paths: list[Path], seeds_dir: Path, settings: Ingest) -> None:
    """Move to `to_read` the unchanged partners of what is read or gone: the articles of a
    sidecar, the sidecar of an article (whose manifest row names the articles it serves)."""
    if not result.unchanged:
        return  # everything is read already (a first run)
    listed = set(paths)
    changed = result.to_read + [seeds_dir / name for name in result.deleted]
    partners: set[Path] = set()
    for path in changed:
        if is_sidecar(path, settings):
            partners.update(articles_of(path, settings, listed.__contains__))
        elif settings.reader_of(path.name) is not None:
            sidecar = sidecar_of(path, settings)
            if sidecar in listed:
                partners.add(sidecar)
    moved = {p.relative_to(seeds_dir).as_posix() for p in partners} & set(result.unchanged)
    if moved:
        result.unchanged = [name for name in result.unchanged if name not in moved]
        result.to_read = sorted([*result.to_read, *(seeds_dir / name for name in moved)])
