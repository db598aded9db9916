"""Reading ahead: the OS is asked for a batch's files ahead of the reader, never more than
the declared window ahead, and only for regular files that are not links."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from newsfigures.sources.read_ahead import ask_for, reading_ahead


def test_the_thread_stays_within_the_window_and_asks_for_every_file(tmp_path: Path) -> None:
    groups = [(tmp_path / f"{n}.txt", tmp_path / f"{n}.meta.json") for n in range(20)]
    asked: list[Path] = []
    lock = threading.Lock()
    read = 0

    def fetch(path: Path) -> bool:
        with lock:
            asked.append(path)
            # The group being asked for is at most `window` groups past those read.
            assert len(asked) // 2 <= read + 3
        return True

    with reading_ahead(groups, 3, fetch) as ahead:
        for n in range(len(groups)):
            # A reader slower than the thread: the group it reads has been asked for.
            while len(asked) < 2 * (n + 1):
                time.sleep(0.001)
            with lock:
                read += 1
            ahead.advance()
    assert asked == [path for group in groups for path in group]


def test_stopping_early_leaves_no_thread_behind(tmp_path: Path) -> None:
    groups = [(tmp_path / f"{n}.txt",) for n in range(100)]
    before = threading.active_count()
    with reading_ahead(groups, 2, lambda path: True) as ahead:
        ahead.advance()  # the reader stops after one file (an error, say)
    assert threading.active_count() == before


def test_a_window_of_zero_starts_no_thread(tmp_path: Path) -> None:
    groups = [(tmp_path / "a.txt",), (tmp_path / "b.txt",)]
    with reading_ahead(groups, 0, lambda path: pytest.fail("asked")) as ahead:
        assert not ahead.enabled
        ahead.advance()


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="the OS cannot be asked")
def test_only_regular_files_that_are_not_links_are_asked_for(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("About 40 people arrived.", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(article)
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)  # opening it for reading would wait for a writer
    assert ask_for(article)
    assert not ask_for(link)
    assert not ask_for(pipe)
    assert not ask_for(tmp_path / "gone.txt")
    assert not ask_for(tmp_path)
