"""config/dates.yml typed: a written date format needs the named groups the engine reads, the
months and weekdays are all there, format names are unique."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from newsfigures.config import Project
from newsfigures.config.dates import DateFormat, DateRules, PartialDateFormat


def _messages(model: type[pydantic.BaseModel], data: dict[str, Any]) -> list[str]:
    with pytest.raises(pydantic.ValidationError) as caught:
        model.model_validate(data)
    return [e["msg"].removeprefix("Value error, ") for e in caught.value.errors()]


@pytest.mark.parametrize(
    "source",
    [
        r"(?P<year>\d{4})-(?P<month_num>\d{1,2})-(?P<day>\d{1,2})",
        r"(?P<month>{month}) (?P<day>\d{1,2}), (?P<year>\d{4})",
        r"(?:(?P<weekday>{weekday}),?\s+)?(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})",
    ],
)
def test_a_date_format_with_a_year_a_day_and_a_month_or_two_numbers(source: str) -> None:
    declared = DateFormat(name="f", pattern=source)
    assert declared.pattern == source
    assert declared.order == "month_first"  # unless the file says day_first


@pytest.mark.parametrize(
    "source",
    [
        r"(?P<month>{month}) (?P<day>\d{1,2})",  # no year: that is a partial format
        r"(?P<year>\d{4})-(?P<day>\d{1,2})",  # no month
        r"(?P<first>\d{1,2})/(?P<second>\d{1,2})",  # numeric, no year
        r"(?P<month_num>\d{1,2})/(?P<year>\d{4})",  # no day
    ],
)
def test_a_date_format_without_the_groups_the_engine_reads_is_refused(source: str) -> None:
    assert _messages(DateFormat, {"name": "f", "pattern": source}) == [
        "a date format needs the named groups year, day and month (or month_num), or first, "
        "second and year for all-numeric dates"
    ]


def test_a_date_format_s_placeholders_are_month_and_weekday_and_its_order_is_declared() -> None:
    assert _messages(
        DateFormat, {"name": "f", "pattern": r"{day} (?P<month>{month}) (?P<year>\d{4})"}
    ) == ["unknown placeholder {day} (allowed: {month}, {weekday})"]
    assert _messages(
        DateFormat,
        {"name": "f", "pattern": r"(?P<first>\d)\.(?P<second>\d)\.(?P<year>\d{4})", "order": "ymd"},
    ) == ["Input should be 'month_first' or 'day_first'"]


def test_a_partial_date_format_needs_month_and_day() -> None:
    assert PartialDateFormat(name="p", pattern=r"(?P<month>{month}) (?P<day>\d+)")
    assert _messages(PartialDateFormat, {"name": "p", "pattern": r"(?P<day>\d+) of {month}"}) == [
        "the pattern needs the named group (?P<month>...)"
    ]


def _rules(project: Project, **changes: Any) -> dict[str, Any]:
    return {**project.dates.model_dump(), **changes}


def test_the_project_s_dates_are_valid_rules(project: Project) -> None:
    rules = DateRules.model_validate(_rules(project))
    assert rules == project.dates
    assert sorted(rules.months) == list(range(1, 13)) and sorted(rules.weekdays) == list(range(7))


def test_every_month_and_weekday_must_be_named(project: Project) -> None:
    months = {k: v for k, v in project.dates.months.items() if k != 5}
    assert _messages(DateRules, _rules(project, months=months)) == [
        "months must list 1 to 12, each with its names"
    ]
    months = {**project.dates.months, 13: ["Undecember"]}
    assert _messages(DateRules, _rules(project, months=months)) == [
        "months must list 1 to 12, each with its names"
    ]
    weekdays = {k + 1: v for k, v in project.dates.weekdays.items()}  # 1 to 7, Sunday = 7
    assert _messages(DateRules, _rules(project, weekdays=weekdays)) == [
        "weekdays must list 0 (Monday) to 6 (Sunday), each with its names"
    ]
    months = {**project.dates.months, 5: []}
    assert _messages(DateRules, _rules(project, months=months)) == [
        "List should have at least 1 item after validation, not 0"
    ]


def test_format_names_are_unique_and_there_is_at_least_one(project: Project) -> None:
    formats = [f.model_dump() for f in project.dates.formats]
    assert _messages(DateRules, _rules(project, formats=[*formats, formats[0]])) == [
        f"format {formats[0]['name']!r} is declared twice"
    ]
    assert _messages(DateRules, _rules(project, formats=[])) == [
        "List should have at least 1 item after validation, not 0"
    ]
