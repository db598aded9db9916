"""What a number with no noun after it counts, and what happened to it, when a form of words
(extract/forms.py) or the running total it is the value of marks it as a count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsfigures.extract.entities import entity_after, entity_before
from newsfigures.extract.events import provisional_event
from newsfigures.extract.forms import Marked
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.tokens import Token

if TYPE_CHECKING:
    from newsfigures.extract.figures import Figure
    from newsfigures.extract.reading import Sentence


def marked_event(
    tokens: list[Token],
    i: int,
    end: int,
    marked: Marked | None,
    total: tuple[int, int] | None,
    recent: list[Figure],
    grammar: FigureGrammar,
) -> str | None:
    """The event of the figure read alone (its role among the words around it, before the
    sentence's other figures are known); for a count listed under a heading, the heading's.
    With none, a sub-count shares the event of the group it is part of, and the
    value of a total the event the total's own words give ("the death toll ... has climbed
    to 2,122", "the number of people killed ... has risen to 1,136")."""
    if marked is not None and marked.event:
        return marked.event
    event = provisional_event(tokens, i, end, grammar)
    if event is None and marked is not None and marked.part_of_last and recent:
        event = recent[-1].event
    if event is None and total is not None:
        # From the word before the total's name ("death toll") up to the number.
        for k in range(max(0, total[0] - 1), i):
            cue = grammar.event_cues.match(tokens, k)
            if cue and k + cue[0] <= i:
                return cue[1]
    return event


def implied_entity(
    tokens: list[Token],
    i: int,
    total: tuple[int, int] | None,
    event: str | None,
    earlier: list[Sentence],
    recent: list[Figure],
    grammar: FigureGrammar,
) -> tuple[str, str] | None:
    """What a number with no noun of its own counts: the noun of the total it is the value
    of ("the number of Nigerians repatriated ... to 489"), what the figure before it counted
    or the closest counted noun before it, else the default for a count an event or a total
    marks ("the death toll ... has climbed to 2,122")."""
    if total is not None:
        noun = entity_after(tokens, total[1], grammar)
        if noun is not None:
            return noun[0], noun[1]
    # A count something happened to that only people undergo refers back to people.
    people = event in grammar.person_events
    implied = entity_before(tokens, i, earlier, recent, grammar, other=False, people_only=people)
    if implied is None and (event or total is not None) and grammar.default_entity:
        implied = grammar.default_entity, grammar.default_category
    return implied or entity_before(tokens, i, earlier, recent, grammar, other=True)
