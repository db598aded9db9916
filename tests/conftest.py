"""Shared fixtures. Tests never read ../shared: the seeds and gold files are copied in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import FIXTURES, REPO, SEEDS, fault_tally, memory_tally

# Prefect reads these at import time: ephemeral mode, offline, state inside the project.
os.environ.setdefault("PREFECT_HOME", str(REPO / ".prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from newsfigures.config import Project, load_project
from newsfigures.extract import Extractor


def pytest_terminal_summary(terminalreporter) -> None:
    for line in memory_tally:
        terminalreporter.write_line(f"peak memory: {line}")
    if fault_tally.inputs:
        terminalreporter.write_line(
            f"fault suite: inputs tried {fault_tally.inputs}, faults survived "
            f"{fault_tally.survived}, rows lost {fault_tally.lost}, "
            f"duplicate rows {fault_tally.duplicated}"
        )


@pytest.fixture(scope="session")
def project() -> Project:
    return load_project(REPO)


@pytest.fixture(scope="session")
def extractor(project: Project) -> Extractor:
    return Extractor(project)


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def bad_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "bad_seeds"
    shutil.copytree(FIXTURES / "bad_seeds", target)
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's declarations, for tests that edit them."""
    target = tmp_path / "project"
    for folder in ("config", "schemas"):
        shutil.copytree(REPO / folder, target / folder)
    shutil.copytree(REPO / "warehouse" / "views", target / "warehouse" / "views")
    shutil.copy2(REPO / "warehouse" / "rules.yml", target / "warehouse" / "rules.yml")
    shutil.copytree(REPO / "report", target / "report")
    return target
