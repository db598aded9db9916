"""One run at a time per warehouse: a second run is told who holds the lock or waits for it,
and a holder that ends, fails or dies releases it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support import run_once

from newsfigures.config import Project
from newsfigures.load.lock import WarehouseBusy, warehouse_lock
from newsfigures.run import runner


def test_one_run_at_a_time(project: Project, seeds_copy: Path, tmp_path: Path) -> None:
    busy = pytest.raises(WarehouseBusy, match="being loaded by run other-run")
    with warehouse_lock(tmp_path, "other-run"), busy:
        runner.run(seeds_copy, tmp_path, project, runner.LocalExecutor(), lock_wait_seconds=0.5)
    assert run_once(project, seeds_copy, tmp_path).documents == 5


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time; from pathlib import Path; from newsfigures.load.lock import warehouse_lock\n"
            "with warehouse_lock(Path(sys.argv[1]), 'doomed'):\n print('held', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    os.kill(holder.pid, 9)
    holder.wait()
    with warehouse_lock(tmp_path, "next", wait_seconds=5):
        pass


def test_the_lock_file_says_who_holds_it_and_a_second_taker_is_told(tmp_path: Path) -> None:
    warehouse = tmp_path / "new" / "warehouse"
    with warehouse_lock(warehouse, "run-1"):
        holder = (warehouse / ".lock").read_text()
        assert holder.startswith(f"run run-1 (pid {os.getpid()}, since ") and holder.endswith(
            " UTC)"
        )
        with pytest.raises(WarehouseBusy) as caught, warehouse_lock(warehouse, "run-2"):
            pass
    assert str(caught.value) == (
        f"{warehouse} is being loaded by {holder}; this run did nothing. Wait for it "
        "(lock_wait_seconds in config/settings.yml, or --wait) or run again later."
    )


def test_the_lock_is_released_when_the_block_ends_even_by_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError), warehouse_lock(tmp_path, "failing"):
        raise ValueError("the run failed")
    with warehouse_lock(tmp_path, "next"):
        assert "run next " in (tmp_path / ".lock").read_text()


def test_a_run_waits_for_the_lock_up_to_the_time_it_is_given(tmp_path: Path) -> None:
    released = threading.Event()

    def hold() -> None:
        with warehouse_lock(tmp_path, "first"):
            taken.set()
            released.wait(5)

    taken = threading.Event()
    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(5)
        started = time.monotonic()
        with pytest.raises(WarehouseBusy), warehouse_lock(tmp_path, "second", wait_seconds=0.5):
            pass
        assert time.monotonic() - started >= 0.5
        threading.Timer(0.3, released.set).start()
        with warehouse_lock(tmp_path, "third", wait_seconds=5):
            assert "run third " in (tmp_path / ".lock").read_text()
    finally:
        released.set()
        holder.join()
