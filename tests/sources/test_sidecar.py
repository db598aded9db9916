"""Sidecars: an article's metadata beside it (NAME.meta.json), read with the article, listed
as its own file, refused with the reason when it cannot be used, and read again together
with its article when either changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import ingest_settings

from newsfigures.sources.folder import KnownFile, discover, plan
from newsfigures.sources.read import read_file
from newsfigures.sources.records import FileReject, RawDocument, SidecarFile
from newsfigures.sources.sidecar import Sidecar, articles_of, parse_sidecar

SETTINGS = ingest_settings(include=["*.txt", "*.md"], encodings=["utf-8"])
ARTICLE = b"GENEVA, Oct 3 (Reuters) - More than 100,000 people have crossed into Armenia."


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_an_article_is_read_with_its_sidecar_and_the_sidecar_is_listed_for_it(
    tmp_path: Path,
) -> None:
    article = _write(tmp_path, "sub/002_geneva.txt", ARTICLE)
    sidecar = _write(tmp_path, "sub/002_geneva.meta.json", b'{"year": 2023}')
    document = read_file(article, tmp_path, SETTINGS)
    assert isinstance(document, RawDocument) and document.sidecar == Sidecar(year=2023)
    listed = read_file(sidecar, tmp_path, SETTINGS)
    assert isinstance(listed, SidecarFile)
    assert listed.source_file == "sub/002_geneva.meta.json"
    assert "002_geneva.txt" in listed.reason and listed.n_bytes == len(b'{"year": 2023}')


def test_an_article_without_a_sidecar_has_none(tmp_path: Path) -> None:
    document = read_file(_write(tmp_path, "a.txt", ARTICLE), tmp_path, SETTINGS)
    assert isinstance(document, RawDocument) and document.sidecar is None


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b'{"year": 2023', "not valid JSON"),
        (b"[2023]", "expected a JSON object"),
        (b'{"yaer": 2023}', "'yaer' is not sidecar metadata (did you mean 'year'?)"),
        (b'{"year": "2023"}', "year: '2023': input should be a valid integer"),
        (b'{"year": 20233}', "year: 20233: input should be less than or equal to 9999"),
        (b"\xff\xfe{}", "not valid JSON"),
    ],
)
def test_a_sidecar_that_cannot_be_used_is_rejected_and_its_article_read_without_it(
    tmp_path: Path, data: bytes, said: str
) -> None:
    article = _write(tmp_path, "a.txt", ARTICLE)
    sidecar = _write(tmp_path, "a.meta.json", data)
    rejected = read_file(sidecar, tmp_path, SETTINGS)
    assert isinstance(rejected, FileReject) and rejected.check_name == "sidecar_invalid"
    assert said in rejected.reason and "a.txt" in rejected.reason
    document = read_file(article, tmp_path, SETTINGS)
    assert isinstance(document, RawDocument) and document.sidecar is None


def test_a_sidecar_without_its_article_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path, "b.txt", ARTICLE)
    rejected = read_file(_write(tmp_path, "a.meta.json", b'{"year": 2023}'), tmp_path, SETTINGS)
    assert isinstance(rejected, FileReject) and rejected.check_name == "sidecar_without_article"
    assert "a.txt or a.md" in rejected.reason


def test_a_sidecar_belongs_to_every_article_of_its_name(tmp_path: Path) -> None:
    for name in ("a.txt", "a.md", "a.jpg", "ab.txt"):
        _write(tmp_path, name, ARTICLE)
    sidecar = _write(tmp_path, "a.meta.json", b"{}")
    assert [p.name for p in articles_of(sidecar, SETTINGS)] == ["a.md", "a.txt"]
    assert parse_sidecar(b"{}") == Sidecar()


def test_a_sidecar_linked_from_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    article = _write(seeds, "a.txt", ARTICLE)
    os.symlink(_write(tmp_path, "elsewhere.json", b'{"year": 2023}'), seeds / "a.meta.json")
    document = read_file(article, seeds, SETTINGS)
    assert isinstance(document, RawDocument) and document.sidecar is None
    refused = read_file(seeds / "a.meta.json", seeds, SETTINGS)
    assert isinstance(refused, FileReject) and refused.check_name == "file_outside_folder"


def _known(path: Path, status: str) -> KnownFile:
    info = path.stat()
    return KnownFile(None, info.st_size, info.st_mtime_ns, status)


def test_an_article_is_read_again_when_its_sidecar_changes_appears_or_goes(
    tmp_path: Path,
) -> None:
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        _write(tmp_path, name, ARTICLE)
    changed = _write(tmp_path, "a.meta.json", b'{"year": 2023}')
    _write(tmp_path, "b.meta.json", b'{"year": 2023}')  # new
    manifest = {name: _known(tmp_path / name, "loaded") for name in ("a.txt", "b.txt", "c.txt")}
    manifest |= {"d.txt": _known(tmp_path / "d.txt", "loaded")}
    manifest["a.meta.json"] = KnownFile(None, 3, changed.stat().st_mtime_ns, "sidecar")
    manifest["c.meta.json"] = KnownFile(None, 14, 1, "sidecar")  # gone
    result = plan(discover(tmp_path), tmp_path, manifest, settings=SETTINGS)
    read = sorted(result.to_read)
    assert read == ["a.meta.json", "a.txt", "b.meta.json", "b.txt", "c.txt"]
    assert result.unchanged == ["d.txt"] and result.deleted == ["c.meta.json"]
    # Without the settings, the plan knows nothing of sidecars.
    alone = plan(discover(tmp_path), tmp_path, manifest)
    assert sorted(alone.to_read) == ["a.meta.json", "b.meta.json"]


def test_a_sidecar_is_read_again_when_its_article_changes_or_goes(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", ARTICLE)
    kept = _write(tmp_path, "a.meta.json", b'{"year": 2023}')
    _write(tmp_path, "b.meta.json", b'{"year": 2023}')
    manifest = {
        "a.txt": KnownFile("d1", 1, 1, "loaded"),  # changed
        "a.meta.json": _known(kept, "sidecar"),
        "b.txt": KnownFile("d2", 1, 1, "loaded"),  # gone: its sidecar is now alone
        "b.meta.json": _known(tmp_path / "b.meta.json", "sidecar"),
    }
    result = plan(discover(tmp_path), tmp_path, manifest, settings=SETTINGS)
    assert sorted(result.to_read) == ["a.meta.json", "a.txt", "b.meta.json"]
    assert result.unchanged == [] and result.deleted == ["b.txt"]
    orphan = read_file(tmp_path / "b.meta.json", tmp_path, SETTINGS)
    assert isinstance(orphan, FileReject) and orphan.check_name == "sidecar_without_article"


def test_without_a_declared_suffix_a_json_file_is_no_sidecar(tmp_path: Path) -> None:
    settings = SETTINGS.model_copy(update={"sidecar_suffix": None})
    _write(tmp_path, "a.txt", ARTICLE)
    listed = read_file(_write(tmp_path, "a.meta.json", b"{}"), tmp_path, settings)
    # Read as what its name says (a JSON export), not as the article's metadata.
    assert not isinstance(listed, SidecarFile) and listed.check_name == "file_invalid_export"
    document = read_file(tmp_path / "a.txt", tmp_path, settings)
    assert isinstance(document, RawDocument) and document.sidecar is None
