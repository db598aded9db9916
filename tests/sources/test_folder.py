"""The articles folder: every file listed (recursively, sorted, the excluded names left out,
links never followed), and the plan of what a run reads given the last manifest."""

from __future__ import annotations

import os
from pathlib import Path

from support import ingest_settings, write_file

from newsfigures.sources.folder import KnownFile, discover, plan
from newsfigures.sources.read import read_file
from newsfigures.sources.records import FileReject, Skipped

SETTINGS = ingest_settings()


def test_discover_lists_every_file_but_the_excluded_recursively_sorted(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", "notes.csv", ".hidden.txt", ".git/x"):
        write_file(tmp_path, name, b"x")
    found = discover(tmp_path, [".*"])
    assert found == ["a.txt", "b.txt", "notes.csv", "sub/c.txt"]


def test_discover_does_not_follow_a_symlink_loop(tmp_path: Path) -> None:
    write_file(tmp_path, "a.txt", b"x")
    os.symlink(tmp_path, tmp_path / "loop")
    assert discover(tmp_path) == ["a.txt", "loop"]
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
    assert sorted(result.to_read) == ["changed.txt", "new.txt"]
    assert result.deleted == ["gone.txt"]


def test_a_linked_folder_outside_is_refused_not_walked(tmp_path: Path) -> None:
    seeds, elsewhere = tmp_path / "seeds", tmp_path / "elsewhere"
    write_file(elsewhere, "a.txt", b"x")
    seeds.mkdir()
    os.symlink(elsewhere, seeds / "linked")
    assert discover(seeds) == ["linked"]
    result = read_file(seeds / "linked", seeds, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == "file_outside_folder"


def test_excluded_folders_are_not_walked_and_patterns_match_names_at_any_depth(
    tmp_path: Path,
) -> None:
    for name in ("a.txt", "a.txt~", "sub/b.txt", "sub/b.txt~", "sub/.cache/c.txt", "backup~/d.txt"):
        write_file(tmp_path, name, b"x")
    found = discover(tmp_path, [".*", "*~"])
    assert found == ["a.txt", "sub/b.txt"]
    # Nothing excluded: every file, hidden ones too.
    assert len(discover(tmp_path)) == 6


def test_plan_reads_again_what_was_rejected_and_everything_when_asked(tmp_path: Path) -> None:
    same = write_file(tmp_path, "same.txt", b"one")
    bad = write_file(tmp_path, "bad.txt", b"")
    known = {
        "same.txt": KnownFile("d1", same.stat().st_size, same.stat().st_mtime_ns, "loaded"),
        "bad.txt": KnownFile(None, bad.stat().st_size, bad.stat().st_mtime_ns, "rejected"),
    }
    result = plan(discover(tmp_path), tmp_path, known)
    assert result.to_read == ["bad.txt"] and result.unchanged == ["same.txt"]
    everything = plan(discover(tmp_path), tmp_path, known, read_all=True)
    assert everything.to_read == ["bad.txt", "same.txt"]
    assert everything.unchanged == [] and everything.deleted == []


def test_plan_reads_a_file_whose_time_changed_and_one_it_cannot_stat(tmp_path: Path) -> None:
    touched = write_file(tmp_path, "sub/touched.txt", b"same size")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    known = {
        "sub/touched.txt": KnownFile("d1", touched.stat().st_size, 1, "loaded"),
        "dangling.txt": KnownFile("d2", 0, 0, "loaded"),
    }
    result = plan(discover(tmp_path), tmp_path, known)
    # Reading the dangling link will say what is wrong with it.
    assert sorted(result.to_read) == [
        "dangling.txt",
        "sub/touched.txt",
    ]
    assert result.unchanged == [] and result.deleted == []


def test_a_duplicate_known_as_such_is_unchanged_and_an_empty_folder_plans_nothing(
    tmp_path: Path,
) -> None:
    copy = write_file(tmp_path, "copy.txt", b"one")
    known = {"copy.txt": KnownFile("d1", 3, copy.stat().st_mtime_ns, "duplicate")}
    assert plan(discover(tmp_path), tmp_path, known).unchanged == ["copy.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = plan(discover(empty), empty, known)
    assert (result.to_read, result.unchanged, result.deleted) == ([], [], ["copy.txt"])
