"""The fault suite: bad inputs, a file vanishing mid-run, kill -9 at every phase of a run over
a few thousand articles, concurrent runs, re-runs. Each fault must leave every input
accounted for, no row lost and no row doubled. The tally is printed at the end of the test
session (conftest.py)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from support import FIXTURES, PAGES, REPO, build_warc, fault_tally

from newsfigures.config import Project
from newsfigures.faults import POINTS
from newsfigures.load.publish import PUBLISHED_SNAPSHOTS
from newsfigures.run import runner

pytestmark = pytest.mark.faults

TABLES = {
    "documents": "doc_id",
    "figures": "figure_id",
    "rejects": "reject_id",
    "files": "source_file",
}
# Columns that record when (or at which file timestamp) a row was made, not what it says.
WHEN = {t: "run_id" for t in TABLES} | {"files": "run_id, mtime_ns"}


def content(warehouse: Path) -> dict[str, list[tuple]]:
    """Every data row of the published warehouse, without the columns that say when."""
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        return {
            t: [
                tuple(tuple(v) if isinstance(v, list) else v for v in row)
                for row in con.execute(
                    f"select * exclude ({WHEN[t]}) from {t} order by all"
                ).fetchall()
            ]
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
    os.symlink("/etc/passwd", folder / "passwd.txt")
    outside = folder.parent / "outside.txt"
    outside.write_text("Some 200 fighters surrendered, officials said.\n")
    os.symlink(outside, folder / "outside_link.txt")
    (folder / "report.pdf").write_bytes(b"%PDF-1.7 not an article format")
    # Articles as they arrive: a page with broken markup, one with no article, an export
    # with a bad line, a web archive cut off in the middle of a page.
    shutil.copy(PAGES / "broken_html.html", folder / "broken.html")
    (folder / "no_article.html").write_text(
        "<html><head><title>x</title></head><body></body></html>"
    )
    good = '{"title": "Quake", "text": "A quake damaged 1,200 buildings, officials said."}'
    (folder / "feed.jsonl").write_text(good + "\n" + '{"title": "no closing brace"\n')
    whole = build_warc(folder.parent / "whole.warc.gz", ["wire_reuters", "liveblog"]).read_bytes()
    (folder / "cut.warc.gz").write_bytes(whole[: len(whole) * 3 // 5])
    (folder / "latin1.meta.json").write_text('{"yaer": 2019}')  # a sidecar, misspelt
    (folder / "nobody.meta.json").write_text('{"year": 2019}')  # a sidecar with no article
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
        "passwd.txt": "file_outside_folder",
        "outside_link.txt": "file_outside_folder",
        "report.pdf": "file_pdf",
        "broken.html": None,
        "no_article.html": "html_no_text",
        "feed.jsonl#line=1": None,
        "feed.jsonl#line=2": "record_invalid",
        "cut.warc.gz": "warc_truncated",
        "latin1.meta.json": "sidecar_invalid",
        "nobody.meta.json": "sidecar_without_article",
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
        elif check == "skipped":
            assert outcome[name] == ("skipped", "not_an_article"), (name, outcome[name])
        elif check.startswith("file_"):
            assert outcome[name] == ("rejected", check), (name, outcome[name])
            assert rejected[(name, check)], name
        else:
            assert rejected[(name, check)], (name, check)
    assert "symbolic links" in rejected[("loop_a.txt", "file_unreadable")]
    owners = {key.split("#")[0] for key in outcome}  # a record's file
    assert owners >= {p.name for p in seeds_copy.iterdir()} - {"vanishing.txt"}
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
        "from newsfigures.run import runner\nfrom newsfigures.config import load_project\n"
        "from newsfigures.load.lock import WarehouseBusy\n"
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
                "import sys,time; from pathlib import Path; from newsfigures.load.lock import warehouse_lock\n"
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


# -- kill -9 at every phase, over a few thousand articles -------------------------------------

ARTICLES = 2000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synth

    folder = tmp_path_factory.mktemp("corpus")
    synth.generate(ARTICLES, folder, seed=11, gold=False)
    return folder


@pytest.fixture(scope="module")
def clean_run(corpus: Path, project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The warehouse a single uninterrupted run over the corpus leaves."""
    warehouse = tmp_path_factory.mktemp("clean")
    runner.run(corpus, warehouse, project, runner.LocalExecutor())
    return content(warehouse)


def _with_earlier_state(corpus: Path, warehouse: Path, project: Project, scratch: Path) -> None:
    """A completed run over the corpus without its last tenth, so the killed run has new
    files to read and a real warehouse to leave intact."""
    held = sorted(p for p in corpus.rglob("*.txt"))[-ARTICLES // 10 :]
    aside = scratch / "aside"
    for path in held:
        target = aside / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
    try:
        runner.run(corpus, warehouse, project, runner.LocalExecutor())
    finally:
        for path in held:
            shutil.move(aside / path.relative_to(corpus), path)
            os.utime(path)  # as a newly arrived file would be


@pytest.mark.parametrize("point", POINTS)
def test_kill_9_at_any_phase_then_rerun_leaves_what_a_clean_run_leaves(
    point: str, corpus: Path, clean_run: dict, project: Project, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    _with_earlier_state(corpus, warehouse, project, tmp_path)
    before = content(warehouse)
    killed = _run_in_subprocess(corpus, warehouse, env={"NEWSFIGURES_FAILPOINT": point})
    assert killed.returncode == -9, killed.stderr[-2000:]
    _snapshots_are_of_one_run(warehouse)
    if point in ("after_plan", "after_extract", "after_stage", "before_commit", "between_commits"):
        assert content(warehouse) == before  # readers still see the last completed run
    rerun = _run_in_subprocess(corpus, warehouse)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    after = content(warehouse)
    missing, doubled = lost(clean_run, after), duplicates(warehouse)
    fault_tally.record(inputs=1, survived=int(after == clean_run), lost=missing, duplicated=doubled)
    assert (missing, doubled) == (0, 0)
    assert after == clean_run


def _snapshots_are_of_one_run(warehouse: Path) -> None:
    """Whatever a kill interrupted, `parquet/current` is one run's complete set of tables."""
    current = warehouse / "parquet" / "current"
    tables = {p.name for p in current.iterdir()}
    assert tables == {f"{t}.parquet" for t in PUBLISHED_SNAPSHOTS}
    with duckdb.connect() as con:
        [(last,)] = con.execute(
            f"select max(run_id) from read_parquet('{current / 'runs.parquet'}')"
        ).fetchall()
    assert last == current.resolve().name


def test_kill_9_of_a_real_prefect_run_at_a_random_moment(
    corpus: Path, clean_run: dict, tmp_path: Path
) -> None:
    """The orchestrated path, killed from outside while it works, then run again."""
    import random
    import time

    warehouse = tmp_path / "warehouse"
    command = [
        sys.executable,
        "-m",
        "newsfigures.cli",
        "run",
        "--seeds",
        str(corpus),
        "--warehouse",
        str(warehouse),
    ]
    victim = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    time.sleep(random.Random(ARTICLES).uniform(8, 16))
    os.killpg(victim.pid, 9)  # the run and its ephemeral Prefect server, as a crash would
    victim.wait()
    again = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert again.returncode in (0, 1), again.stderr[-2000:]
    after = content(warehouse)
    missing, doubled = lost(clean_run, after), duplicates(warehouse)
    fault_tally.record(inputs=1, survived=int(after == clean_run), lost=missing, duplicated=doubled)
    assert after == clean_run


def test_a_rerun_over_an_unchanged_folder_does_no_extraction(
    corpus: Path, project: Project, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    runner.run(corpus, warehouse, project, runner.LocalExecutor())
    before = content(warehouse)
    again = runner.run(corpus, warehouse, project, runner.LocalExecutor())
    assert (again.files_processed, again.files_skipped) == (0, ARTICLES)
    assert content(warehouse) == before and duplicates(warehouse) == 0
    fault_tally.record(inputs=1, survived=1, lost=0, duplicated=0)


# -- edits of duplicated files, bad declarations, analysts writing into the published file --


DUPLICATED_EDITS = {
    "edit the first copy": lambda f: _append(f / "a.txt"),
    "edit the second copy": lambda f: _append(f / "b.txt"),
    "delete the first copy": lambda f: (f / "a.txt").unlink(),
    "edit both copies alike": lambda f: (_append(f / "a.txt"), _append(f / "b.txt")),
    "edit a third copy added later": lambda f: (
        shutil.copy(f / "b.txt", f / "c.txt"),
        _append(f / "a.txt"),
    ),
}


def _append(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\nNearly 90 people fled on foot.\n")


@pytest.mark.parametrize("edit", list(DUPLICATED_EDITS))
def test_edits_of_duplicated_files_lose_nothing(
    edit: str, project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    for name in ("a.txt", "b.txt"):
        shutil.copy(seeds_copy / "003_162858cfc94cf061.txt", seeds_copy / name)
    warehouse, clean = tmp_path / "warehouse", tmp_path / "clean"
    runner.run(seeds_copy, warehouse, project, runner.LocalExecutor())
    DUPLICATED_EDITS[edit](seeds_copy)
    runner.run(seeds_copy, warehouse, project, runner.LocalExecutor())
    runner.run(seeds_copy, clean, project, runner.LocalExecutor())
    expected, after = content(clean), content(warehouse)
    missing, doubled = lost(expected, after), duplicates(warehouse)
    fault_tally.record(inputs=1, survived=int(after == expected), lost=missing, duplicated=doubled)
    assert (missing, doubled) == (0, 0) and after == expected


BAD_DECLARATIONS = {
    "batch size -1": ("config/settings.yml", "  size: 3000", "  size: -1"),
    "vague low > high": (
        "config/vocabulary.yml",
        '{phrase: "dozens", low: 12, high: 99}',
        '{phrase: "dozens", low: 99, high: 12}',
    ),
    "negative bound": ("config/bounds.yml", "troops: 5000000", "troops: -1"),
    "window in 2100": ("config/bounds.yml", 'earliest: "1900-01-01"', 'earliest: "2100-01-01"'),
    "bounds: lots": ("config/bounds.yml", "value_bounds:\n", "value_bounds: lots\nx:\n"),
    "memory_limit: lots": ("config/settings.yml", "memory_limit: 1GB", "memory_limit: lots"),
    "misspelt key": ("config/settings.yml", "  max_bytes:", "  max_byte:"),
    "invalid regex": ("config/vocabulary.yml", "  - '^Home\\s*(?:", "  - '^Home\\s*((?:"),
    "undeclared status": (
        "schemas/files.yml",
        "values: [loaded, duplicate, rejected, skipped, sidecar]",
        "values: [bogus]",
    ),
}


@pytest.mark.parametrize("name", list(BAD_DECLARATIONS))
def test_bad_declarations_are_refused_before_anything_changes(
    name: str, project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    from newsfigures.config import ConfigError, load_project

    warehouse = tmp_path / "warehouse"
    runner.run(seeds_copy, warehouse, load_project(project_copy), runner.LocalExecutor())
    before = content(warehouse)
    file, old, new = BAD_DECLARATIONS[name]
    path = project_copy / file
    assert old in path.read_text(encoding="utf-8"), old
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    (seeds_copy / "new.txt").write_text("About 300 civilians fled on Sunday.\n")
    with pytest.raises(ConfigError) as refused:
        runner.run(seeds_copy, warehouse, load_project(project_copy), runner.LocalExecutor())
    assert file in str(refused.value)
    after = content(warehouse)
    fault_tally.record(
        inputs=1, survived=int(after == before), lost=lost(before, after), duplicated=0
    )
    assert after == before


def test_a_killed_analyst_session_that_wrote_into_the_warehouse_is_survived(
    project: Project, seeds_copy: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    runner.run(seeds_copy, warehouse, project, runner.LocalExecutor())
    analyst = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,os; c=duckdb.connect(sys.argv[1]); "
            "c.execute('create table mine as select 1 x'); os.kill(os.getpid(), 9)",
            str(warehouse / "newsfigures.duckdb"),
        ]
    )
    analyst.wait()
    (seeds_copy / "new.txt").write_text("About 300 civilians fled on Sunday.\n")
    runner.run(seeds_copy, warehouse, project, runner.LocalExecutor())
    clean = tmp_path / "clean"
    runner.run(seeds_copy, clean, project, runner.LocalExecutor())
    expected, after = content(clean), content(warehouse)
    fault_tally.record(
        inputs=1,
        survived=int(after == expected),
        lost=lost(expected, after),
        duplicated=duplicates(warehouse),
    )
    assert after == expected


def test_a_50_mb_web_archive_loads_its_pages_and_counts_the_rest(
    project: Project, tmp_path: Path
) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    archive = seeds / "big.warc.gz"
    build_warc(archive, ["opengraph_jsonld", "wire_reuters", "liveblog"])
    with archive.open("ab") as out:  # 50 photos of 1 MB each, which do not compress
        writer = WARCWriter(out, gzip=True)
        for number in range(50):
            body = os.urandom(1_000_000)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], "HTTP/1.1")
            url = f"https://news.example.org/photo{number}.jpg"
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    assert archive.stat().st_size > 50_000_000
    summary = runner.run(seeds, tmp_path / "warehouse", project, runner.LocalExecutor())
    assert summary.documents == 3 and summary.errors == 0
    with duckdb.connect(str(tmp_path / "warehouse" / "newsfigures.duckdb"), read_only=True) as con:
        [(reason,)] = con.execute(
            "select reason from files where source_file = 'big.warc.gz' and status = 'skipped'"
        ).fetchall()
    assert "3 HTML pages read" in reason and "51 response (image/jpeg)" in reason
    fault_tally.record(inputs=1, survived=1, lost=0, duplicated=0)
