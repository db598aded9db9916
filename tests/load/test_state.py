"""The state database: connections with the declared resources."""

from __future__ import annotations

from pathlib import Path

from newsfigures.config import Project
from newsfigures.load.state import connect


def test_duckdb_memory_and_spill_folder_come_from_the_settings(
    project: Project, tmp_path: Path
) -> None:
    settings = project.settings.warehouse.model_copy(update={"memory_limit": "300MB"})
    (tmp_path / ".state").mkdir()
    con = connect(tmp_path / ".state" / "state.duckdb", settings)
    try:
        limit, spill = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    finally:
        con.close()
    assert limit.startswith("286") and Path(spill) == tmp_path / ".state" / "spill"
