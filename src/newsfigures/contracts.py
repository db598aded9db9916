"""Table contracts: schemas/<table>.yml -> pandera schemas, Arrow schema and DuckDB DDL.

One YAML file per table declares its columns (type, nullability, description) and its
checks (a declared check type with parameters, a severity and a reason). This module
compiles each check into a polars expression that is true for valid rows and wraps it in a
pandera `Check`, one pandera `DataFrameSchema` per severity, so validation runs lazily over
every row and reports each failing row with the check that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandera.polars as pa
import polars as pl
import pyarrow

from newsfigures.config import ConfigError, Project, require

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


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    nullable: bool
    description: str

    @property
    def polars_type(self) -> Any:
        return COLUMN_TYPES[self.type][0]

    @property
    def arrow_type(self) -> pyarrow.DataType:
        return COLUMN_TYPES[self.type][1]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    type: str
    severity: str
    description: str
    params: dict[str, Any]
    valid: pl.Expr = field(repr=False, compare=False)

    @property
    def column(self) -> str | None:
        return self.params.get("column")

    @property
    def location_column(self) -> str | None:
        return self.params.get("location_column")


@dataclass(frozen=True)
class Contract:
    table: str
    description: str
    primary_key: str
    columns: list[ColumnSpec]
    checks: list[CheckSpec]
    location_column: str | None
    parent_key: str | None
    path: str

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def polars_schema(self) -> dict[str, Any]:
        return {c.name: c.polars_type for c in self.columns}

    def arrow_schema(self) -> pyarrow.Schema:
        return pyarrow.schema(
            [pyarrow.field(c.name, c.arrow_type, nullable=c.nullable) for c in self.columns]
        )

    def ddl(self) -> str:
        columns = ",\n  ".join(
            f"{c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns
        )
        return f"CREATE TABLE IF NOT EXISTS {self.table} (\n  {columns}\n)"

    def checks_of(self, severity: str) -> list[CheckSpec]:
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
            pa.Check(_frame_check(spec.valid), name=spec.name, error=spec.description)
            for spec in self.checks_of(severity)
            if only is None or spec.name in only
        ]
        return pa.DataFrameSchema(columns, checks=checks, name=f"{self.table}:{severity}")


def _frame_check(valid: pl.Expr) -> Callable[[Any], Any]:
    def check(data: Any) -> Any:
        return data.lazyframe.select(valid.fill_null(True).alias("valid"))

    return check


# -- check types: each compiles declared parameters into "this row is valid" ----------------


def _unique(p: dict[str, Any]) -> pl.Expr:
    column = pl.col(p["column"])
    # The first occurrence is kept; only the repeats are violations.
    return column.is_null() | column.is_first_distinct()


def _not_null(p: dict[str, Any]) -> pl.Expr:
    return pl.col(p["column"]).is_not_null()


def _is_null(p: dict[str, Any]) -> pl.Expr:
    return pl.col(p["column"]).is_null()


def _in_set(p: dict[str, Any]) -> pl.Expr:
    return pl.col(p["column"]).is_null() | pl.col(p["column"]).is_in(list(p["values"]))


def _not_in_set(p: dict[str, Any]) -> pl.Expr:
    return pl.col(p["column"]).is_null() | ~pl.col(p["column"]).is_in(list(p["values"]))


def _between(p: dict[str, Any]) -> pl.Expr:
    column = pl.col(p["column"])
    valid = pl.lit(True)
    if p.get("min") is not None:
        valid = valid & (column >= pl.lit(p["min"]))
    if p.get("max") is not None:
        valid = valid & (column <= pl.lit(p["max"]))
    return column.is_null() | valid


def _greater_than(p: dict[str, Any]) -> pl.Expr:
    return pl.col(p["column"]).is_null() | (pl.col(p["column"]) > p["value"])


def _column_le(p: dict[str, Any]) -> pl.Expr:
    left, right = pl.col(p["column"]), pl.col(p["other"])
    return left.is_null() | right.is_null() | (left <= right)


def _bounded_by_category(p: dict[str, Any]) -> pl.Expr:
    bounds = {str(k): int(v) for k, v in p["bounds"].items()}
    default = bounds.pop("default", None)
    limit = pl.col(p["category_column"]).replace_strict(
        bounds, default=default, return_dtype=pl.Int64
    )
    return pl.col(p["column"]).is_null() | limit.is_null() | (pl.col(p["column"]) <= limit)


def _span_matches_text(p: dict[str, Any]) -> pl.Expr:
    # `_text` is the document text, joined in by the validate stage for this check only.
    start, end = pl.col(p.get("start", "char_start")), pl.col(p.get("end", "char_end"))
    return pl.col("_text").str.slice(start, end - start) == pl.col(p["column"])


def _parses_when_present(p: dict[str, Any]) -> pl.Expr:
    return pl.col(p["text_column"]).is_null() | pl.col(p["column"]).is_not_null()


CHECK_TYPES: dict[str, tuple[Callable[[dict[str, Any]], pl.Expr], tuple[str, ...]]] = {
    "unique": (_unique, ("column",)),
    "not_null": (_not_null, ("column",)),
    "is_null": (_is_null, ("column",)),
    "in_set": (_in_set, ("column", "values")),
    "not_in_set": (_not_in_set, ("column", "values")),
    "between": (_between, ("column",)),
    "greater_than": (_greater_than, ("column", "value")),
    "column_le": (_column_le, ("column", "other")),
    "bounded_by_category": (_bounded_by_category, ("column", "category_column", "bounds")),
    "span_matches_text": (_span_matches_text, ("column",)),
    "parses_when_present": (_parses_when_present, ("column", "text_column")),
}


def _compile_check(raw: dict[str, Any], project: Project, where: str) -> CheckSpec:
    name = require(raw, "name", where)
    where = f"{where}: check {name!r}"
    kind = require(raw, "type", where)
    if kind not in CHECK_TYPES:
        raise ConfigError(f"{where}: unknown check type {kind!r} (known: {', '.join(CHECK_TYPES)})")
    severity = raw.get("severity", "error")
    if severity not in SEVERITIES:
        raise ConfigError(f"{where}: severity must be one of {SEVERITIES}, not {severity!r}")
    builder, required = CHECK_TYPES[kind]
    params = {
        key: project.resolve(value, where)
        for key, value in raw.items()
        if key not in ("name", "type", "severity", "description")
    }
    for key in required:
        require(params, key, where)
    return CheckSpec(
        name=name,
        type=kind,
        severity=severity,
        description=raw.get("description", name.replace("_", " ")),
        params=params,
        valid=builder(params),
    )


_COMPILED: dict[tuple, dict[str, Contract]] = {}


def load_contracts(project: Project) -> dict[str, Contract]:
    """Every table contract of the project, compiled once per process and set of
    declarations (every batch of a run uses them)."""
    key = (project.root, project.fingerprint, project.today)
    if key not in _COMPILED:
        _COMPILED.clear()
        _COMPILED[key] = _compile_contracts(project)
    return _COMPILED[key]


def _compile_contracts(project: Project) -> dict[str, Contract]:
    contracts = {}
    for table, raw in project.contracts.items():
        where = raw["_path"]
        columns = []
        for column in require(raw, "columns", where):
            name = require(column, "name", where)
            kind = require(column, "type", f"{where}: column {name!r}")
            if kind not in COLUMN_TYPES:
                raise ConfigError(
                    f"{where}: column {name!r} has unknown type {kind!r} "
                    f"(known: {', '.join(COLUMN_TYPES)})"
                )
            columns.append(
                ColumnSpec(
                    name, kind, bool(column.get("nullable", True)), column.get("description", "")
                )
            )
        parent = raw.get("parent") or {}
        contracts[table] = Contract(
            table=table,
            description=raw.get("description", ""),
            primary_key=require(raw, "primary_key", where),
            columns=columns,
            checks=[_compile_check(c, project, where) for c in raw.get("checks", [])],
            location_column=raw.get("location_column"),
            parent_key=parent.get("key"),
            path=where,
        )
    for name in ("documents", "figures", "rejects", "runs"):
        if name not in contracts:
            raise ConfigError(f"{project.root / 'schemas'}: no contract for table {name!r}")
    return contracts
