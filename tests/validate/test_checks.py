"""Check types: for each `type:` a contract may declare, which rows pass and which fail, the
value a person is shown for a failing row, and the columns the check reads."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pydantic
import pytest
from pydantic import TypeAdapter

from newsfigures.validate.checks import (
    TEXT_SLICE,
    BoundedByCategory,
    Check,
    CheckDeclaration,
    ColumnLe,
    SpanMatchesText,
)

ROWS = pl.DataFrame(
    {
        "n": [1, 2, 2, None, 5],
        "m": [1, 1, 3, 4, None],
        "kind": ["x", "y", "z", "x", None],
    }
)


def declared(**fields: Any) -> Check:
    """A check as a contract declares it."""
    return TypeAdapter(CheckDeclaration).validate_python(
        {"name": "the_check", "description": "what is wrong", **fields}
    )


def passes(check: Check, frame: pl.DataFrame = ROWS) -> list[bool]:
    return frame.select(check.valid().alias("valid"))["valid"].to_list()


@pytest.mark.parametrize(
    ("fields", "valid"),
    [
        # The first of equal values passes, each repeat fails; nulls are not repeats.
        ({"type": "unique", "column": "n"}, [True, True, False, True, True]),
        ({"type": "not_null", "column": "n"}, [True, True, True, False, True]),
        ({"type": "is_null", "column": "n"}, [False, False, False, True, False]),
        # Closed sets, ranges and bounds leave a missing value to not_null.
        (
            {"type": "in_set", "column": "kind", "values": ["x", "y"]},
            [True, True, False, True, True],
        ),
        (
            {"type": "not_in_set", "column": "kind", "values": ["x"]},
            [False, True, True, False, True],
        ),
        ({"type": "between", "column": "n", "min": 2, "max": 4}, [False, True, True, True, False]),
        ({"type": "between", "column": "n", "min": 2}, [False, True, True, True, True]),
        ({"type": "between", "column": "n", "max": 2}, [True, True, True, True, False]),
        ({"type": "greater_than", "column": "n", "value": 1}, [False, True, True, True, True]),
        ({"type": "column_le", "column": "n", "other": "m"}, [True, False, True, True, True]),
    ],
)
def test_which_rows_pass(fields: dict[str, Any], valid: list[bool]) -> None:
    assert passes(declared(**fields)) == valid


def test_a_value_is_bounded_by_its_category_s_bound_or_the_default() -> None:
    bounded = declared(
        type="bounded_by_category",
        column="n",
        category_column="kind",
        bounds={"x": 1, "default": 4},
    )
    # x: at most 1; y and z: the default 4; no category: the default too.
    assert passes(bounded) == [True, True, True, True, False]
    without_default = declared(
        type="bounded_by_category", column="n", category_column="kind", bounds={"x": 1}
    )
    frame = pl.DataFrame({"n": [2, 99], "kind": ["x", "y"]})
    assert passes(without_default, frame) == [False, True]  # no bound for y: nothing to break


def test_a_date_between_declared_dates() -> None:
    window = declared(type="between", column="d", min=date(1900, 1, 1), max=date(2019, 12, 31))
    frame = pl.DataFrame({"d": [date(1899, 12, 31), date(2019, 3, 5), date(2020, 1, 1), None]})
    assert passes(window, frame) == [False, True, False, True]


def test_a_text_that_is_present_must_parse() -> None:
    parses = declared(type="parses_when_present", column="published_date", text_column="text")
    frame = pl.DataFrame(
        {
            "published_date": [date(2019, 3, 5), None, None],
            "text": ["March 5, 2019", "February 30, 2019", None],
        }
    )
    assert passes(parses, frame) == [True, False, True]
    # What a person needs to see is the text that did not parse.
    assert parses.offending(frame.row(1, named=True)) == "February 30, 2019"
    assert parses.columns() == ["published_date", "text"]


def test_a_span_must_be_the_text_at_its_offsets() -> None:
    span = declared(type="span_matches_text", column="span")
    assert isinstance(span, SpanMatchesText) and (span.start, span.end) == (
        "char_start",
        "char_end",
    )
    frame = pl.DataFrame({"span": ["200 men", "300 men"], TEXT_SLICE: ["200 men", "300 mem"]})
    assert passes(span, frame) == [True, False]
    assert span.columns() == ["span", "char_start", "char_end"]


def test_the_offending_value_as_a_person_reads_it() -> None:
    row = {"n": 2, "m": 1, "kind": "y", "off": 17}
    assert declared(type="not_null", column="n").offending(row) == "2"
    assert declared(type="not_null", column="n").offending({"n": None}) is None
    le = declared(type="column_le", column="n", other="m")
    assert isinstance(le, ColumnLe) and le.offending(row) == "n=2, m=1"
    bounded = declared(
        type="bounded_by_category",
        column="n",
        category_column="kind",
        bounds={"x": 1, "default": 4},
    )
    assert isinstance(bounded, BoundedByCategory)
    assert bounded.offending({"n": 9, "kind": "x"}) == "9 x (bound 1)"
    assert bounded.offending({"n": 9, "kind": "aliens"}) == "9 aliens (bound 4)"


@pytest.mark.parametrize(
    ("fields", "columns"),
    [
        ({"type": "unique", "column": "n"}, ["n"]),
        ({"type": "not_null", "column": "n", "location_column": "off"}, ["n", "off"]),
        ({"type": "column_le", "column": "n", "other": "m"}, ["n", "m"]),
        (
            {
                "type": "bounded_by_category",
                "column": "n",
                "category_column": "kind",
                "bounds": {"default": 1},
            },
            ["n", "kind"],
        ),
        (
            {"type": "span_matches_text", "column": "span", "start": "s", "end": "e"},
            ["span", "s", "e"],
        ),
    ],
)
def test_the_columns_a_check_reads(fields: dict[str, Any], columns: list[str]) -> None:
    assert declared(**fields).columns() == columns


def test_a_check_is_an_error_unless_declared_a_warning_and_its_type_is_known() -> None:
    assert declared(type="not_null", column="n").severity == "error"
    assert declared(type="not_null", column="n", severity="warn").severity == "warn"
    with pytest.raises(pydantic.ValidationError):
        declared(type="not_null", column="n", severity="info")
    with pytest.raises(pydantic.ValidationError):
        declared(type="no_such_check", column="n")
    with pytest.raises(pydantic.ValidationError):
        declared(type="in_set", column="n", values=[])
