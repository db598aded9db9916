"""Text geometry: lines and sentences as offsets into the text; and the regex builders,
written for speed, which must match exactly what the plain alternations they replace match."""

from __future__ import annotations

import re

import pytest

from newsfigures.extract.text import (
    Prefiltered,
    Segment,
    SentenceSplitter,
    alternation,
    caseless_alternation,
    combined,
    lines,
    split_sentences,
    stripped,
    word_alternation,
    word_count,
)

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


def test_lines_are_offsets_without_their_endings_blank_ones_included() -> None:
    text = "Title\r\n\r\nBody line\nlast"
    assert [s.of(text) for s in lines(text)] == ["Title", "", "Body line", "last"]
    assert lines(text)[2] == Segment(9, 18)
    assert lines("") == [Segment(0, 0)]
    assert [s.of("x\n") for s in lines("x\n")] == ["x", ""]


def test_stripped_and_word_count() -> None:
    text = "  Some 200 men  "
    assert stripped(text, Segment(0, len(text))) == Segment(2, 14)
    assert stripped("   ", Segment(0, 3)).of("   ") == ""
    assert word_count("Some 200 men, don’t they?") == 5


def test_sentences_end_at_a_stop_before_a_capital_but_not_after_an_abbreviation() -> None:
    splitter = SentenceSplitter(["Col.", "U.S."])
    text = "Col. Smith said 200 left. The U.S. Army agreed! “Yes,” he said. then 300 more"
    assert [s.of(text) for s in splitter.split(text, Segment(0, len(text)))] == [
        "Col. Smith said 200 left.",
        "The U.S. Army agreed!",
        "“Yes,” he said. then 300 more",
    ]


def test_a_sentence_over_the_limit_is_cut_at_a_space_or_at_the_limit() -> None:
    splitter = SentenceSplitter([], max_chars=20)
    words = "one two three four five six seven eight nine ten eleven twelve"
    pieces = [s.of(words) for s in splitter.split(words, Segment(0, len(words)))]
    assert pieces == ["one two three four", "five six seven", "eight nine ten", "eleven twelve"]
    solid = "x" * 45
    assert [len(s.of(solid)) for s in splitter.split(solid, Segment(0, 45))] == [20, 20, 5]


def test_split_sentences_numbers_each_sentence_by_its_line() -> None:
    text = "First line. Second one.\n\nThird paragraph."
    found = split_sentences(text, lines(text), SentenceSplitter([]))
    assert [(n, s.of(text)) for n, s in found] == [
        (0, "First line."),
        (0, "Second one."),
        (2, "Third paragraph."),
    ]


def test_combined_keeps_each_pattern_s_own_case_sensitivity() -> None:
    pattern = combined([re.compile("ab"), re.compile("cd", re.IGNORECASE), re.compile("(?i)ef")])
    assert [m.group() for m in pattern.finditer("AB ab CD cd EF")] == ["ab", "CD", "cd", "EF"]
    assert combined([]) is None


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (r"(?i)\bcookies?\b.*\baccept", "We use COOKIES: accept them", True),
        (r"(?i)\bcookies?\b.*\baccept", "We bake cookies", False),
        # an optional last letter is not required: "cooki" is looked for
        (r"(?i)\bcookies?\b", "one cookie left", True),
        # a leading group of plain alternatives: any of them
        (r"(?i)\b(?:photo|image|file photo)\s*:", "Image: Reuters", True),
        (r"(?i)\b(?:photo|image)\s*:", "Caption: Reuters", False),
        # an optional group, a character class: no literal, the pattern always runs
        (r"(?:Photo|Image)?\s*credit:", "credit: AP", True),
        (r"[Uu]nsubscribe\b", "Unsubscribe here", True),
        # case kept when the pattern keeps it
        (r"Creating\ new", "creating new things", False),
    ],
)
def test_a_prefiltered_pattern_finds_exactly_what_its_search_finds(
    pattern: str, text: str, found: bool
) -> None:
    assert Prefiltered([re.compile(pattern)]).search(text) is found
    assert bool(re.compile(pattern).search(text)) is found
