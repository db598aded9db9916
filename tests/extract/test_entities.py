"""What a number counts: the noun after it, or the noun a bare number refers back to."""

from __future__ import annotations

import dataclasses

import pytest
from support import figures_in

from newsfigures.config import Project
from newsfigures.extract.entities import entity_after, entity_at, slice_text
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.numbers import quantity
from newsfigures.extract.tokens import tokenize


def test_implied_entity_comes_from_the_closest_noun_before(grammar: FigureGrammar) -> None:
    text = (
        "Some 200 Daesh fighters surrendered, but around 1,000 may still be holding out. "
        "As many as 2,000 people made it out. But he said possibly 1,000 more remain."
    )
    found = {f.span: f for f in figures_in(text, grammar)}
    assert found["around 1,000"].entity == "fighters" and found["around 1,000"].entity_implied
    assert found["around 1,000"].event == "remain"
    assert found["possibly 1,000 more"].category == "people"


def _after(text: str, grammar: FigureGrammar) -> tuple[str, str, int] | None:
    """What the number that opens `text` counts."""
    tokens = tokenize(text)
    return entity_after(tokens, quantity(tokens, 0, grammar).end, grammar)


@pytest.mark.parametrize(
    ("text", "entity", "category", "last"),
    [
        # Words may stand between the number and its noun; the noun is the entity.
        ("200 Daesh fighters surrendered", "fighters", "combatants", 2),
        # In a compound the last noun is the head.
        ("two A400M transport planes", "planes", "vehicles", 3),
        # A list of nouns of several categories is of the mixed category.
        ("5,000 men, women and children left", "men, women and children", "people", 5),
        # A capitalised plural shaped like a demonym.
        ("60,000 Tigrayans crossed", "Tigrayans", "people", 1),
        # "of" and a noun the vocabulary does not list: counted, as `other`.
        ("scores of herders crossed", "herders", "other", 2),
    ],
)
def test_the_noun_a_number_counts(
    grammar: FigureGrammar, text: str, entity: str, category: str, last: int
) -> None:
    assert _after(text, grammar) == (entity, category, last)


@pytest.mark.parametrize(
    "text",
    [
        "200 were killed",  # an event word ends the search
        "300 in the town",  # a stop word ends it
        "40 percent of the vote",
    ],
)
def test_a_number_without_a_noun_after_it(grammar: FigureGrammar, text: str) -> None:
    assert _after(text, grammar) is None


def test_a_declared_place_is_not_a_demonym(project: Project, grammar: FigureGrammar) -> None:
    tokens = tokenize("300 Tunis")
    assert entity_at(tokens, 1, grammar) == (1, "people")  # shaped like one
    places = {**project.vocabulary.places, "Tunis": []}
    vocabulary = project.vocabulary.model_copy(update={"places": places})
    with_tunis = FigureGrammar(dataclasses.replace(project, vocabulary=vocabulary))
    assert entity_at(tokens, 1, with_tunis) is None
    assert entity_at(tokenize("300 Tunisians"), 1, with_tunis) == (1, "people")


def test_slice_text_keeps_the_spacing_of_the_text() -> None:
    tokens = tokenize("men,  women and U.S.-led troops")
    assert slice_text(tokens, 0, 3) == "men, women and"
    assert slice_text(tokens, 4, 7) == "U.S.-led troops"
