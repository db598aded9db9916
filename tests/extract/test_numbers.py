"""Numbers in a sentence: what a number is, and the context that rules one out (an age, a
duration, a percentage, money, a distance, a date, a time, an id)."""

from __future__ import annotations

import pytest
from support import figures_in

from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.numbers import may_open_number, quantity, range_between, ruled_out
from newsfigures.extract.tokens import tokenize


@pytest.mark.parametrize(
    "sentence",
    [
        "Britain stripped the citizenship of a 19-year-old who joined IS in 2015.",
        "Numbers increased during the last 20 days of the operation.",
        "More than four years after the caliphate was declared, it fell.",
        "The eight-year war has displaced half the population.",
        "Turnout was 40 percent, up from 12% last year.",
        "The donors pledged $3 million and 2 million euros.",
        "The camp lies 15 km from the border.",
        "The second evacuation began on March 5, 2019 at 1:24 am.",
        "Call +44 20 7946 0958 for details.",
        "One resident said the crossings were not safe.",
        "A magnitude 7.8 earthquake struck at 04:17.",
    ],
)
def test_non_figures_are_left_out(grammar: FigureGrammar, sentence: str) -> None:
    assert [f.span for f in figures_in(sentence, grammar)] == []


@pytest.mark.parametrize(
    ("text", "low", "high", "length"),
    [
        ("1,500 men", 1500, 1500, 1),
        ("4.1 million people", 4_100_000, 4_100_000, 2),
        ("1.5m people", 1_500_000, 1_500_000, 1),
        ("two hundred and five men", 205, 205, 4),
        ("twenty-five men", 25, 25, 3),
        ("a dozen men", 12, 12, 2),
        ("two dozen men", 24, 24, 2),
        ("a quarter of a million people", 250_000, 250_000, 5),
    ],
)
def test_a_number_in_digits_or_words(
    grammar: FigureGrammar, text: str, low: int, high: int, length: int
) -> None:
    tokens = tokenize(text)
    assert may_open_number(tokens, 0, grammar)
    number = quantity(tokens, 0, grammar)
    assert (number.low, number.high, number.start, number.end) == (low, high, 0, length)
    assert not (number.vague or number.is_range or number.weak)


def test_vague_quantities_and_ranges(grammar: FigureGrammar) -> None:
    dozens = quantity(tokenize("dozens of men"), 0, grammar)
    assert (dozens.low, dozens.high, dozens.end, dozens.vague) == (12, 99, 1, True)
    tens = quantity(tokenize("tens of thousands of people"), 0, grammar)
    assert (tens.low, tens.high, tens.end) == (10_000, 99_999, 3)
    span = quantity(tokenize("300 to 400 refugees"), 0, grammar)
    assert (span.low, span.high, span.end, span.is_range) == (300, 400, 3, True)
    # A "range" that runs downwards is the first number only.
    down = quantity(tokenize("400 to 300 refugees"), 0, grammar)
    assert (down.low, down.high, down.end, down.is_range) == (400, 400, 1, False)


def test_a_range_between_two_numbers_is_framed_by_the_declared_words(
    grammar: FigureGrammar,
) -> None:
    between = range_between(tokenize("between 300 and 500 civilians"), 0, grammar)
    assert (between.low, between.high, between.start, between.end) == (300, 500, 0, 4)
    assert range_between(tokenize("from 300 to 500 civilians"), 0, grammar).high == 500
    assert range_between(tokenize("between 500 and 300 civilians"), 0, grammar) is None
    assert range_between(tokenize("between 300 civilians"), 0, grammar) is None
    assert range_between(tokenize("300 and 500 civilians"), 0, grammar) is None


def test_what_is_not_a_number(grammar: FigureGrammar) -> None:
    # Not a whole count, or a suffix that is no scale.
    assert quantity(tokenize("1.5 people"), 0, grammar) is None
    assert quantity(tokenize("3x faster"), 0, grammar) is None
    # A lead word opens a number only when one follows it.
    assert may_open_number(tokenize("a dozen men"), 0, grammar)
    assert not may_open_number(tokenize("a man"), 0, grammar)
    assert not may_open_number(tokenize("from Raqqa"), 0, grammar)
    assert not may_open_number(tokenize("men"), 5, grammar)


def test_zero_and_one_are_weak_numbers(grammar: FigureGrammar) -> None:
    """ "one resident said" is not a count of residents: a weak number needs a qualifier."""
    assert quantity(tokenize("one resident"), 0, grammar).weak
    assert not quantity(tokenize("two residents"), 0, grammar).weak
    assert figures_in("One resident said the crossings were not safe.", grammar) == []
    assert [f.span for f in figures_in("At least one resident died.", grammar)] == [
        "At least one resident"
    ]


def test_a_number_is_ruled_out_by_its_own_sentence_only(grammar: FigureGrammar) -> None:
    text = "The siege ended in July. Tens of thousands have since fled."
    tokens = tokenize(text, text.index("Tens"))
    assert not ruled_out(text, tokens, quantity(tokens, 0, grammar), grammar)
    aged = "Men aged 18 to 60 were held."
    tokens = tokenize(aged)
    assert ruled_out(aged, tokens, quantity(tokens, 2, grammar), grammar)
