"""Numbers in a sentence: what a number is, and the context that rules one out (an age, a
duration, a percentage, money, a distance, a date, a time, an id)."""

from __future__ import annotations

import pytest
from support import figures_in

from newsfigures.extract.grammar import FigureGrammar


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
