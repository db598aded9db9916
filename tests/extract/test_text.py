"""The regex builders of text.py: written for speed, they must match exactly what the plain
alternations they replace match."""

from __future__ import annotations

import re

import pytest

from newsfigures.extract.text import alternation, caseless_alternation, word_alternation

WORDS = ["January", "Jan", "June", "jun", "Sept", "September", "May", "a day earlier", "ß"]
TEXTS = [
    "On JANUARY 3 and jan. 4, then June, Junebug, SEPT 9 or september.",
    "mayday, May, MAY; A Day Earlier and a day earlier; Straße ß",
    "no month here at all",
]


@pytest.mark.parametrize("text", TEXTS)
def test_caseless_alternation_matches_what_an_ignorecase_alternation_does(text: str) -> None:
    plain = re.compile(f"(?:{alternation(WORDS)})", re.IGNORECASE)
    fast = re.compile(caseless_alternation(WORDS), re.IGNORECASE)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_caseless_alternation_stays_caseless_in_a_case_sensitive_pattern() -> None:
    pattern = re.compile(rf"(?P<month>{caseless_alternation(WORDS)})\s+\d+")
    assert pattern.search("on SEPTEMBER 9").group("month") == "SEPTEMBER"
    assert pattern.search("on Jan 9").group("month") == "Jan"  # not January: "Jan" then digits


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("ignore_case", [False, True])
def test_word_alternation_matches_whole_words_like_a_bounded_alternation(
    text: str, ignore_case: bool
) -> None:
    flags = re.IGNORECASE if ignore_case else 0
    plain = re.compile(rf"(?<!\w)(?:{alternation(WORDS)})(?!\w)", flags)
    fast = re.compile(word_alternation(WORDS, ignore_case=ignore_case))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
