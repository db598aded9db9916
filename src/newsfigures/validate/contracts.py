"""Table contracts: schemas/<table>.yml -> pandera schemas, Arrow schema and DuckDB DDL.

One YAML file per table declares its columns (type, nullability, description), its checks
(a declared check type with parameters, a severity and a reason) and what a violation of an
error-severity check does: `quarantine` keeps the row out of its table and records why (the
data tables), `stop` stops the run before anything is committed (the tables the engine
writes for itself: a violation there means the declarations contradict the engine). Each
check compiles into a polars expression, wrapped in a pandera `Check`, one pandera
`DataFrameSchema` per severity, so validation runs lazily over every row and reports each
failing row with the check that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import pandera.polars as pa
import polars as pl
import pyarrow
from pydantic import AfterValidator, Field

from newsfigures.config.problems import suggest
from newsfigures.config.types import Declared, Word, unique
from newsfigures.validate.checks import Check, CheckDeclaration

SEVERITIES = ("error", "warn")

# Declared column type -> (polars dtype, Arrow type). DuckDB spells them as declared.
COLUMN_TYPES: dict[str, tuple[Any, pyarrow.DataType]] = {
    "VARCHAR": (pl.String, pyarrow.string()),
    "BIGINT": (pl.Int64, pyarrow.int64()),
    "DOUBLE": (pl.Float64, pyarrow.float64()),
    "BOOLEAN": (pl.Boolean, pyarrow.bool_()),
    "DATE": (pl.Date, pyarrow.date32()),
    "TIMESTAMP": (pl.Datetime("us"), pyarrow.timestamp("us")),
    "VARCHAR[]": (pl.List(pl.String), pyarrow.list_(pyarrow.string())),
}


class ColumnSpec(Declared):
    name: Word
    type: Literal["VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP", "VARCHAR[]"]
    nullable: bool = True
    description: str

    @property
    def polars_type(self) -> Any:
        return COLUMN_TYPES[self.type][0]

    @property
    def arrow_type(self) -> pyarrow.DataType:
        return COLUMN_TYPES[self.type][1]


class ParentTable(Declared):
    table: Word
    key: Word


class ContractDeclaration(Declared):
    """The contents of one schemas/<table>.yml."""

    table: Word
    description: str
    primary_key: Word
    on_error: Literal["quarantine", "stop"]
    parent: ParentTable | None = None
    location_column: Word | None = None
    columns: Annotated[list[ColumnSpec], Field(min_length=1), AfterValidator(unique("column"))]
    checks: Annotated[list[CheckDeclaration], AfterValidator(unique("check"))] = Field(
        default_factory=list
    )

    def problems(self) -> Iterator[tuple[tuple[Any, ...], Any, str]]:
        """(key path, value, message) for every column the contract names without declaring."""
        names = [c.name for c in self.columns]
        named: list[tuple[tuple[Any, ...], str | None]] = [
            (("primary_key",), self.primary_key),
            (("location_column",), self.location_column),
        ]
        for index, check in enumerate(self.checks):
            for key, value in check.model_dump().items():
                if value in check.columns() and isinstance(value, str):
                    named.append((("checks", index, key), value))
        for location, column in named:
            if column is not None and column not in names:
                yield location, column, f"no column {column!r}{suggest(column, names)}"


@dataclass(frozen=True)
class Contract:
    """A table's declared columns and checks, compiled."""

    declaration: ContractDeclaration
    path: str
    checks: list[Check] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checks", list(self.declaration.checks))

    @property
    def table(self) -> str:
        return self.declaration.table

    @property
    def primary_key(self) -> str:
        return self.declaration.primary_key

    @property
    def columns(self) -> list[ColumnSpec]:
        return self.declaration.columns

    @property
    def location_column(self) -> str | None:
        return self.declaration.location_column

    @property
    def quarantines(self) -> bool:
        """A failing row is kept out and recorded (else the run stops)."""
        return self.declaration.on_error == "quarantine"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def polars_schema(self) -> dict[str, Any]:
        return {c.name: c.polars_type for c in self.columns}

    def arrow_schema(self) -> pyarrow.Schema:
        return pyarrow.schema(
            [pyarrow.field(c.name, c.arrow_type, nullable=c.nullable) for c in self.columns]
        )

    def frame(self, rows: list[dict[str, Any]]) -> pl.DataFrame:
        """Rows as a polars frame with the contract's column types."""
        return pl.DataFrame(rows, schema=self.polars_schema(), orient="row" if not rows else None)

    def arrow(self, rows: list[dict[str, Any]]) -> pyarrow.Table:
        """Rows as an Arrow table with the contract's column types."""
        return pyarrow.Table.from_pylist(rows, schema=self.arrow_schema())

    def ddl(self, name: str | None = None) -> str:
        columns = ",\n  ".join(
            f"{c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns
        )
        return f"CREATE TABLE IF NOT EXISTS {name or self.table} (\n  {columns}\n)"

    def checks_of(self, severity: str) -> list[Check]:
        return [c for c in self.checks if c.severity == severity]

    def pandera_schema(self, severity: str, only: set[str] | None = None) -> pa.DataFrameSchema:
        """The contract's checks of one severity (all, or `only` the named ones) as a pandera
        schema over a polars frame. The full error schema also enforces the declared columns,
        dtypes and nullability.
        """
        columns = {}
        if severity == "error" and only is None:
            columns = {
                c.name: pa.Column(c.polars_type, nullable=c.nullable, required=True)
                for c in self.columns
            }
        checks = [
            pa.Check(_frame_check(spec.valid()), name=spec.name, error=spec.description)
            for spec in self.checks_of(severity)
            if only is None or spec.name in only
        ]
        return pa.DataFrameSchema(columns, checks=checks, name=f"{self.table}:{severity}")


def _frame_check(valid: pl.Expr) -> Callable[[Any], Any]:
    def check(data: Any) -> Any:
        return data.lazyframe.select(valid.fill_null(True).alias("valid"))

    return check
