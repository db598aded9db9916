"""Declarations are read once, typed and checked before any article is read: every problem
names its file, line, key path and value, and nothing is written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from support import REPO, SEEDS, edit_file

from newsfigures.config import ConfigError, Project, find_project_root, load_project, read_yaml
from newsfigures.config.project import PROJECT_ENV


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
            "  size: 3000",
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
            "config/vocabulary.yml",
            "  low: at_least\n  high: at_most",
            "  low: at_least\n  high: at_mots",
            r"config/vocabulary\.yml:\d+: qualified_ranges\.high: 'at_mots': not a qualifier "
            r"of `qualifiers` \(did you mean 'at_most'\?\)",
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
    edit_file(project_copy, file, old, new)
    assert re.search(expected, _problems(project_copy)), _problems(project_copy)


def test_every_problem_is_reported_at_once(project_copy: Path) -> None:
    edit_file(project_copy, "config/settings.yml", "  size: 3000", "  size: 0")
    edit_file(project_copy, "config/settings.yml", "workers: 2", "workers: many")
    edit_file(project_copy, "config/bounds.yml", "troops: 5000000", "troops: lots")
    problems = _problems(project_copy).splitlines()
    assert len(problems) == 3
    assert any("execution.workers: 'many': expected a whole number" in p for p in problems)


def test_an_event_class_is_declared_once_and_the_contract_follows(project_copy: Path) -> None:
    """A new event is declared in the vocabulary only: the figures contract allows it."""
    edit_file(project_copy, "config/vocabulary.yml", "withdraw, other]", "withdraw, vote, other]")
    edit_file(
        project_copy,
        "config/vocabulary.yml",
        "    other: [infected, treated, registered]",
        "    vote: [voted]\n    other: [infected, treated, registered]",
    )
    project = load_project(project_copy)
    [check] = [c for c in project.contracts["figures"].checks if c.name == "event_declared"]
    assert "vote" in check.values


def test_the_cli_exits_2_before_anything_is_written(project_copy: Path, tmp_path: Path) -> None:
    edit_file(project_copy, "config/settings.yml", "  size: 3000", "  size: -1")
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


def test_a_publication_window_that_ends_in_the_future_or_before_it_starts_is_refused(
    project_copy: Path,
) -> None:
    today = date(2024, 6, 1)
    edit_file(project_copy, "config/bounds.yml", "latest: today", 'latest: "2024-06-02"')
    with pytest.raises(ConfigError, match=r"published_date\.latest: .*is in the future"):
        load_project(project_copy, today=today)
    edit_file(project_copy, "config/bounds.yml", 'latest: "2024-06-02"', 'latest: "1899-01-01"')
    with pytest.raises(ConfigError, match=r"published_date\.earliest: .*is after published_date"):
        load_project(project_copy, today=today)


def test_a_bound_for_a_category_the_vocabulary_does_not_declare_is_refused(
    project_copy: Path,
) -> None:
    edit_file(project_copy, "config/bounds.yml", "combatants: 1000000", "aliens: 5")
    with pytest.raises(
        ConfigError,
        match=r"config/bounds\.yml:\d+: value_bounds\.aliens: 'aliens': not a declared category",
    ):
        load_project(project_copy)


def test_a_reference_to_nothing_declared_is_refused(project_copy: Path) -> None:
    edit_file(
        project_copy, "schemas/figures.yml", '"${bounds.value_bounds}"', '"${bounds.value_bound}"'
    )
    assert re.fullmatch(
        r"schemas/figures\.yml:\d+: checks\[3\]\.bounds: '\$\{bounds\.value_bound\}': "
        r"refers to nothing declared",
        _problems(project_copy),
    )


def test_a_reference_is_replaced_by_the_declared_value(project_copy: Path) -> None:
    edit_file(project_copy, "config/bounds.yml", "troops: 5000000", "troops: 777")
    project = load_project(project_copy)
    bound = project.contracts["figures"].check("value_within_category_bound")
    assert bound.bounds == project.bounds.value_bounds and bound.bounds["troops"] == 777


def test_every_table_has_one_contract(project_copy: Path) -> None:
    schemas = project_copy / "schemas"
    shutil.copy(schemas / "files.yml", schemas / "files_again.yml")
    assert re.fullmatch(
        r"schemas/files_again\.yml:\d+: table: table 'files' has two contracts",
        _problems(project_copy),
    )
    (schemas / "files_again.yml").unlink()
    (schemas / "runs.yml").unlink()
    assert _problems(project_copy) == "schemas/: no contract for table 'runs'"


def test_the_views_folder_must_exist(project_copy: Path) -> None:
    shutil.rmtree(project_copy / "warehouse" / "views")
    assert re.fullmatch(
        r"config/settings\.yml:\d+: warehouse\.views: 'warehouse/views': no such folder of SQL views",
        _problems(project_copy),
    )


def test_a_declaration_file_that_cannot_be_read_is_named(project_copy: Path) -> None:
    (project_copy / "config" / "dates.yml").write_bytes(b"\xff\xfe not text")
    assert _problems(project_copy).startswith("config/dates.yml: cannot read: ")
    (project_copy / "config" / "dates.yml").unlink()
    assert _problems(project_copy) == "config/dates.yml: file not found"


def test_an_edited_declaration_is_read_again_and_changes_the_fingerprint(
    project_copy: Path,
) -> None:
    first = load_project(project_copy)
    assert load_project(project_copy) is first  # read once while nothing changes
    edit_file(project_copy, "config/settings.yml", "  size: 3000", "  size: 50")
    edited = load_project(project_copy)
    assert edited.settings.batch.size == 50 and first.settings.batch.size == 3000
    assert edited.fingerprint != first.fingerprint and len(edited.fingerprint) == 16


def test_the_project_knows_its_paths(project: Project) -> None:
    assert project.root == REPO
    assert project.path("config/settings.yml") == REPO / "config" / "settings.yml"
    assert project.views_dir == REPO / "warehouse" / "views"


# -- finding the project and reading YAML ------------------------------------------------------


def test_the_project_is_found_from_a_folder_inside_it(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PROJECT_ENV, raising=False)
    inside = project_copy / "warehouse" / "views"
    assert find_project_root(inside) == project_copy.resolve()
    assert find_project_root(project_copy) == project_copy.resolve()


def test_the_environment_names_the_project_first(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROJECT_ENV, str(project_copy))
    assert find_project_root(tmp_path) == project_copy.resolve()


def test_a_folder_outside_any_project_says_what_it_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PROJECT_ENV, raising=False)
    with pytest.raises(
        ConfigError, match=r"no newsfigures project found from .*config/vocabulary\.yml"
    ):
        find_project_root(tmp_path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a\n- b\n", "x.yml: expected a mapping of keys at the top level"),
        ("", "x.yml: expected a mapping of keys at the top level"),
        (
            "a: 1\nb: [\n",
            "x.yml:3: not valid YAML: expected the node content, but found '<stream end>'",
        ),
    ],
)
def test_read_yaml_wants_a_mapping(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "x.yml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        read_yaml(tmp_path / "x.yml")
    assert str(caught.value) == f"{tmp_path}/{problem}"
    (tmp_path / "x.yml").write_text("a: 1\nb: [x, y]\n")
    assert read_yaml(tmp_path / "x.yml") == {"a": 1, "b": ["x", "y"]}
