"""Checks a run makes before it reads any article: what the declarations ask of the engine
and of the warehouse, beyond what each file says on its own (config/project.py).

- every column a contract declares is one the engine can fill;
- a closed set the engine writes (file statuses, severities, run statuses) is allowed by
  the contract that checks it;
- the warehouse holds no column its contract stopped declaring (its data would be lost);
- the SQL models, their YAML and the rules they use (load/models.py);
- the report's declarations, template and chart spec (report/build.py).
"""

from __future__ import annotations

from pathlib import Path

from newsfigures.config import ConfigError, Problem, Project
from newsfigures.extract.published import PUBLISHED_DATE_SOURCES
from newsfigures.load.models import Model, load_models
from newsfigures.load.state import table_columns
from newsfigures.report.build import load_report_settings
from newsfigures.run.rows import missing_columns
from newsfigures.validate.checks import InSet

# Values the engine writes into closed-set columns: a contract must allow them all.
ENGINE_VALUES = {
    ("files", "status"): ("loaded", "duplicate", "rejected", "skipped", "sidecar"),
    ("rejects", "severity"): ("error", "warn"),
    ("runs", "status"): ("ok", "errors", "incomplete"),
    ("documents", "published_date_source"): PUBLISHED_DATE_SOURCES,
}


def preflight(project: Project, state: Path | None) -> list[Model]:
    """Raise ConfigError listing every problem; `state`: the state database, if any. The
    warehouse models as checked: the run creates these, whatever is edited while it runs."""
    problems = _columns_the_engine_fills(project) + _values_the_engine_writes(project)
    if state is not None:
        problems += _columns_the_warehouse_holds(project, state)
    models: list[Model] = []
    try:
        models = load_models(project)
    except ConfigError as exc:
        problems += exc.problems
    try:
        load_report_settings(project)
    except ConfigError as exc:
        problems += exc.problems
    if problems:
        raise ConfigError(problems)
    return models


def _columns_the_engine_fills(project: Project) -> list[Problem]:
    return [
        Problem(contract.path, ("columns",), "the engine has no value for this column", column)
        for contract in project.contracts.values()
        for column in missing_columns(contract)
    ]


def _values_the_engine_writes(project: Project) -> list[Problem]:
    problems = []
    for (table, column), written in ENGINE_VALUES.items():
        contract = project.contracts[table]
        for check in contract.checks:
            if isinstance(check, InSet) and check.column == column:
                refused = [v for v in written if v not in check.values]
                if refused:
                    message = (
                        f"the engine writes {', '.join(map(repr, refused))} into {table}.{column}; "
                        "this check would refuse it"
                    )
                    problems.append(
                        Problem(
                            contract.path, ("checks", check.name, "values"), message, check.values
                        )
                    )
    return problems


def _columns_the_warehouse_holds(project: Project, state: Path) -> list[Problem]:
    problems = []
    for table, columns in table_columns(state, project.settings.warehouse).items():
        contract = project.contracts.get(table)
        if contract is None:
            continue
        for column in columns:
            if column not in contract.column_names:
                message = (
                    f"the warehouse's {table} table holds column {column!r}, which this "
                    "contract no longer declares: declare it again, or rebuild the warehouse "
                    "from scratch (make clean) to drop it and its data"
                )
                problems.append(Problem(contract.path, ("columns",), message))
    return problems
