"""The Prefect flow itself, run for real (ephemeral Prefect server, ~10 s)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import REPO

pytestmark = pytest.mark.prefect


def test_the_flow_builds_the_warehouse_and_is_idempotent(seeds_copy: Path, tmp_path: Path) -> None:
    from flows.pipeline import pipeline

    warehouse = tmp_path / "warehouse"
    first = pipeline(seeds_dir=str(seeds_copy), warehouse_dir=str(warehouse), project_dir=str(REPO))
    assert first.documents == 5 and first.figures >= 30
    assert first.errors == 0 and first.exit_code == 0
    assert first.flow_run_id  # ran under Prefect, not as a plain function

    database = warehouse / "newsfigures.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        before = con.execute("select * from figures order by figure_id").fetchall()

    (seeds_copy / "broken.txt").write_bytes(b"\x00\x01binary")
    second = pipeline(
        seeds_dir=str(seeds_copy), warehouse_dir=str(warehouse), project_dir=str(REPO)
    )
    assert second.files_seen == 6 and second.files_rejected == 1 and second.exit_code == 1
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select * from figures order by figure_id").fetchall() == before
        assert con.execute(
            "select check_name from rejects where source_file = 'broken.txt'"
        ).fetchall() == [("file_binary",)]
        assert con.execute("select status from runs order by started_at").fetchall() == [
            ("ok",),
            ("errors",),
        ]
    assert not any((warehouse / "staging").iterdir())
