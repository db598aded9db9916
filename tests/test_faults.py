"""The fault suite: bad inputs, a file vanishing mid-run, kill -9 at every phase of a run over
a few thousand articles, concurrent runs, re-runs. Each fault must leave every input
accounted for, no row lost and no row doubled. The tally is printed at the end of the test
session (conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
from conftest import FIXTURES, REPO, fault_tally

from newsfigures import runner
from newsfigures.config import Project

TABLES = {
    "documents": "doc_id",
    "figures": "figure_id",
    "rejects": "reject_id",
    "files": "source_file",
}


def content(warehouse: Path) -> dict[str, list[tuple]]:
    """Every data row of the published warehouse, without the columns that say when."""
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        return {
            t: con.execute(f"select * exclude (run_id) from {t} order by all").fetchall()
            for t in TABLES
        }


def duplicates(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        return sum(
            con.execute(f"select count(*) - count(distinct {key}) from {t}").fetchone()[0]
            for t, key in TABLES.items()
        )


def lost(expected: dict[str, list[tuple]], actual: dict[str, list[tuple]]) -> int:
    return sum(len(set(expected[t]) - set(actual[t])) for t in TABLES)


class VanishingExecutor(runner.LocalExecutor):
    """Deletes a file after the run has planned to read it, before it is read."""

    def __init__(self, victim: Path):
        self.victim = victim

    def map(self, fn: Callable[..., Any], items: Sequence[Any], *args: Any) -> list[Any]:
        self.victim.unlink(missing_ok=True)
        return super().map(fn, items, *args)


def bad_inputs(folder: Path) -> dict[str, str | None]:
    """Write every kind of bad input into `folder`; return file -> expected check (None: loads)."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.txt").write_bytes(
        "Caf\xe9 owners said about 40 refugees arrived on Sunday.\n".encode("latin-1")
    )
    with open(folder / "huge.txt", "wb") as huge:
        huge.write(b"Some 200 Daesh fighters surrendered. " * (50_000_000 // 37 + 1))
    (folder / "page.txt").write_text(
        "<!DOCTYPE html><html><body>About 300 IS fighters</body></html>"
    )
    (folder / "vanishing.txt").write_text("Officials said nearly 5,000 people were evacuated.\n")
    locked = folder / "unreadable.txt"
    locked.write_text("Officials said at least 800 foreign fighters are in custody.\n")
    locked.chmod(0)
    os.symlink(folder / "loop_b.txt", folder / "loop_a.txt")
    os.symlink(folder / "loop_a.txt", folder / "loop_b.txt")
    os.mkfifo(folder / "fifo.txt")
    for name in ("impossible_date.txt", "implausible_count.txt"):
        shutil.copy(FIXTURES / "bad_seeds" / name, folder / name)
    root = os.geteuid() == 0
    return {
        "empty.txt": "file_empty",
        "binary.txt": "file_binary",
        "latin1.txt": None,  # not UTF-8, decoded as cp1252
        "huge.txt": "file_too_large",
        "page.txt": "file_html",
        "vanishing.txt": "file_vanished",
        "unreadable.txt": None if root else "file_unreadable",  # root reads anything
        "loop_a.txt": "file_unreadable",
        "loop_b.txt": "file_unreadable",
        "fifo.txt": "file_not_regular",
        "impossible_date.txt": "published_date_is_calendar_date",
        "implausible_count.txt": "value_within_category_bound",
    }


def test_every_bad_input_is_accounted_for_and_the_run_goes_on(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    expected = bad_inputs(seeds_copy)
    warehouse = tmp_path / "warehouse"
    summary = runner.run(
        seeds_copy, warehouse, project, VanishingExecutor(seeds_copy / "vanishing.txt")
    )
    assert (
        summary.exit_code == 1 and summary.documents >= 5 + 2
    )  # seeds, latin1, the valid bad-seed file
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        outcome = {
            source: (status, check)
            for source, status, check in con.execute(
                "select source_file, status, check_name from files"
            ).fetchall()
        }
        rejected = {
            (r[0], r[1]): r[2]
            for r in con.execute(
                "select source_file, check_name, reason from rejects where severity = 'error'"
            ).fetchall()
        }
    for name, check in expected.items():
        assert name in outcome, f"{name} has no outcome"
        if check is None:
            assert outcome[name][0] == "loaded", (name, outcome[name])
        elif check.startswith("file_"):
            assert outcome[name] == ("rejected", check), (name, outcome[name])
            assert rejected[(name, check)], name
        else:
            assert rejected[(name, check)], (name, check)
    assert "symbolic links" in rejected[("loop_a.txt", "file_unreadable")]
    assert set(outcome) >= {p.name for p in seeds_copy.iterdir()} - {"vanishing.txt"}
    fault_tally.record(
        inputs=len(expected), survived=len(expected), lost=0, duplicated=duplicates(warehouse)
    )

    # The next run: the vanished file is gone from the manifest, nothing else changes.
    (seeds_copy / "fifo.txt").unlink()
    again = runner.run(seeds_copy, warehouse, project, runner.LocalExecutor())
    assert again.files_deleted == 2 and duplicates(warehouse) == 0


def _run_in_subprocess(
    seeds: Path, warehouse: Path, env: dict[str, str] | None = None, wait: float = 0
) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from pathlib import Path\n"
        "from newsfigures import runner\nfrom newsfigures.config import load_project\n"
        "from newsfigures.lock import WarehouseBusy\n"
        "try:\n"
        f"    s = runner.run(sys.argv[1], sys.argv[2], load_project(Path({str(REPO)!r})), runner.LocalExecutor(), {wait})\n"
        "    print('done', s.files_processed, s.files_skipped)\n"
        "except WarehouseBusy as exc:\n"
        "    print('busy:', exc); sys.exit(3)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(seeds), str(warehouse)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def test_two_concurrent_runs_one_waits_or_is_told_why(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    clean = tmp_path / "clean"
    runner.run(seeds_copy, clean, project, runner.LocalExecutor())
    for wait in (0, 120):
        shutil.rmtree(warehouse, ignore_errors=True)
        first = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys,time; from pathlib import Path; from newsfigures.lock import warehouse_lock\n"
                "with warehouse_lock(Path(sys.argv[1]), 'scheduled-run'):\n"
                " print('held', flush=True); time.sleep(4)",
                str(warehouse),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert first.stdout.readline().strip() == "held"
        second = _run_in_subprocess(seeds_copy, warehouse, wait=wait)
        first.wait()
        if wait == 0:
            assert second.returncode == 3 and "being loaded by run scheduled-run" in second.stdout
            assert not (warehouse / "newsfigures.duckdb").exists()
        else:
            assert second.returncode == 0 and second.stdout.startswith("done"), second.stderr
            assert content(warehouse) == content(clean) and duplicates(warehouse) == 0
        fault_tally.record(
            inputs=1, survived=1, lost=0, duplicated=duplicates(warehouse) if wait else 0
        )
