"""The Prefect flow itself, run for real (ephemeral Prefect server, ~10 s)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from support import REPO

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


def test_the_flow_on_a_two_worker_dask_cluster_gives_the_default_rows(
    seeds_copy: Path, tmp_path: Path
) -> None:
    from distributed import LocalCluster

    from flows.pipeline import run_pipeline

    default = tmp_path / "default"
    run_pipeline(str(seeds_copy), str(default), str(REPO))
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = tmp_path / "dask"
        summary = run_pipeline(
            str(seeds_copy), str(on_dask), str(REPO), dask_address=cluster.scheduler_address
        )
        assert summary.documents == 5
        # The batches ran on the cluster's workers.
        assert cluster.scheduler.task_prefixes
    for table in ("documents", "figures", "rejects", "files"):
        query = f"select * exclude (run_id) from {table} order by all"
        with (
            duckdb.connect(str(default / "newsfigures.duckdb"), read_only=True) as a,
            duckdb.connect(str(on_dask / "newsfigures.duckdb"), read_only=True) as b,
        ):
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), table


def test_each_flow_run_writes_the_report_and_links_it_as_an_artifact(
    seeds_copy: Path, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.pipeline import pipeline

    warehouse = tmp_path / "warehouse"
    summary = pipeline(
        seeds_dir=str(seeds_copy), warehouse_dir=str(warehouse), project_dir=str(REPO)
    )
    report = warehouse / "report.html"
    assert summary.report == str(report)
    assert report.read_text(encoding="utf-8").count("<svg") == 2
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["newsfigures-report"]))
        )
    linked = [a for a in artifacts if str(a.flow_run_id) == summary.flow_run_id]
    assert len(linked) == 1
    assert report.resolve().as_uri() in str(linked[0].data)
