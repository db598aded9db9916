"""The steps of a run as plain functions of their inputs, with the retries each declares:
run by hand here in the order the runner runs them."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from support import rows

from newsfigures.config import Project
from newsfigures.load.models import load_models
from newsfigures.run.steps import (
    check_run,
    commit_run,
    extract_batch,
    find_partners,
    plan_files,
    publish_warehouse,
    step,
)
from newsfigures.run.summary import RunSummary


def test_a_step_declares_its_retries() -> None:
    @step(retries=3)
    def flaky() -> int:
        return 1

    assert flaky.retries == 3 and flaky() == 1
    assert step()(lambda: None).retries == 0
    # Reading and writing files may meet a transient error; extraction is deterministic.
    assert [s.retries for s in (plan_files, find_partners, check_run, commit_run)] == [2, 2, 2, 2]
    assert (publish_warehouse.retries, extract_batch.retries) == (2, 0)


def test_planning_a_folder_that_is_not_there_fails(project: Project, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"seeds folder .*/nowhere does not exist"):
        plan_files(tmp_path / "nowhere", project, {}, False)


def test_planning_leaves_out_the_names_the_settings_exclude(
    project: Project, seeds_copy: Path
) -> None:
    (seeds_copy / ".notes.txt").write_text("hidden")
    (seeds_copy / "draft.txt~").write_text("backup")
    plan = plan_files(seeds_copy, project, {}, False)
    assert sorted(plan.to_read) == sorted(p.name for p in seeds_copy.glob("0*.txt"))
    assert (plan.unchanged, plan.deleted) == ([], [])


def test_the_steps_of_a_run_in_order(project: Project, seeds_copy: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    state = warehouse / project.settings.warehouse.state_database
    staged = warehouse / "staging" / "r1"
    plan = plan_files(seeds_copy, project, {}, False)
    batches = [(0, plan.to_read[:3]), (1, plan.to_read[3:])]
    summaries = [extract_batch(b, seeds_copy, project, "r1", staged) for b in batches]
    assert [s.files_staged for s in summaries] == [3, 2]
    assert sorted(p.name for p in (staged / "files").iterdir()) == [
        "part-000000-0000.parquet",
        "part-000001-0000.parquet",
    ]
    # Nothing is committed yet: no warehouse document shares a sentence with the run.
    assert find_partners(staged, state, [], project) == []
    checks = check_run(staged, state, [], project, "r1")
    assert (checks.flagged, checks.duplicates) == (1, 0)  # 004 is a later copy of 003
    assert pq.read_table(staged / "canonical" / "part-run.parquet").num_rows == 5

    run = RunSummary.of_summaries(summaries, "r1", str(seeds_copy))
    loaded = commit_run(staged, [], run, project, load_models(project), state)
    assert (loaded.database, loaded.documents) == (state, 5)
    assert loaded.views == sorted(p.stem for p in project.views_dir.glob("*.sql"))
    database = publish_warehouse(state, warehouse, project, "r1")
    assert database == warehouse / "newsfigures.duckdb"
    assert rows(warehouse, "select run_id, documents_loaded from runs") == [("r1", 5)]
    assert (warehouse / "parquet" / "current").resolve().name == "r1"

    # Committed, the warehouse's documents are partners of a run reading a copy of one.
    (seeds_copy / "zz-copy.txt").write_bytes((seeds_copy / "004_d3d7cfa834a73cd2.txt").read_bytes())
    again = warehouse / "staging" / "r2"
    extract_batch((0, ["zz-copy.txt"]), seeds_copy, project, "r2", again)
    # 003 shares its sentences; 004 holds the very text the run read: not its own partner.
    assert find_partners(again, state, [], project) == ["003_162858cfc94cf061.txt"]
