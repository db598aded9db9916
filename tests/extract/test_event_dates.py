"""The day of a figure's event: from its own clause, never the dateline's or a report's."""

from __future__ import annotations

from datetime import date

import pytest

from newsfigures.extract.figures import extract_figures
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.text import Segment

PUBLISHED = date(2024, 6, 12)  # a Wednesday


def _days(text: str, grammar: FigureGrammar, published_at: int | None = None) -> dict:
    figures = extract_figures(
        text, [Segment(0, len(text))], PUBLISHED, grammar, published_at=published_at
    )
    return {f.span: f.event_date for f in figures}


def test_the_dateline_s_date_is_the_publication_date_not_the_event_s(
    grammar: FigureGrammar,
) -> None:
    text = "PORT SUDAN, June 12, 2024 (Reuters) - At least 40 civilians were killed on Tuesday."
    days = _days(text, grammar, published_at=text.index("June"))
    assert days["At least 40 civilians"] == date(2024, 6, 11)
    text = "PORT SUDAN, June 12, 2024 (Reuters) - At least 40 civilians were killed in the attack."
    assert _days(text, grammar, published_at=text.index("June"))["At least 40 civilians"] is None


@pytest.mark.parametrize(
    ("text", "span", "day"),
    [
        # the day something was said is not the day it happened
        ("Officials said on Monday that 68 people had been killed.", "68 people", None),
        ("Health officials said Tuesday that 105 people were missing.", "105 people", None),
        # explicit and relative days of the clause
        ("On Saturday, 42 pupils were freed.", "42 pupils", date(2024, 6, 8)),
        ("At least 19 people drowned on June 3.", "At least 19 people", date(2024, 6, 3)),
        # a period, a deadline or another event's day
        (
            "More than 600 civilians have been killed since Feb. 18.",
            "More than 600 civilians",
            None,
        ),
        (
            "About 5,400 troops will be withdrawn by the Aug. 31 deadline.",
            "About 5,400 troops",
            None,
        ),
        (
            "Authorities evacuated 800,000 people before the storm made landfall on Friday.",
            "800,000 people",
            None,
        ),
        # a day given before a period still dates the count
        (
            "Soldiers killed at least 114 people on Saturday, the bloodiest day since the coup.",
            "at least 114 people",
            date(2024, 6, 8),
        ),
        # a clause joined with ", and" or "while" keeps its own day, else shares the other's
        (
            "About 60 stayed in the gym on Monday night, and 23 residents were there on Tuesday.",
            "23 residents",
            date(2024, 6, 11),
        ),
        (
            "About 1,200 were killed in the raid of June 1, and 240 people were taken captive.",
            "240 people",
            date(2024, 6, 1),
        ),
        (
            "Four soldiers were killed in an ambush on June 5, while nine others were wounded.",
            "nine others",
            date(2024, 6, 5),
        ),
        # a part of a count shares the whole's day
        (
            "On Saturday, 42 people seized on May 17 were freed, among them 27 schoolboys.",
            "27 schoolboys",
            date(2024, 6, 8),
        ),
        # a "when" clause happens on its main clause's day
        (
            "Eight people died on Tuesday when a wall fell as 3,000 survivors stormed a store.",
            "Eight people",
            date(2024, 6, 11),
        ),
    ],
)
def test_the_day_of_a_figure_is_its_clause_s(
    grammar: FigureGrammar, text: str, span: str, day: date | None
) -> None:
    assert _days(text, grammar)[span] == day


def test_today_in_a_quotation_is_the_day_the_words_were_spoken(grammar: FigureGrammar) -> None:
    text = (
        "The commander said on Monday the assault had slowed.\n\n"
        "\u201cWe lost many men. Today about 200 fighters surrendered,\u201d he told reporters."
    )
    lines = [Segment(0, text.index("\n")), Segment(text.index("\u201c"), len(text))]
    [figure] = extract_figures(text, lines, PUBLISHED, grammar)
    assert figure.event_date == date(2024, 6, 10)
    # outside the quotation "today" is the publication day
    text = "The commander said on Monday the assault had slowed. Today 200 fighters surrendered."
    assert _days(text, grammar)["200 fighters"] == PUBLISHED
