"""Table contracts: schemas/<table>.yml read, checked and compiled."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfigures.config import ConfigError, load_project


def test_contract_errors_name_the_file_and_check(project_copy: Path) -> None:
    contract = project_copy / "schemas" / "figures.yml"
    contract.write_text(contract.read_text().replace("type: column_le", "type: colum_le", 1))
    with pytest.raises(
        ConfigError,
        match=r"schemas/figures\.yml:\d+: checks\[1\]: unknown type 'colum_le' "
        r"\(in 'value_low_le_high'\) \(did you mean 'column_le'\?\)",
    ):
        load_project(project_copy)
