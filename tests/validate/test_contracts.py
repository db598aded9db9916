"""Table contracts: schemas/<table>.yml read, checked and compiled to DuckDB DDL, Arrow and
polars schemas, and a pandera schema per severity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandera.polars as pa
import polars as pl
import pyarrow
import pydantic
import pytest

from newsfigures.config import ConfigError, Project, load_project
from newsfigures.validate.contracts import Contract, ContractDeclaration


def test_contract_errors_name_the_file_and_check(project_copy: Path) -> None:
    contract = project_copy / "schemas" / "figures.yml"
    contract.write_text(contract.read_text().replace("type: column_le", "type: colum_le", 1))
    with pytest.raises(
        ConfigError,
        match=r"schemas/figures\.yml:\d+: checks\[1\]: unknown type 'colum_le' "
        r"\(in 'value_low_le_high'\) \(did you mean 'column_le'\?\)",
    ):
        load_project(project_copy)


def _declaration(**changes: Any) -> ContractDeclaration:
    declared = {
        "table": "things",
        "description": "Things counted.",
        "primary_key": "id",
        "on_error": "quarantine",
        "location_column": "offset",
        "columns": [
            {"name": "id", "type": "VARCHAR", "nullable": False, "description": "its id"},
            {"name": "n", "type": "BIGINT", "description": "how many"},
            {"name": "tags", "type": "VARCHAR[]", "description": "its tags"},
            {"name": "seen", "type": "TIMESTAMP", "description": "when"},
            {"name": "offset", "type": "BIGINT", "description": "where"},
        ],
        "checks": [
            {"name": "id_unique", "type": "unique", "column": "id", "description": "twice"},
            {
                "name": "n_positive",
                "type": "greater_than",
                "column": "n",
                "value": 0,
                "severity": "warn",
                "description": "not positive",
            },
        ],
    }
    return ContractDeclaration.model_validate({**declared, **changes})


def test_a_contract_s_table_in_duckdb_arrow_and_polars() -> None:
    contract = Contract(_declaration(), "schemas/things.yml")
    assert contract.ddl() == (
        "CREATE TABLE IF NOT EXISTS things (\n  id VARCHAR NOT NULL,\n  n BIGINT,\n"
        "  tags VARCHAR[],\n  seen TIMESTAMP,\n  offset BIGINT\n)"
    )
    assert contract.ddl("staged_things").startswith("CREATE TABLE IF NOT EXISTS staged_things (")
    assert contract.arrow_schema() == pyarrow.schema(
        [
            pyarrow.field("id", pyarrow.string(), nullable=False),
            ("n", pyarrow.int64()),
            ("tags", pyarrow.list_(pyarrow.string())),
            ("seen", pyarrow.timestamp("us")),
            ("offset", pyarrow.int64()),
        ]
    )
    assert contract.polars_schema() == {
        "id": pl.String,
        "n": pl.Int64,
        "tags": pl.List(pl.String),
        "seen": pl.Datetime("us"),
        "offset": pl.Int64,
    }


def test_rows_become_a_frame_or_a_table_of_the_declared_types() -> None:
    contract = Contract(_declaration(), "schemas/things.yml")
    rows = [{"id": "a", "n": 3, "tags": ["x"], "seen": None, "offset": 7}]
    assert contract.frame(rows).schema == pl.Schema(contract.polars_schema())
    assert contract.frame(rows).row(0) == ("a", 3, ["x"], None, 7)
    assert contract.frame([]).schema == pl.Schema(contract.polars_schema())
    assert contract.frame([]).height == 0
    table = contract.arrow(rows)
    assert table.schema == contract.arrow_schema() and table.to_pylist() == rows


def test_what_a_contract_says_about_its_checks() -> None:
    contract = Contract(_declaration(), "schemas/things.yml")
    assert contract.quarantines and contract.path == "schemas/things.yml"
    assert (contract.table, contract.primary_key, contract.location_column) == (
        "things",
        "id",
        "offset",
    )
    assert contract.column_names == ["id", "n", "tags", "seen", "offset"]
    assert contract.check("n_positive").severity == "warn" and contract.check("nope") is None
    assert [c.name for c in contract.checks_of("error")] == ["id_unique"]
    assert [c.name for c in contract.checks_of("warn")] == ["n_positive"]
    assert not Contract(_declaration(on_error="stop"), "schemas/things.yml").quarantines


def test_the_error_schema_also_enforces_the_declared_columns() -> None:
    contract = Contract(_declaration(), "schemas/things.yml")
    error = contract.pandera_schema("error")
    assert list(error.columns) == contract.column_names and len(error.checks) == 1
    assert contract.pandera_schema("warn").columns == {}
    assert len(contract.pandera_schema("warn").checks) == 1
    # Only some checks: no column rules.
    assert contract.pandera_schema("error", {"id_unique"}).columns == {}
    assert contract.pandera_schema("error", {"n_positive"}).checks == []
    wrong = pl.DataFrame(
        {"id": ["a"], "n": ["three"], "tags": [["x"]], "seen": [None], "offset": [1]},
        schema_overrides={"seen": pl.Datetime("us")},
    )
    with pytest.raises(pa.errors.SchemaError, match="expected column 'n' to have type Int64"):
        error.validate(wrong)


def test_a_column_a_contract_names_must_be_declared() -> None:
    declaration = _declaration(
        primary_key="key",
        checks=[
            {
                "name": "n_le_m",
                "type": "column_le",
                "column": "n",
                "other": "m",
                "description": "n over m",
            },
            {
                "name": "present",
                "type": "not_null",
                "column": "idd",
                "location_column": "ofset",
                "description": "missing",
            },
        ],
    )
    assert list(declaration.problems()) == [
        (("primary_key",), "key", "no column 'key'"),
        (("checks", 0, "other"), "m", "no column 'm'"),
        (("checks", 1, "column"), "idd", "no column 'idd' (did you mean 'id'?)"),
        (("checks", 1, "location_column"), "ofset", "no column 'ofset' (did you mean 'offset'?)"),
    ]
    assert list(_declaration().problems()) == []


def test_columns_and_checks_are_declared_once_with_a_known_type() -> None:
    columns = _declaration().model_dump()["columns"]
    with pytest.raises(pydantic.ValidationError, match="column 'id' is declared twice"):
        _declaration(columns=[*columns, columns[0]])
    with pytest.raises(pydantic.ValidationError, match="Input should be 'VARCHAR'"):
        _declaration(columns=[{"name": "id", "type": "INT", "description": "an id"}])
    checks = _declaration().model_dump()["checks"]
    with pytest.raises(pydantic.ValidationError, match="check 'id_unique' is declared twice"):
        _declaration(checks=[checks[0], checks[0]])


def test_every_table_the_engine_writes_has_its_contract(project: Project) -> None:
    assert set(project.contracts) == {
        "documents",
        "figures",
        "rejects",
        "files",
        "runs",
        "document_sentences",
        "document_texts",
    }
    for name, contract in project.contracts.items():
        assert contract.path == f"schemas/{name}.yml" and contract.table == name
        assert list(contract.declaration.problems()) == []
    assert project.contracts["figures"].quarantines
    assert not project.contracts["runs"].quarantines
