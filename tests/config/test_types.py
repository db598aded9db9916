"""The value types declarations are made of, each checked when a file is read: words, counts,
regular expressions with their placeholders and named groups, DuckDB sizes, text encodings
and paths inside the project."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
import yaml
from pydantic import TypeAdapter

from newsfigures.config.types import (
    Count,
    Declared,
    Encoding,
    Fraction,
    MemorySize,
    PositiveInt,
    RelativePath,
    Word,
    pattern,
    unique,
)


def _valid(kind: Any, value: Any) -> Any:
    return TypeAdapter(kind).validate_python(value)


def _refused(kind: Any, value: Any) -> str:
    with pytest.raises(pydantic.ValidationError) as caught:
        TypeAdapter(kind).validate_python(value)
    [error] = caught.value.errors()
    return error["msg"].removeprefix("Value error, ")


# -- patterns ----------------------------------------------------------------------------------

DATELINE = pattern(groups=("place",), placeholders=("agency", "month"))


@pytest.mark.parametrize(
    "source",
    [
        r"^(?P<place>[A-Z]+), \w+ \({agency}\)",
        r"^(?P<place>[A-Z]+), {month} \d+",
        r"^(?P<place>[A-Z]+) -",
    ],
)
def test_a_pattern_is_kept_as_written_with_its_placeholders(source: str) -> None:
    assert _valid(DATELINE, source) == source


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            r"^(?P<place>\w+) {weekday}",
            "unknown placeholder {weekday} (allowed: {agency}, {month})",
        ),
        (r"^(?P<city>\w+) \({agency}\)", "the pattern needs the named group (?P<place>...)"),
        (r"{agency} only", "the pattern needs the named group (?P<place>...)"),
    ],
)
def test_a_pattern_with_an_unknown_placeholder_or_without_its_group_is_refused(
    source: str, message: str
) -> None:
    assert _refused(DATELINE, source) == message


def test_a_pattern_that_does_not_compile_is_refused() -> None:
    assert _refused(DATELINE, r"(?P<place>\w+").startswith("not a valid regular expression: ")
    # A placeholder compiles as a group of its own: it cannot hide a broken pattern.
    assert _refused(DATELINE, r"(?P<place>\w+) {month}[").startswith(
        "not a valid regular expression: "
    )


def test_a_pattern_with_no_placeholders_allowed_says_none_are() -> None:
    assert _refused(pattern(), "{months} ago") == "unknown placeholder {months} (allowed: none)"
    # Braces that are not a placeholder are a regex quantifier, checked as such.
    assert _valid(pattern(), r"\d{4}") == r"\d{4}"


def test_a_pattern_needs_every_named_group() -> None:
    both = pattern(groups=("month", "day"))
    assert _valid(both, r"(?P<month>\w+) (?P<day>\d+)")
    assert _refused(both, r"(?P<month>\w+) \d+") == (
        "the pattern needs the named group (?P<day>...)"
    )


# -- sizes, encodings, paths, words, counts ----------------------------------------------------


@pytest.mark.parametrize(
    "size", ["1GB", "512MB", "512 MB", "1.5GiB", "80%", "12.5 %", "100 bytes", "1 byte", "1gb"]
)
def test_sizes_duckdb_reads(size: str) -> None:
    assert _valid(MemorySize, size) == size


@pytest.mark.parametrize("size", ["lots", "10", "-1GB", "GB", "1 GB extra", "1PB"])
def test_what_is_not_a_size_is_refused(size: str) -> None:
    assert _refused(MemorySize, size) == "expected a size such as 1GB, 512MB or 80%"


@pytest.mark.parametrize("name", ["utf-8", "UTF-8", "utf8", "cp1252", "latin-1"])
def test_encodings_python_knows(name: str) -> None:
    assert _valid(Encoding, name) == name


def test_an_unknown_encoding_is_refused() -> None:
    assert _refused(Encoding, "klingon") == "unknown text encoding 'klingon'"


@pytest.mark.parametrize("path", ["warehouse/views", ".state/state.duckdb", "spill", "a..b/..c"])
def test_relative_paths_inside_the_folder(path: str) -> None:
    assert _valid(RelativePath, path) == path


@pytest.mark.parametrize("path", ["/etc/passwd", "../elsewhere", "views/../../x", "views/.."])
def test_a_path_that_leaves_the_folder_is_refused(path: str) -> None:
    assert _refused(RelativePath, path) == (
        "expected a path inside the folder (no leading / and no ..)"
    )


def test_a_word_may_not_be_empty_and_is_kept_as_written() -> None:
    assert _valid(Word, " Baghuz ") == " Baghuz "
    assert _refused(Word, "") == "an empty word"
    assert _refused(Word, " \t") == "an empty word"


def test_counts_positive_numbers_and_fractions() -> None:
    assert _valid(Count, 0) == 0
    assert _refused(Count, -1) == "Input should be greater than or equal to 0"
    assert _valid(PositiveInt, 1) == 1
    assert _refused(PositiveInt, 0) == "Input should be greater than or equal to 1"
    assert _valid(Fraction, 0.25) == 0.25
    assert _refused(Fraction, 0) == "Input should be greater than 0"
    assert _refused(Fraction, 1) == "Input should be less than 1"
    assert _refused(PositiveInt, 2.5).startswith("Input should be a valid integer")


# -- declared blocks and lists ----------------------------------------------------------------


class _Block(Declared):
    size: PositiveInt


def test_a_declared_block_refuses_unknown_keys_and_cannot_be_changed() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        _Block.model_validate({"size": 1, "colour": "red"})
    assert [e["type"] for e in caught.value.errors()] == ["extra_forbidden"]
    block = _Block(size=2)
    with pytest.raises(pydantic.ValidationError):
        block.size = 3  # type: ignore[misc]
    assert block.size == 2


def test_a_yaml_boolean_in_a_number_field_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError):
        _Block.model_validate(yaml.safe_load("size: on"))


class _Named:
    def __init__(self, name: str):
        self.name = name


def test_unique_names_the_item_declared_twice() -> None:
    assert unique("category")(["people", "troops"]) == ["people", "troops"]
    with pytest.raises(ValueError, match=r"^category 'people' is declared twice$"):
        unique("category")(["people", "troops", "people"])
    # Items with a name are told apart by it.
    with pytest.raises(ValueError, match=r"^format 'iso' is declared twice$"):
        unique("format")([_Named("iso"), _Named("us"), _Named("iso")])
