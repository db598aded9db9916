"""What is wrong with a declaration, said so that a person can fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfigures.config import ConfigError, load_project


def test_unquoted_yaml_booleans_in_word_lists_are_refused(project_copy: Path) -> None:
    vocabulary = project_copy / "config" / "vocabulary.yml"
    vocabulary.write_text(vocabulary.read_text().replace('"on", at, from', "on, at, from"))
    with pytest.raises(ConfigError, match=r"entity_window\.stop_words\[\d+\].*quote it"):
        load_project(project_copy)
