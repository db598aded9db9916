"""The CLI, called as a user calls it: a subprocess in a folder, reading exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from support import REPO

CLI = [sys.executable, "-m", "newsfigures.cli"]


def newsfigures(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.mark.prefect
def test_run_builds_the_warehouse_and_prints_a_summary(seeds_copy: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "out"
    result = newsfigures("run", "--seeds", str(seeds_copy), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert "5 documents" in result.stdout and "status: ok" in result.stdout
    # The flow writes the analyst report after the run (and links it as an artifact).
    assert f"report: {warehouse / 'report.html'}" in result.stdout
    assert (warehouse / "report.html").read_text(encoding="utf-8").count("<svg") == 2
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from documents").fetchone() == (5,)
        assert con.execute("select count(*) from figures").fetchone()[0] >= 30


@pytest.mark.prefect
def test_run_exits_1_after_loading_what_is_valid(bad_seeds: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "out"
    result = newsfigures("run", "--seeds", str(bad_seeds), "--warehouse", str(warehouse))
    assert result.returncode == 1, result.stderr
    assert "implausible_count.txt" in result.stdout and "impossible_date.txt" in result.stdout
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        assert con.execute("select source_file from documents").fetchall() == [
            ("implausible_count.txt",)
        ]
        assert (
            con.execute("select count(*) from rejects where severity = 'error'").fetchone()[0] >= 2
        )


def test_check_passes_on_the_seeds_and_writes_nothing(tmp_path: Path, seeds_copy: Path) -> None:
    result = newsfigures("check", "--seeds", str(seeds_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check passed: 5 files, 0 errors" in result.stdout
    assert sorted(p.name for p in seeds_copy.iterdir()) == sorted(
        p.name for p in (REPO / "seeds").iterdir()
    )


def test_check_fails_naming_both_bad_files(bad_seeds: Path) -> None:
    result = newsfigures("check", "--seeds", str(bad_seeds), "--errors-only")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    counts = [line for line in lines if "implausible_count.txt" in line]
    date = next(line for line in lines if "impossible_date.txt" in line and "calendar" in line)
    # Both the headline ("a billion fighters") and the body's "1,000,000,000 fighters".
    assert [line.split("implausible_count.txt")[1][:40] for line in counts] == [
        ":1: error value_within_category_bound: t",
        ":5: error value_within_category_bound: t",
    ]
    assert all("1000000000 combatants" in line for line in counts)
    assert ":3: error published_date_is_calendar_date" in date and "February 30, 2019" in date
    assert lines[-1].startswith("check FAILED: 2 files")


def test_check_json_is_machine_readable(bad_seeds: Path) -> None:
    result = newsfigures("check", "--seeds", str(bad_seeds), "--json")
    report = json.loads(result.stdout)
    assert report["files"] == 2 and report["errors"] >= 2
    assert {r["source_file"] for r in report["rejects"] if r["severity"] == "error"} == {
        "implausible_count.txt",
        "impossible_date.txt",
    }


def test_usage_and_runtime_errors_exit_2(tmp_path: Path) -> None:
    assert newsfigures("frobnicate").returncode == 2
    missing = newsfigures("check", "--seeds", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    no_project = newsfigures("check", cwd=tmp_path)
    assert no_project.returncode == 2 and "no newsfigures project found" in no_project.stderr


def test_a_year_option_outside_the_publication_window_exits_2(seeds_copy: Path) -> None:
    result = newsfigures("check", "--seeds", str(seeds_copy), "--year", "1200")
    assert result.returncode == 2
    assert "--year 1200: outside the publication-date window" in result.stderr


def test_score_takes_the_year_option_for_articles_without_a_sidecar(tmp_path: Path) -> None:
    """`score` reads articles as a run does: with their sidecar, else the --year."""
    articles, gold = tmp_path / "articles", tmp_path / "gold"
    articles.mkdir()
    gold.mkdir()
    text = "Karabakh exodus nears its end\n\nGENEVA, Oct 3 (Reuters) - Few people remain.\n"
    for name in ("a", "b"):
        (articles / f"{name}.txt").write_text(text, encoding="utf-8")
        doc = {"published_date": "2023-10-03" if name == "a" else "2021-10-03"}
        (gold / f"{name}.json").write_text(json.dumps({"doc": doc, "figures": []}))
    (articles / "a.meta.json").write_text('{"year": 2023}', encoding="utf-8")
    args = ("score", "--seeds", str(articles), "--gold", str(gold), "--json")
    without = json.loads(newsfigures(*args).stdout)
    assert without["published_date_accuracy"] == 0.5  # a's sidecar; b has no year
    result = newsfigures(*args, "--year", "2021")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["published_date_accuracy"] == 1.0


def test_score_prints_precision_recall_and_f1() -> None:
    result = newsfigures("score", "--json")
    assert result.returncode == 0, result.stderr
    score = json.loads(result.stdout)
    assert score["documents"] == 5 and score["f1"] >= 0.95


@pytest.mark.prefect
@pytest.mark.parametrize("verbose", [False, True], ids=["quiet", "verbose"])
def test_run_on_a_busy_warehouse_says_who_holds_it(
    seeds_copy: Path, tmp_path: Path, verbose: bool
) -> None:
    from newsfigures.load.lock import warehouse_lock

    args = ["run", "--seeds", str(seeds_copy), "--warehouse", str(tmp_path), "--wait", "1"]
    with warehouse_lock(tmp_path, "the-scheduled-run"):
        result = newsfigures(*args, *(["-v"] if verbose else []))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    # The CLI's own error, last; before it, Prefect's log of the failed flow run only with -v.
    assert lines[-1].startswith("error: ") and "being loaded by run the-scheduled-run" in lines[-1]
    if verbose:
        assert "Traceback" in result.stderr
    else:
        assert lines == lines[-1:], result.stderr


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse of the seeds, built in-process (the export reads it as a user would)."""
    from support import SEEDS, run_once

    from newsfigures.config import load_project

    warehouse = tmp_path_factory.mktemp("published")
    run_once(load_project(REPO), SEEDS, warehouse)
    return warehouse


@pytest.mark.parametrize("file_format", ["csv", "parquet", "json"])
def test_export_writes_a_view_in_each_format(
    published: Path, tmp_path: Path, file_format: str
) -> None:
    result = newsfigures(
        "--project",
        str(REPO),
        "export",
        "estimate_groups",
        "--format",
        file_format,
        "--warehouse",
        str(published),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    written = tmp_path / f"estimate_groups.{file_format}"
    assert result.stdout.strip() == f"wrote 20 rows of estimate_groups to {written.name}"
    reader = {"csv": "read_csv", "parquet": "read_parquet", "json": "read_json"}[file_format]
    with duckdb.connect() as con:
        found = con.execute(
            f"select n_sources, low, high from {reader}('{written}') "
            "where category = 'combatants' and event = 'remain' and place = 'Baghouz'"
        ).fetchall()
    assert found == [(2, 100, 1500)]


def test_export_to_a_named_file(published: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "figures.json"
    result = newsfigures(
        "--project",
        str(REPO),
        "export",
        "figures",
        "--format",
        "json",
        "-o",
        str(target),
        "--warehouse",
        str(published),
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 42


def test_export_of_an_unknown_name_lists_what_exists(published: Path, tmp_path: Path) -> None:
    result = newsfigures(
        "--project", str(REPO), "export", "estimates", "--warehouse", str(published), cwd=tmp_path
    )
    assert result.returncode == 2
    assert "error: no table or view named 'estimates'" in result.stderr
    assert "estimate_groups, estimate_mentions, figures" in result.stderr
    assert not list(tmp_path.iterdir())


def test_export_without_a_warehouse_says_to_run_first(tmp_path: Path) -> None:
    result = newsfigures(
        "--project",
        str(REPO),
        "export",
        "figures",
        "--warehouse",
        str(tmp_path / "none"),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "run `newsfigures run` first" in result.stderr


def test_report_writes_one_html_file_into_the_warehouse(published: Path, tmp_path: Path) -> None:
    result = newsfigures("--project", str(REPO), "report", "--warehouse", str(published))
    assert result.returncode == 0, result.stderr
    written = published / "report.html"
    assert result.stdout.strip() == f"wrote {written}"
    assert written.read_text(encoding="utf-8").count("<svg") == 2


def test_report_without_a_warehouse_says_to_run_first(tmp_path: Path) -> None:
    result = newsfigures("--project", str(REPO), "report", "--warehouse", str(tmp_path))
    assert result.returncode == 2
    assert "run `newsfigures run` first" in result.stderr
