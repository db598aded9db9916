"""How a run executes under Prefect: the task runner the settings ask for. (Prefect is
imported, not started: the flow itself is run in tests/run/test_flow.py.)"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.prefect


def test_auto_runs_small_folders_in_threads_and_large_ones_in_processes() -> None:
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    from newsfigures.config.settings import Execution
    from newsfigures.run.orchestrate import task_runner

    settings = Execution(task_runner="auto", process_from_files=2000, workers=2, dask_address=None)
    assert isinstance(task_runner(settings, files=5), ThreadPoolTaskRunner)
    assert isinstance(task_runner(settings, files=2000), ProcessPoolTaskRunner)
    threads = settings.model_copy(update={"task_runner": "thread"})
    assert isinstance(task_runner(threads, files=10**6), ThreadPoolTaskRunner)
