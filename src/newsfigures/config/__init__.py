"""The project's declarations: read once into typed objects, checked, then passed to every
stage (see project.py)."""

from newsfigures.config.problems import ConfigError, Problem
from newsfigures.config.project import (
    OptionError,
    Project,
    find_project_root,
    load_project,
    read_yaml,
    with_year,
)

__all__ = [
    "ConfigError",
    "OptionError",
    "Problem",
    "Project",
    "find_project_root",
    "load_project",
    "read_yaml",
    "with_year",
]
