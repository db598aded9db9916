"""The figure grammar, compiled from the project's declarations."""

from __future__ import annotations

import dataclasses

from support import figures_in

from newsfigures.config import Project
from newsfigures.extract.grammar import FigureGrammar


def test_range_frames_are_read_from_the_vocabulary(project: Project) -> None:
    vocabulary = project.vocabulary.model_copy(update={"range_frames": {"from": "through"}})
    edited = FigureGrammar(dataclasses.replace(project, vocabulary=vocabulary))
    text = "From 300 through 500 people fled, and between 10 and 20 soldiers died."
    spans = [(f.span, f.value_low, f.value_high) for f in figures_in(text, edited)]
    assert spans[0] == ("From 300 through 500 people", 300, 500)
    # "between" is no longer a range frame: only "20 soldiers" is a figure there.
    assert ("10 and 20 soldiers", 10, 20) not in spans
    assert all("between" not in span for span, _, _ in spans)
