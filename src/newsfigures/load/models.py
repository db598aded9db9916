"""The warehouse's SQL models: `warehouse/views/<name>.sql` and the YAML beside it.

Each model is one SELECT (import CTEs, logic, `final`) created at every load under its file's
name, as a view or, when its YAML says `materialized: table`, as a table computed then. Its
YAML declares its columns (the model must have exactly these) and its tests; the tests run
at load, after the models are created, inside the commit's transaction:

- an `error` test that fails stops the commit: nothing of the run is kept;
- a `warn` test that fails flags each failing row in `rejects` (table_name = the model), so
  it shows in the `quarantine` view and in the report.

The rules the models follow are the `vars` of `warehouse/rules.yml`, written into the SQL
where it says `{{ name }}`, as SQL literals. Everything is read and checked before any
article is read (`load_models`, called by the run's preflight): every problem at once, with
its file, line and key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any, Literal

import duckdb
import pydantic

from newsfigures.config import ConfigError, Problem, Project
from newsfigures.config.problems import LineIndex
from newsfigures.config.project import read_typed
from newsfigures.validate.apply import reject_id

RULES_FILE = "rules.yml"
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class ColumnDeclaration(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    name: str
    description: str


class ModelTest(pydantic.BaseModel):
    """One test of a model: exactly one of `unique`, `not_null` (a column) or `expect` (a
    SQL condition every row must meet)."""

    model_config = pydantic.ConfigDict(extra="forbid")
    name: str
    severity: Literal["error", "warn"]
    description: str
    unique: str | None = None
    not_null: str | None = None
    expect: str | None = None
    # The column whose value a failing row shows in the quarantine.
    show: str | None = None

    @pydantic.model_validator(mode="after")
    def _one_kind(self) -> ModelTest:
        kinds = [k for k in ("unique", "not_null", "expect") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of unique, not_null, expect")
        return self

    def failing_rows(self, model: str, key: str) -> str:
        """SELECT of the failing rows' key and shown value."""
        shown = f"CAST({self.show or key} AS VARCHAR)"
        if self.unique is not None:
            # Repeated values found by grouping (a hash table), not by a window over every
            # row (a sort); NULLs repeat like any value.
            repeated = (
                f"SELECT {self.unique} AS repeated FROM {model} GROUP BY ALL HAVING count(*) > 1"
            )
            return (
                f"SELECT CAST(m.{key} AS VARCHAR), {shown} FROM {model} m "
                f"SEMI JOIN ({repeated}) r ON m.{self.unique} IS NOT DISTINCT FROM r.repeated"
            )
        condition = f"{self.not_null} IS NOT NULL" if self.not_null else f"({self.expect})"
        return (
            f"SELECT CAST({key} AS VARCHAR), {shown} FROM {model} "
            f"WHERE NOT coalesce({condition}, false)"
        )

    @property
    def column(self) -> str | None:
        return self.unique or self.not_null or self.show


class ModelDeclaration(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    description: str
    # The column naming a row: the quarantine's row_key for a failing test.
    key: str
    # A column naming the input file a row comes from (the quarantine's source_file); else
    # the model's own SQL file is named.
    source_file: str | None = None
    columns: list[ColumnDeclaration]
    tests: list[ModelTest] = []
    # `view`: computed by every query that reads it; `table`: computed once at load, inside
    # the commit, and read as stored (a model many queries read, or one costly to compute).
    materialized: Literal["view", "table"] = "view"


class Rules(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    vars: dict[str, int | float | str | list[str] | dict[str, str]]


@dataclass(frozen=True)
class Model:
    name: str
    sql: str
    declaration: ModelDeclaration
    path: str  # relative to the project, for messages and the quarantine


class ModelTestFailed(RuntimeError):
    """An error-level model test failed: the run is not committed."""


def load_models(project: Project) -> list[Model]:
    """Every model of the views folder, rendered with the rules, in creation order (a model
    after those it reads); ConfigError listing every problem."""
    views = project.views_dir
    relative = views.relative_to(project.root).as_posix()
    rules_path = views.parent / RULES_FILE
    rules_label = rules_path.relative_to(project.root).as_posix()
    problems: list[Problem] = []
    variables: dict[str, Any] = {}
    if rules_path.exists():
        rules, found = read_typed(rules_path, rules_label, Rules)
        problems += found
        variables = rules.vars if rules else {}
    models: dict[str, Model] = {}
    for sql_path in sorted(views.glob("*.sql")):
        name, label = sql_path.stem, f"{relative}/{sql_path.name}"
        yml_label = f"{relative}/{name}.yml"
        declaration, found = read_typed(sql_path.with_suffix(".yml"), yml_label, ModelDeclaration)
        problems += found
        sql = sql_path.read_text(encoding="utf-8").strip().rstrip(";")
        for unknown in sorted(set(_VARIABLE.findall(sql)) - set(variables)):
            message = f"{label} uses {{{{ {unknown} }}}}, which {rules_label} does not declare"
            problems.append(Problem(rules_label, ("vars", unknown), message))
        if declaration is not None:
            problems += _declaration_problems(declaration, yml_label, sql_path.with_suffix(".yml"))
            rendered = _VARIABLE.sub(lambda m: _literal(variables.get(m[1])), sql)
            models[name] = Model(name, rendered, declaration, label)
    if problems:
        raise ConfigError(problems)
    return _in_creation_order(models, relative)


def _declaration_problems(declaration: ModelDeclaration, label: str, path: Path) -> list[Problem]:
    """Every column a test or the key names must be a declared column."""
    lines = LineIndex(path.read_text(encoding="utf-8"))
    names = {c.name for c in declaration.columns}
    found = []
    named = [(("key",), declaration.key), (("source_file",), declaration.source_file)]
    for n, test in enumerate(declaration.tests):
        for kind in ("unique", "not_null", "show"):
            named.append((("tests", n, kind), getattr(test, kind)))
    for location, column in named:
        if column is not None and column not in names:
            message = "not a column this model declares"
            found.append(Problem(label, location, message, column, lines.line(location)))
    return found


def _literal(value: Any) -> str:
    """A rules value as a DuckDB literal: numbers, 'text', [lists], MAP {mappings}."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]::VARCHAR[]" if value else "[]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items())
        return f"MAP {{{pairs}}}" if pairs else "MAP {}::MAP(VARCHAR, VARCHAR)"
    return "NULL"


def _in_creation_order(models: dict[str, Model], relative: str) -> list[Model]:
    graph = {
        name: {
            other
            for other in models
            if other != name and re.search(rf"\b{re.escape(other)}\b", model.sql)
        }
        for name, model in models.items()
    }
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise ConfigError(
            f"{relative}: the models read each other in a circle: {exc.args[1]}"
        ) from None
    return [models[name] for name in order]


def create_models(con: duckdb.DuckDBPyConnection, models: list[Model]) -> None:
    """Create every model as its YAML says (a view, or a table computed now); a model whose
    columns differ from its YAML stops."""
    kinds = dict(
        con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_schema = 'main'"
        ).fetchall()
    )
    for model in models:
        kind = model.declaration.materialized.upper()
        stored = "VIEW" if kinds.get(model.name) == "VIEW" else "TABLE"
        if model.name in kinds and stored != kind:
            con.execute(f"DROP {stored} {model.name}")
        con.execute(f"CREATE OR REPLACE {kind} {model.name} AS\n{model.sql}")
        columns = [row[0] for row in con.execute(f"DESCRIBE {model.name}").fetchall()]
        declared = [c.name for c in model.declaration.columns]
        if columns != declared:
            raise ModelTestFailed(
                f"{model.path}: the view's columns {columns} are not the ones its YAML "
                f"declares {declared}"
            )


def run_model_tests(
    con: duckdb.DuckDBPyConnection, models: list[Model], run_id: str
) -> list[dict[str, Any]]:
    """Run every model's tests: raise ModelTestFailed when an error-level test fails; the
    rejects rows of the warn-level ones that fail."""
    flagged, failed = [], []
    for model in models:
        declaration = model.declaration
        if not declaration.tests:
            continue
        # A view with several tests is computed once for all of them (each test would compute
        # it again); one test reads only the columns it needs from the view itself.
        snapshot = model.name
        if declaration.materialized == "view" and len(declaration.tests) > 1:
            snapshot = f"model_test_{model.name}"
            con.execute(f"CREATE OR REPLACE TEMP TABLE {snapshot} AS SELECT * FROM {model.name}")
        try:
            for test in declaration.tests:
                rows = con.execute(test.failing_rows(snapshot, declaration.key)).fetchall()
                if not rows:
                    continue
                if test.severity == "error":
                    failed.append(
                        f"{model.path} test {test.name}: {test.description} ({len(rows)} rows)"
                    )
                    continue
                sources = _source_files(con, model, snapshot, [key for key, _ in rows])
                flagged += [_flag(model, test, run_id, key, shown, sources) for key, shown in rows]
        finally:
            if snapshot != model.name:
                con.execute(f"DROP TABLE IF EXISTS {snapshot}")
    if failed:
        raise ModelTestFailed("model tests failed:\n" + "\n".join(failed))
    return flagged


def _flag(
    model: Model, test: ModelTest, run_id: str, key: str, shown: str, sources: dict
) -> dict[str, Any]:
    """The rejects row of a warn-level test's failing row."""
    return {
        "reject_id": reject_id(model.name, key, test.name),
        "run_id": run_id,
        "table_name": model.name,
        "source_file": sources.get(key) or model.path,
        "doc_id": None,
        "row_key": key,
        "check_name": test.name,
        "severity": "warn",
        "reason": test.description,
        "column_name": test.column,
        "offending_value": shown,
        "char_offset": None,
        "line": None,
    }


def _source_files(
    con: duckdb.DuckDBPyConnection, model: Model, relation: str, keys: list[str]
) -> dict:
    column = model.declaration.source_file
    if column is None:
        return {}
    key = model.declaration.key
    rows = con.execute(
        f"SELECT CAST({key} AS VARCHAR), {column} FROM {relation} "
        f"WHERE CAST({key} AS VARCHAR) IN (SELECT unnest(?))",
        [keys],
    ).fetchall()
    return dict(rows)
