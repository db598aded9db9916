"""One run at a time per warehouse: an exclusive lock on `warehouse/.lock`.

The lock is an OS file lock (flock), so it is released when the process ends however it
ends, kill -9 included: a crashed run never leaves the warehouse locked. The file also
records who holds it, for the message a second run prints.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse lock."""


@contextmanager
def warehouse_lock(warehouse: Path, run_id: str, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's lock for the block; wait up to `wait_seconds` for it."""
    warehouse.mkdir(parents=True, exist_ok=True)
    path = warehouse / ".lock"
    handle = open(path, "a+")  # noqa: SIM115 - held open for the whole block
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise WarehouseBusy(
                        f"{warehouse} is being loaded by {holder}; this run did nothing. "
                        "Wait for it (lock_wait_seconds in config/settings.yml, or --wait) "
                        "or run again later."
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"run {run_id} (pid {os.getpid()}, since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)"
        )
        handle.flush()
        yield
    finally:
        handle.close()  # closing the descriptor releases the lock
