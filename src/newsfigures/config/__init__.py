"""The project's declarations: read once into typed objects, checked, then passed to every
stage (see project.py)."""

from newsfigures.config.problems import ConfigError, Problem
from newsfigures.config.project import Project, find_project_root, load_project, read_yaml

__all__ = ["ConfigError", "Problem", "Project", "find_project_root", "load_project", "read_yaml"]
