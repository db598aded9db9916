"""config/dates.yml: how dates are written and how relative dates resolve, typed."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from newsfigures.config.types import Declared, PositiveInt, Word, Words, pattern, unique

_DATE_PLACEHOLDERS = ("month", "weekday")


class DateFormat(Declared):
    name: Word
    pattern: pattern(placeholders=_DATE_PLACEHOLDERS)
    # For all-numeric dates (`first`/`second` groups): which number is the month.
    order: Literal["month_first", "day_first"] = "month_first"

    @model_validator(mode="after")
    def _groups(self) -> DateFormat:
        groups = _groups_of(self.pattern)
        named_month = {"year", "day"} <= groups and ({"month", "month_num"} & groups)
        numeric = {"first", "second", "year"} <= groups
        if not (named_month or numeric):
            raise ValueError(
                "a date format needs the named groups year, day and month (or month_num), "
                "or first, second and year for all-numeric dates"
            )
        return self


class PartialDateFormat(Declared):
    name: Word
    pattern: pattern(groups=("month", "day"), placeholders=_DATE_PLACEHOLDERS)


class DateLine(Declared):
    max_words: PositiveInt
    labels: Words
    # What may follow a date without a year on its own date line.
    year_less_rest: pattern()


def _all_months(names: dict[int, Words]) -> dict[int, Words]:
    if sorted(names) != list(range(1, 13)):
        raise ValueError("months must list 1 to 12, each with its names")
    return names


def _all_weekdays(names: dict[int, Words]) -> dict[int, Words]:
    if sorted(names) != list(range(7)):
        raise ValueError("weekdays must list 0 (Monday) to 6 (Sunday), each with its names")
    return names


class EventDates(Declared):
    not_after: Words
    reported_by: Words
    lead_fillers: Words
    periods: Words
    clause_ends: Words
    clause_joins: Words
    quoted_days_from_speech: bool


class DateRules(Declared):
    months: Annotated[dict[int, Annotated[Words, Field(min_length=1)]], AfterValidator(_all_months)]
    weekdays: Annotated[
        dict[int, Annotated[Words, Field(min_length=1)]], AfterValidator(_all_weekdays)
    ]
    formats: Annotated[list[DateFormat], Field(min_length=1), AfterValidator(unique("format"))]
    partial_formats: Annotated[list[PartialDateFormat], AfterValidator(unique("format"))]
    date_line: DateLine
    relative_days: dict[Word, int]
    weekday_prefixes: Words
    anchored_days: dict[Word, int]
    event_dates: EventDates


def _groups_of(source: str) -> set[str]:
    import re

    return set(re.compile(re.sub(r"\{[a-z_]+\}", "(?:x)", source)).groupindex)
