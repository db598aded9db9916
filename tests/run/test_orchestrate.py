"""How a run executes under Prefect: the task runner the settings ask for. (Prefect is
imported, not started: the flow itself is run in tests/run/test_flow.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfigures.config import Project

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


def test_a_mapped_step_runs_in_worker_processes_that_end_with_the_step() -> None:
    # The pool is the step's, not the flow's: its workers (hundreds of MiB each after a
    # batch) are gone before the commit starts.
    import multiprocessing
    import os

    from prefect import flow
    from prefect.task_runners import ProcessPoolTaskRunner
    from support import process_of

    from newsfigures.run.orchestrate import PrefectExecutor
    from newsfigures.run.server import prefect_api

    @flow
    def mapped() -> tuple[list[tuple[int, str]], int]:
        executor = PrefectExecutor(ProcessPoolTaskRunner(max_workers=2))
        done = executor.map(process_of, [1, 2, 3], "item ")
        return done, len(multiprocessing.active_children())

    with prefect_api("test-server.log", services=False):
        done, alive_after = mapped()
    assert [tag for _, tag in done] == ["item 1", "item 2", "item 3"]
    assert os.getpid() not in {pid for pid, _ in done}
    assert alive_after == 0


def test_a_run_s_execution_overrides_are_checked_like_the_settings(
    project: Project, tmp_path: Path
) -> None:
    from prefect.task_runners import ProcessPoolTaskRunner

    from newsfigures.run.orchestrate import task_runner_for

    chosen = task_runner_for(project, tmp_path, {"task_runner": "process", "workers": 3})
    assert isinstance(chosen, ProcessPoolTaskRunner) and chosen._max_workers == 3
    with pytest.raises(ValueError, match="workers"):
        task_runner_for(project, tmp_path, {"workers": 0})
    with pytest.raises(ValueError, match="threads"):
        task_runner_for(project, tmp_path, {"threads": 2})
