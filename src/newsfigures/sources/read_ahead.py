"""Reading ahead: the OS is asked for a batch's files a few files before they are read.

A file that is not in the page cache makes its first read wait on the disk, and with one
worker per core that wait is a core doing nothing. A thread walks the batch ahead of the
extraction and asks the kernel to fetch each file (`posix_fadvise(WILLNEED)`), so the wait
overlaps the work on the files before it. The thread reads nothing itself: it opens only
regular files that are not links, never blocks on a pipe, and the file is read (and
checked) later, by its reader, as before. `batch.read_ahead` in config/settings.yml says
how many files ahead it may go (0: no thread).
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def ask_for(path: Path) -> bool:
    """Ask the OS to fetch `path` into the page cache; False when it is not a regular file
    (a link, a pipe, gone) or the platform cannot be asked."""
    advise = getattr(os, "posix_fadvise", None)
    try:
        if advise is None or not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        descriptor = os.open(path, _FLAGS)
    except OSError:
        return False
    try:
        advise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)


class ReadAhead:
    """Walks `groups` (the files read together, an article and its sidecar) at most `window`
    groups ahead of the reader, which calls `advance` after each."""

    def __init__(
        self,
        groups: Sequence[Sequence[Path | None]],
        window: int,
        fetch: Callable[[Path], bool] = ask_for,
    ) -> None:
        self._groups = groups
        self._fetch = fetch
        self._slots = threading.Semaphore(window)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._walk, name="read-ahead", daemon=True)
        self.enabled = window > 0 and len(groups) > 1

    def advance(self) -> None:
        """The reader is done with one group: the thread may ask for one more."""
        if self.enabled:
            self._slots.release()

    def _walk(self) -> None:
        for group in self._groups:
            self._slots.acquire()
            if self._stopped.is_set():
                return
            for path in group:
                if path is not None:
                    self._fetch(path)

    def start(self) -> None:
        if self.enabled:
            self._thread.start()

    def stop(self) -> None:
        if self.enabled:
            self._stopped.set()
            self._slots.release()  # a thread waiting for a slot wakes and sees the stop
            self._thread.join()


@contextmanager
def reading_ahead(
    groups: Sequence[Sequence[Path | None]],
    window: int,
    fetch: Callable[[Path], bool] = ask_for,
) -> Iterator[ReadAhead]:
    """A `ReadAhead` running for the block."""
    ahead = ReadAhead(groups, window, fetch)
    ahead.start()
    try:
        yield ahead
    finally:
        ahead.stop()
