"""Declarations are read once, typed and checked before any article is read: every problem
names its file, line, key path and value, and nothing is written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, SEEDS

from newsfigures.config import ConfigError, load_project
from newsfigures.run import runner
from newsfigures.run.preflight import preflight


def _edit(project: Path, file: str, old: str, new: str) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(project: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_project(project)
    return str(caught.value)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "config/vocabulary.yml",
            '{phrase: "dozens", low: 12, high: 99}',
            '{phrase: "dozens", low: 99, high: 12}',
            r"config/vocabulary\.yml:\d+: vague_quantities\[2\]: .*low 99 is greater than high 12",
        ),
        (
            "config/bounds.yml",
            "combatants: 1000000",
            "combatants: -5",
            r"config/bounds\.yml:\d+: value_bounds\.combatants: -5: must be at least 1",
        ),
        (
            "config/bounds.yml",
            'earliest: "1900-01-01"',
            'earliest: "2100-01-01"',
            r"config/bounds\.yml:\d+: published_date\.earliest: .*2100.*is after today",
        ),
        (
            "config/bounds.yml",
            "value_bounds:\n",
            "value_bounds: lots\nunused_bounds:\n",
            r"config/bounds\.yml:\d+: value_bounds: 'lots': expected a mapping",
        ),
        (
            "config/settings.yml",
            "memory_limit: 1GB",
            "memory_limit: lots",
            r"config/settings\.yml:\d+: warehouse\.memory_limit: 'lots': expected a size",
        ),
        (
            "config/settings.yml",
            "  size: 500",
            "  size: -1",
            r"config/settings\.yml:\d+: batch\.size: -1: must be at least 1",
        ),
        (
            "config/settings.yml",
            "  include:",
            "  inclde:",
            r"config/settings\.yml:\d+: ingest\.inclde: unknown key \(did you mean 'include'\?\)",
        ),
        (
            "config/vocabulary.yml",
            "outlet_lines: ['^(?:Source|Sources)",
            "outlet_lines: ['^(?:Source|Sources",
            r"config/vocabulary\.yml:\d+: outlet_lines\[0\]: .*not a valid regular expression",
        ),
        (
            "config/vocabulary.yml",
            "(?P<outlet>[^|,;]+?)",
            "(?P<name>[^|,;]+?)",
            r"outlet_lines\[0\]: .*needs the named group \(\?P<outlet>",
        ),
        (
            "config/vocabulary.yml",
            "    surrender: [surrender,",
            "    surender: [surrender,",
            r"events\.cues\.surender: 'surender': not a declared event class "
            r"\(did you mean 'surrender'\?\)",
        ),
        (
            "config/dates.yml",
            "  - name: iso\n    pattern: '(?P<year>\\d{4})(?P<separator>",
            "  - name: iso\n    pattern: '(?P<yr>\\d{4})(?P<separator>",
            r"config/dates\.yml:\d+: formats\[0\]: .*needs the named groups year, day and month",
        ),
        (
            "config/settings.yml",
            "sidecar_suffix: .meta.json",
            "sidecar_suffix: .txt",
            r"config/settings\.yml:\d+: ingest: .*sidecar_suffix '\.txt' names articles too",
        ),
        (
            "config/settings.yml",
            "sidecar_suffix: .meta.json",
            "sidecar_suffix: meta/x.json",
            r"config/settings\.yml:\d+: ingest\.sidecar_suffix: .*expected the end of a file name",
        ),
        (
            "schemas/figures.yml",
            "column: value_low\n    other: value_high",
            "column: value_lo\n    other: value_high",
            r"schemas/figures\.yml:\d+: checks\[1\]\.column: no column 'value_lo' "
            r"\(did you mean 'value_low'\?\)",
        ),
    ],
)
def test_a_bad_declaration_names_file_line_key_and_value(
    project_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    _edit(project_copy, file, old, new)
    assert re.search(expected, _problems(project_copy)), _problems(project_copy)


def test_every_problem_is_reported_at_once(project_copy: Path) -> None:
    _edit(project_copy, "config/settings.yml", "  size: 500", "  size: 0")
    _edit(project_copy, "config/settings.yml", "workers: 2", "workers: many")
    _edit(project_copy, "config/bounds.yml", "troops: 5000000", "troops: lots")
    problems = _problems(project_copy).splitlines()
    assert len(problems) == 3
    assert any("execution.workers: 'many': expected a whole number" in p for p in problems)


def test_an_event_class_is_declared_once_and_the_contract_follows(project_copy: Path) -> None:
    """A new event is declared in the vocabulary only: the figures contract allows it."""
    _edit(project_copy, "config/vocabulary.yml", "withdraw, other]", "withdraw, vote, other]")
    _edit(
        project_copy,
        "config/vocabulary.yml",
        "    other: [infected]",
        "    vote: [voted]\n    other: [infected]",
    )
    project = load_project(project_copy)
    [check] = [c for c in project.contracts["figures"].checks if c.name == "event_declared"]
    assert "vote" in check.values


def test_a_status_the_engine_writes_cannot_be_refused_by_a_contract(
    project_copy: Path, tmp_path: Path
) -> None:
    _edit(
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
    _edit(
        project_copy,
        "schemas/documents.yml",
        "values: [text, dateline+sidecar, dateline+option, dateline+mtime]",
        "values: [text, dateline+sidecar]",
    )
    with pytest.raises(
        ConfigError,
        match=r"schemas/documents\.yml: checks\.published_date_source_declared\.values: .*"
        r"'dateline\+option', 'dateline\+mtime'",
    ):
        preflight(load_project(project_copy), None)


def test_a_column_the_engine_cannot_fill_is_refused(project_copy: Path) -> None:
    _edit(
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
    _edit(project_copy, "schemas/figures.yml", "  - {name: affiliation,", "  - {name: _gone,")
    _edit(
        project_copy,
        "schemas/figures.yml",
        "{name: _gone, type: VARCHAR,",
        "{name: affil, type: VARCHAR,",
    )
    with pytest.raises(
        ConfigError, match=r"holds column 'affiliation', which this contract no longer declares"
    ):
        runner.run(SEEDS, warehouse, load_project(project_copy), runner.LocalExecutor())


def test_the_cli_exits_2_before_anything_is_written(project_copy: Path, tmp_path: Path) -> None:
    _edit(project_copy, "config/settings.yml", "  size: 500", "  size: -1")
    warehouse = tmp_path / "warehouse"
    for command in (["check"], ["run", "--warehouse", str(warehouse)]):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsfigures.cli",
                "--project",
                str(project_copy),
                *command,
                "--seeds",
                str(SEEDS),
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
        assert done.returncode == 2, done.stderr
        assert (
            "config/settings.yml" in done.stderr
            and "batch.size: -1: must be at least 1" in done.stderr
        )
        assert "Traceback" not in done.stderr
    assert not warehouse.exists()
