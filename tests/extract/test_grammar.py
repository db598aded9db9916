"""The figure grammar, compiled once from the project's vocabulary and date declarations."""

from __future__ import annotations

import dataclasses

from support import figures_in

from newsfigures.config import Project
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.tokens import tokenize


def test_range_frames_are_read_from_the_vocabulary(project: Project) -> None:
    vocabulary = project.vocabulary.model_copy(update={"range_frames": {"from": "through"}})
    edited = FigureGrammar(dataclasses.replace(project, vocabulary=vocabulary))
    text = "From 300 through 500 people fled, and between 10 and 20 soldiers died."
    spans = [(f.span, f.value_low, f.value_high) for f in figures_in(text, edited)]
    assert spans[0] == ("From 300 through 500 people", 300, 500)
    # "between" is no longer a range frame: only "20 soldiers" is a figure there.
    assert ("10 and 20 soldiers", 10, 20) not in spans
    assert all("between" not in span for span, _, _ in spans)


def test_lead_words_open_a_number_only_with_one_after_them(grammar: FigureGrammar) -> None:
    assert grammar.lead_words == {"a", "an", "between", "from"}
    assert {"dozen", "dozens", "hundred", "twenty"} <= grammar.number_openers
    assert not grammar.number_openers & grammar.lead_words
    assert grammar.lead_words <= grammar.start_words


def test_the_anchor_finds_a_sentence_that_may_hold_a_figure(grammar: FigureGrammar) -> None:
    assert grammar.anchor.search("Officials said 3 left.")
    assert grammar.anchor.search("DOZENS left the town.")
    assert not grammar.anchor.search("No figure here, officials said.")
    # A number word inside another word is not one.
    assert not grammar.anchor.search("Prices rose twentyfold.")


def test_qualifiers_and_additive_prefixes_are_phrases_of_their_kind(
    grammar: FigureGrammar,
) -> None:
    assert grammar.qualifiers.match(tokenize("at least 40 men"), 0) == (2, "at_least")
    assert grammar.qualifiers.match(tokenize("some 40 men"), 0) == (1, "approx")
    # "another 350 detainees" is an exact count.
    assert grammar.qualifiers.match(tokenize("another 350 detainees"), 0) == (1, "exact")


def test_numbers_and_years_come_from_the_vocabulary(
    project: Project, grammar: FigureGrammar
) -> None:
    numbers = project.vocabulary.numbers
    assert grammar.units == {**numbers.units, **numbers.tens}
    assert grammar.scales == numbers.scales
    # A fraction is also read in the plural ("two thirds").
    assert grammar.fractions["quarters"] == grammar.fractions["quarter"] == 0.25
    assert [grammar.year_low, grammar.year_high] == project.vocabulary.non_figures.year_range
    assert grammar.splitter.max_chars == project.settings.text.sentence_max_chars
