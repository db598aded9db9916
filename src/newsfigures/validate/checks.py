"""Check types: one class per `type:` a contract may declare. Each holds its declared
parameters (checked when the contract is read), the polars expression that is true for the
rows that pass, the columns it reads, and how it shows the value that failed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import polars as pl
from pydantic import Field

from newsfigures.config.types import Declared, PositiveInt, Word

# The validate stage adds this column to a frame whose contract has a span check: each row's
# own slice of its document's text (never the whole text: that would copy it per row).
TEXT_SLICE = "_text_at_offsets"


class Check(Declared):
    name: Word
    severity: Literal["error", "warn"] = "error"
    description: str
    column: Word
    # Where in the text a failing row points (for the reject's line number).
    location_column: Word | None = None

    def valid(self) -> pl.Expr:
        raise NotImplementedError

    def columns(self) -> list[str]:
        """Every column the check reads (the contract must declare them)."""
        return [c for c in (self.column, self.location_column) if c]

    def offending(self, row: dict[str, Any]) -> str | None:
        """The failing value as a person reads it in the quarantine."""
        value = row.get(self.column)
        return None if value is None else str(value)


class Unique(Check):
    type: Literal["unique"]

    def valid(self) -> pl.Expr:
        column = pl.col(self.column)
        # The first occurrence is kept; only the repeats are violations.
        return column.is_null() | column.is_first_distinct()


class NotNull(Check):
    type: Literal["not_null"]

    def valid(self) -> pl.Expr:
        return pl.col(self.column).is_not_null()


class IsNull(Check):
    type: Literal["is_null"]

    def valid(self) -> pl.Expr:
        return pl.col(self.column).is_null()


class InSet(Check):
    type: Literal["in_set"]
    values: Annotated[list[Word], Field(min_length=1)]

    def valid(self) -> pl.Expr:
        return pl.col(self.column).is_null() | pl.col(self.column).is_in(self.values)


class NotInSet(Check):
    type: Literal["not_in_set"]
    values: Annotated[list[Word], Field(min_length=1)]

    def valid(self) -> pl.Expr:
        return pl.col(self.column).is_null() | ~pl.col(self.column).is_in(self.values)


class Between(Check):
    type: Literal["between"]
    min: Any = None
    max: Any = None

    def valid(self) -> pl.Expr:
        column = pl.col(self.column)
        valid = pl.lit(True)
        if self.min is not None:
            valid = valid & (column >= pl.lit(self.min))
        if self.max is not None:
            valid = valid & (column <= pl.lit(self.max))
        return column.is_null() | valid


class GreaterThan(Check):
    type: Literal["greater_than"]
    value: float

    def valid(self) -> pl.Expr:
        return pl.col(self.column).is_null() | (pl.col(self.column) > self.value)


class ColumnLe(Check):
    type: Literal["column_le"]
    other: Word

    def valid(self) -> pl.Expr:
        left, right = pl.col(self.column), pl.col(self.other)
        return left.is_null() | right.is_null() | (left <= right)

    def columns(self) -> list[str]:
        return [*super().columns(), self.other]

    def offending(self, row: dict[str, Any]) -> str | None:
        return f"{self.column}={row.get(self.column)}, {self.other}={row.get(self.other)}"


class BoundedByCategory(Check):
    type: Literal["bounded_by_category"]
    category_column: Word
    bounds: dict[Word, PositiveInt]

    def valid(self) -> pl.Expr:
        bounds = dict(self.bounds)
        default = bounds.pop("default", None)
        limit = pl.col(self.category_column).replace_strict(
            bounds, default=default, return_dtype=pl.Int64
        )
        return pl.col(self.column).is_null() | limit.is_null() | (pl.col(self.column) <= limit)

    def columns(self) -> list[str]:
        return [*super().columns(), self.category_column]

    def offending(self, row: dict[str, Any]) -> str | None:
        category = row.get(self.category_column)
        bound = self.bounds.get(category, self.bounds.get("default"))
        return f"{row.get(self.column)} {category} (bound {bound})"


class SpanMatchesText(Check):
    type: Literal["span_matches_text"]
    start: Word = "char_start"
    end: Word = "char_end"

    def valid(self) -> pl.Expr:
        return pl.col(TEXT_SLICE) == pl.col(self.column)

    def columns(self) -> list[str]:
        return [*super().columns(), self.start, self.end]


class ParsesWhenPresent(Check):
    type: Literal["parses_when_present"]
    text_column: Word

    def valid(self) -> pl.Expr:
        return pl.col(self.text_column).is_null() | pl.col(self.column).is_not_null()

    def columns(self) -> list[str]:
        return [*super().columns(), self.text_column]

    def offending(self, row: dict[str, Any]) -> str | None:
        return row.get(self.text_column)


CheckDeclaration = Annotated[
    Unique
    | NotNull
    | IsNull
    | InSet
    | NotInSet
    | Between
    | GreaterThan
    | ColumnLe
    | BoundedByCategory
    | SpanMatchesText
    | ParsesWhenPresent,
    Field(discriminator="type"),
]
