"""Fixtures of the extract tests."""

from __future__ import annotations

import pytest

from newsfigures.config import Project
from newsfigures.extract.grammar import FigureGrammar


@pytest.fixture(scope="session")
def grammar(project: Project) -> FigureGrammar:
    """The figure grammar of the project's declarations."""
    return FigureGrammar(project)
