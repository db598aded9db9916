"""One run at a time per warehouse: a second run is told who holds the lock, and a holder
that dies releases it."""

from __future__ import annotations

import os
import subprocess
import sys
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
