"""What happened to a number a form of words (extract/forms.py) marks as a count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsfigures.extract.events import figure_event
from newsfigures.extract.forms import Marked
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.tokens import Token

if TYPE_CHECKING:
    from newsfigures.extract.figures import Figure


def marked_event(
    tokens: list[Token],
    i: int,
    end: int,
    marked: Marked | None,
    recent: list[Figure],
    grammar: FigureGrammar,
) -> str | None:
    """The event cue nearest the figure; for a count listed under a heading, the heading's.
    With no cue near it, a sub-count shares the event of the group it is part of."""
    if marked is not None and marked.event:
        return marked.event
    event = figure_event(tokens, i, end, grammar)
    if event is None and marked is not None and marked.part_of_last and recent:
        event = recent[-1].event
    return event
