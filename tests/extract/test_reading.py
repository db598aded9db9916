"""An article read sentence by sentence: dates carried over, speakers resolved, quotations
dated from the day the words were spoken."""

from __future__ import annotations

from datetime import date

from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.reading import Reading
from newsfigures.extract.text import Segment, lines


def _reading(text: str, grammar: FigureGrammar, published: date | None) -> Reading:
    return Reading(text, lines(text), published, grammar)


def test_sentences_are_tokenised_only_when_asked(grammar: FigureGrammar) -> None:
    text = "The convoy left at dawn. It carried 300 people."
    reading = _reading(text, grammar, None)
    assert [s.content for s in reading.sentences] == [
        "The convoy left at dawn.",
        "It carried 300 people.",
    ]
    second = reading.sentences[1]
    assert second._tokens is None
    assert [t.text for t in second.tokens][:3] == ["It", "carried", "300"]


def test_a_relative_day_counts_from_the_publication_date(grammar: FigureGrammar) -> None:
    text = "Rebels freed 40 hostages on Saturday."
    reading = _reading(text, grammar, date(2023, 3, 14))  # a Tuesday
    assert [d.value for d in reading.dates(0)] == [date(2023, 3, 11)]
    assert reading.when(0).value == date(2023, 3, 11)
    assert reading.last_date_before(0) is None


def test_a_pronoun_speaker_is_the_last_named_one(grammar: FigureGrammar) -> None:
    text = "Some 200 fighters left, Mustafa Bali said. About 100 more stayed, he said."
    reading = _reading(text, grammar, None)
    assert reading.own_speaker(0) == "Mustafa Bali"
    assert reading.own_speaker(1) == "Mustafa Bali"


def test_a_quoted_sentence_is_said_by_its_paragraphs_speaker(grammar: FigureGrammar) -> None:
    text = "“Around 300 fighters remain,” Mustafa Bali said. “Another 50 surrendered.”"
    reading = _reading(text, grammar, None)
    assert reading.own_speaker(1) is None
    assert reading.speaker(1) == "Mustafa Bali"


def test_today_in_a_quotation_is_the_day_it_was_said(grammar: FigureGrammar) -> None:
    text = (
        "The governor spoke on Monday. "
        "“We evacuated 500 families today,” the governor said on Monday."
    )
    published = date(2023, 3, 15)  # a Wednesday
    reading = _reading(text, grammar, published)
    days = [d.value for d in reading.dates(1)]
    assert date(2023, 3, 13) in days
    assert published not in days


def test_segments_are_offsets_into_the_text(grammar: FigureGrammar) -> None:
    text = "First line.\nSecond line with 12 boats."
    reading = _reading(text, grammar, None)
    assert all(isinstance(s.segment, Segment) for s in reading.sentences)
    assert [s.segment.of(text) for s in reading.sentences] == [s.content for s in reading.sentences]
