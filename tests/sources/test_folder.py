"""The articles folder: every file listed (recursively, sorted, the excluded names left out,
links never followed), and the plan of what a run reads given the last manifest."""

from __future__ import annotations

import os
from pathlib import Path

from support import ingest_settings, write_file

from newsfigures.sources.folder import discover
from newsfigures.sources.read import read_file
from newsfigures.sources.records import FileReject, Skipped

SETTINGS = ingest_settings()


def test_discover_lists_every_file_but_the_excluded_recursively_sorted(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", "notes.csv", ".hidden.txt", ".git/x"):
        write_file(tmp_path, name, b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path, [".*"])]
    assert found == ["a.txt", "b.txt", "notes.csv", "sub/c.txt"]


def test_discover_does_not_follow_a_symlink_loop(tmp_path: Path) -> None:
    write_file(tmp_path, "a.txt", b"x")
    os.symlink(tmp_path, tmp_path / "loop")
    assert [p.name for p in discover(tmp_path)] == ["a.txt", "loop"]
    listed = read_file(tmp_path / "loop", tmp_path, SETTINGS)
    assert isinstance(listed, Skipped) and listed.check_name == "folder_link"


def test_plan_skips_unchanged_files_and_lists_deleted_ones(tmp_path: Path) -> None:
    from newsfigures.sources.folder import KnownFile, plan

    same = write_file(tmp_path, "same.txt", b"one")
    changed = write_file(tmp_path, "changed.txt", b"two")
    write_file(tmp_path, "new.txt", b"three")
    manifest = {
        "same.txt": KnownFile("d1", same.stat().st_size, same.stat().st_mtime_ns, "loaded"),
        "changed.txt": KnownFile("d2", 99, changed.stat().st_mtime_ns, "loaded"),
        "gone.txt": KnownFile("d3", 1, 1, "loaded"),
    }
    result = plan(discover(tmp_path), tmp_path, manifest)
    assert result.unchanged == ["same.txt"]
    assert sorted(p.name for p in result.to_read) == ["changed.txt", "new.txt"]
    assert result.deleted == ["gone.txt"]


def test_a_linked_folder_outside_is_refused_not_walked(tmp_path: Path) -> None:
    seeds, elsewhere = tmp_path / "seeds", tmp_path / "elsewhere"
    write_file(elsewhere, "a.txt", b"x")
    seeds.mkdir()
    os.symlink(elsewhere, seeds / "linked")
    assert [p.name for p in discover(seeds)] == ["linked"]
    result = read_file(seeds / "linked", seeds, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_outside_folder"
