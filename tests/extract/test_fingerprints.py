"""Signs of a doubtful publication date in one document's text, and the sentence
fingerprints the run-level syndicated-copy check compares."""

from __future__ import annotations

from datetime import date

from newsfigures.config import Project
from newsfigures.extract.dates import DateGrammar
from newsfigures.extract.fingerprints import date_after_text, sentence_fingerprints
from newsfigures.extract.text import Segment, SentenceSplitter


def test_fingerprints_ignore_case_punctuation_and_short_sentences() -> None:
    splitter = SentenceSplitter([])
    a = "There have been attacks by small groups of IS fighters - some thought to be sleeper cells. Short one."
    b = "THERE have been attacks by small groups of IS fighters � some thought to be sleeper cells! Short two."
    fa = sentence_fingerprints(a, splitter.split(a, Segment(0, len(a))), 10)
    fb = sentence_fingerprints(b, splitter.split(b, Segment(0, len(b))), 10)
    assert fa == fb and len(fa) == 1


def test_year_less_dates_long_before_the_header_date_are_suspect(project: Project) -> None:
    grammar = DateGrammar(project.dates)
    recent = "Trump on Saturday, February 16, urged European powers to act."
    background = "The siege began on April 14, 2014, and the girls were taken that night."
    assert "274 days" in date_after_text(
        recent, [Segment(0, len(recent))], date(2019, 11, 17), grammar, 60
    )
    assert (
        date_after_text(background, [Segment(0, len(background))], date(2016, 10, 13), grammar, 60)
        is None
    )
    assert (
        date_after_text(recent, [Segment(0, len(recent))], date(2019, 2, 23), grammar, 60) is None
    )
