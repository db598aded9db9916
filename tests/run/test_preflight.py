"""Checks a run makes before it reads any article: every column a contract declares is one
the engine fills, every value the engine writes into a closed set is allowed, and the
warehouse holds no column a contract stopped declaring."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SEEDS, edit_file

from newsfigures.config import ConfigError, Project, load_project
from newsfigures.run import runner
from newsfigures.run.preflight import preflight


def test_a_status_the_engine_writes_cannot_be_refused_by_a_contract(
    project_copy: Path, tmp_path: Path
) -> None:
    edit_file(
        project_copy,
        "schemas/files.yml",
        "values: [loaded, duplicate, rejected, skipped, sidecar]",
        "values: [bogus]",
    )
    project = load_project(project_copy)
    with pytest.raises(
        ConfigError, match=r"schemas/files\.yml: checks\.status_declared\.values.*'loaded'"
    ):
        preflight(project, None)
    with pytest.raises(ConfigError):
        runner.check(SEEDS, project, runner.LocalExecutor())


def test_a_publication_date_source_the_engine_writes_cannot_be_refused(
    project_copy: Path,
) -> None:
    edit_file(
        project_copy,
        "schemas/documents.yml",
        "values: [text, dateline+sidecar, dateline+option, dateline+mtime, record, page]",
        "values: [text, dateline+sidecar]",
    )
    with pytest.raises(
        ConfigError,
        match=r"schemas/documents\.yml: checks\.published_date_source_declared\.values: .*"
        r"'dateline\+option', 'dateline\+mtime'",
    ):
        preflight(load_project(project_copy), None)


def test_a_column_the_engine_cannot_fill_is_refused(project_copy: Path) -> None:
    edit_file(
        project_copy,
        "schemas/figures.yml",
        "  - {name: run_id,",
        '  - {name: confidence, type: DOUBLE, description: "made up"}\n  - {name: run_id,',
    )
    with pytest.raises(
        ConfigError, match=r"figures\.yml: columns: 'confidence': the engine has no value"
    ):
        preflight(load_project(project_copy), None)


def test_a_column_a_contract_drops_is_not_dropped_from_the_warehouse(
    project_copy: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    runner.run(SEEDS, warehouse, load_project(project_copy), runner.LocalExecutor())
    edit_file(project_copy, "schemas/figures.yml", "  - {name: affiliation,", "  - {name: _gone,")
    edit_file(
        project_copy,
        "schemas/figures.yml",
        "{name: _gone, type: VARCHAR,",
        "{name: affil, type: VARCHAR,",
    )
    with pytest.raises(
        ConfigError, match=r"holds column 'affiliation', which this contract no longer declares"
    ):
        runner.run(SEEDS, warehouse, load_project(project_copy), runner.LocalExecutor())


def test_the_project_s_declarations_pass_and_give_the_models_to_create(
    project: Project, tmp_path: Path
) -> None:
    views = sorted(p.stem for p in project.views_dir.glob("*.sql"))
    assert sorted(m.name for m in preflight(project, None)) == views
    assert sorted(m.name for m in preflight(project, tmp_path / "no-state-yet.duckdb")) == views


def test_every_value_the_engine_writes_must_be_allowed_and_all_are_told_at_once(
    project_copy: Path,
) -> None:
    edit_file(project_copy, "schemas/rejects.yml", "values: [error, warn]", "values: [error]")
    edit_file(
        project_copy,
        "schemas/runs.yml",
        "values: [ok, errors, incomplete]",
        "values: [ok, failed, incomplete]",
    )
    with pytest.raises(ConfigError) as caught:
        preflight(load_project(project_copy), None)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 2
    assert problems[0].startswith("schemas/rejects.yml: checks.")
    assert problems[0].endswith(
        "['error']: the engine writes 'warn' into rejects.severity; this check would refuse it"
    )
    assert problems[1].endswith(
        "['ok', 'failed', 'incomplete']: the engine writes 'errors' into runs.status; this check would "
        "refuse it"
    )


def test_a_warehouse_column_still_declared_is_no_problem(
    project: Project, project_copy: Path, tmp_path: Path
) -> None:
    """Columns are compared with the state database's tables only: a new column is added by
    the commit, and the warehouse's views are no contract's."""
    warehouse = tmp_path / "warehouse"
    runner.run(SEEDS, warehouse, project, runner.LocalExecutor())
    state = warehouse / project.settings.warehouse.state_database
    assert [m.name for m in preflight(project, state)] == [m.name for m in preflight(project, None)]
    edit_file(
        project_copy,
        "schemas/figures.yml",
        "  - {name: run_id,",
        '  - {name: note, type: VARCHAR, description: "new"}\n  - {name: run_id,',
    )
    with pytest.raises(ConfigError) as caught:
        preflight(load_project(project_copy), state)
    # Refused because the engine has no value for it, not because the warehouse lacks it.
    assert [str(p) for p in caught.value.problems] == [
        "schemas/figures.yml: columns: 'note': the engine has no value for this column"
    ]
