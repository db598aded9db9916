"""What happened to the counted: the nearest event cue, or the counted noun's own words."""

from __future__ import annotations

import pytest
from support import figures_in

from newsfigures.extract.events import figure_event
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.tokens import tokenize


def test_events_follow_the_nearest_cue(grammar: FigureGrammar) -> None:
    cases = {
        "Regime rocket fire killed four civilians.": "kill",
        "The SDF had captured around 800 foreign insurgents.": "detain",
        "The promised withdrawal of some 2,000 troops who have deployed into Syria.": "withdraw",
        "Dozens of trucks headed towards the village.": None,
    }
    for sentence, event in cases.items():
        assert figures_in(sentence, grammar)[0].event == event, sentence


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("Hundreds of foreigners, wounded Palestinians and others crossed into Egypt.", "flee"),
        ("Divers recovered 111 bodies from the sea.", "kill"),
        ("Boko Haram still holds 197 girls in captivity.", "detain"),
        ("Britain airlifted about 3,200 people from Kabul.", "evacuate"),
    ],
)
def test_events_from_verbs_before_adjectives_and_from_the_counted_noun(
    grammar: FigureGrammar, sentence: str, event: str
) -> None:
    assert figures_in(sentence, grammar)[0].event == event


def _event(text: str, span: str, grammar: FigureGrammar) -> str | None:
    """The event of the figure whose span is `span` in `text`, by token indexes."""
    tokens = tokenize(text)
    start = next(i for i, t in enumerate(tokens) if t.start == text.index(span))
    end = next(i for i, t in enumerate(tokens) if t.end == text.index(span) + len(span)) + 1
    return figure_event(tokens, start, end, grammar)


def test_the_cue_after_the_figure_or_before_it(grammar: FigureGrammar) -> None:
    assert _event("Four civilians were killed.", "Four civilians", grammar) == "kill"
    assert _event("Regime fire killed four civilians.", "four civilians", grammar) == "kill"


def test_the_nearer_of_two_cues_wins(grammar: FigureGrammar) -> None:
    text = "Troops who had surrendered said 300 civilians fled the town."
    assert _event(text, "300 civilians", grammar) == "flee"


def test_a_cue_too_far_away_is_not_the_figure_s(grammar: FigureGrammar) -> None:
    far = "About 300 civilians gathered near the old market square by the river and then fled."
    assert _event(far, "About 300 civilians", grammar) is None
    assert _event("About 300 civilians fled.", "About 300 civilians", grammar) == "flee"


def test_with_no_cue_near_the_span_s_own_words_say_what_happened(grammar: FigureGrammar) -> None:
    assert _event("Thousands of bodies lay in the streets.", "Thousands of bodies", grammar) == (
        "kill"
    )
    assert (
        _event("Dozens of trucks headed towards the village.", "Dozens of trucks", grammar) is None
    )
