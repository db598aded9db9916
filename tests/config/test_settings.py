"""config/settings.yml and config/bounds.yml typed: every value comes from the file (a
missing key is an error), and each is checked for what the engine does with it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pydantic
import pytest

from newsfigures.config import Project
from newsfigures.config.settings import (
    Bounds,
    PublishedDateWindow,
    Settings,
    Warehouse,
    name_matches,
)


def _messages(model: type[pydantic.BaseModel], data: dict[str, Any]) -> list[str]:
    with pytest.raises(pydantic.ValidationError) as caught:
        model.model_validate(data)
    return [e["msg"].removeprefix("Value error, ") for e in caught.value.errors()]


def _warehouse(project: Project, **changes: Any) -> dict[str, Any]:
    return {**project.settings.warehouse.model_dump(), **changes}


def test_no_value_has_a_default_in_code(project: Project) -> None:
    """Every key of settings.yml is required: leaving one out is an error, not a default."""
    declared = project.settings.model_dump()
    del declared["batch"]["size"]
    del declared["warehouse"]["keep_snapshots"]
    with pytest.raises(pydantic.ValidationError) as caught:
        Settings.model_validate(declared)
    assert {(e["loc"], e["type"]) for e in caught.value.errors()} == {
        (("batch", "size"), "missing"),
        (("warehouse", "keep_snapshots"), "missing"),
    }


@pytest.mark.parametrize("name", ["sub/newsfigures.duckdb", "", ".", ".."])
def test_the_published_database_is_a_file_name(project: Project, name: str) -> None:
    assert _messages(Warehouse, _warehouse(project, database=name)) == [
        "expected a file name, not a path"
    ]


def test_the_state_database_and_spill_folder_stay_inside_the_warehouse(project: Project) -> None:
    assert Warehouse.model_validate(_warehouse(project, temp_directory=None)).temp_directory is None
    for key in ("state_database", "temp_directory", "views"):
        assert _messages(Warehouse, _warehouse(project, **{key: "../outside"})) == [
            "expected a path inside the folder (no leading / and no ..)"
        ], key


def test_a_state_database_that_names_no_file_is_refused(project: Project) -> None:
    with pytest.raises(pydantic.ValidationError):
        Warehouse.model_validate(_warehouse(project, state_database=""))


def test_storage_version_memory_and_policies_are_checked(project: Project) -> None:
    assert (
        Warehouse.model_validate(
            _warehouse(project, storage_compatibility_version=None, memory_limit=None)
        ).storage_compatibility_version
        is None
    )
    assert _messages(Warehouse, _warehouse(project, storage_compatibility_version="1.4")) == [
        "String should match pattern '^v\\d+\\.\\d+\\.\\d+$'"
    ]
    assert _messages(Warehouse, _warehouse(project, deleted_files="archive")) == [
        "Input should be 'retire' or 'delete'"
    ]
    assert _messages(Warehouse, _warehouse(project, lock_wait_seconds=-1)) == [
        "Input should be greater than or equal to 0"
    ]
    assert _messages(Warehouse, _warehouse(project, memory_limit="plenty")) == [
        "expected a size such as 1GB, 512MB or 80%"
    ]


def test_the_task_runner_is_one_the_engine_knows(project: Project) -> None:
    execution = project.settings.execution.model_dump()
    assert _messages(type(project.settings.execution), {**execution, "task_runner": "ray"}) == [
        "Input should be 'auto', 'thread', 'process' or 'dask'"
    ]


# -- bounds.yml --------------------------------------------------------------------------------


def _bounds(project: Project, **changes: Any) -> dict[str, Any]:
    return {**project.bounds.model_dump(), **changes}


def test_a_category_without_a_bound_has_the_default_one(project: Project) -> None:
    bounds = Bounds.model_validate(_bounds(project, value_bounds={"troops": 500, "default": 1000}))
    assert bounds.bound_of("troops") == 500
    assert bounds.bound_of("aliens") == 1000


def test_the_default_bound_is_required(project: Project) -> None:
    assert _messages(Bounds, _bounds(project, value_bounds={"troops": 500})) == [
        "value_bounds needs a `default` bound for unlisted categories"
    ]
    assert _messages(Bounds, _bounds(project, value_bounds={"default": 0})) == [
        "Input should be greater than or equal to 1"
    ]


def test_the_publication_window_ends_on_a_date_or_today() -> None:
    window = PublishedDateWindow.model_validate({"earliest": "1900-01-01", "latest": "today"})
    assert (window.earliest, window.latest) == (date(1900, 1, 1), "today")
    window = PublishedDateWindow.model_validate({"earliest": "1900-01-01", "latest": "2020-12-31"})
    assert window.latest == date(2020, 12, 31)
    with pytest.raises(pydantic.ValidationError) as caught:
        PublishedDateWindow.model_validate({"earliest": "1900-01-01", "latest": "tomorrow"})
    assert {e["loc"][0] for e in caught.value.errors()} == {"latest"}


def test_a_name_pattern_matches_a_whole_file_name() -> None:
    assert name_matches("a.txt", ["*.md", "*.txt"])
    assert not name_matches("notes.txt.bak", ["*.txt"])
    assert not name_matches("readme", ["*.txt"])
    assert not name_matches("a.txt", [])
