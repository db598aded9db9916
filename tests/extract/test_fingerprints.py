"""Signs of a doubtful publication date in one document's text, and the sentence
fingerprints the run-level syndicated-copy check compares."""

from __future__ import annotations

from datetime import date

from newsfigures.config import Project
from newsfigures.extract.dates import DateGrammar
from newsfigures.extract.fingerprints import (
    date_after_text,
    sentence_fingerprints,
    sentence_hash,
)
from newsfigures.extract.text import Segment, SentenceSplitter


def test_fingerprints_ignore_case_punctuation_and_short_sentences() -> None:
    splitter = SentenceSplitter([])
    a = "There have been attacks by small groups of IS fighters - some thought to be sleeper cells. Short one."
    b = "THERE have been attacks by small groups of IS fighters � some thought to be sleeper cells! Short two."
    fa = sentence_fingerprints(a, splitter.split(a, Segment(0, len(a))), 10)
    fb = sentence_fingerprints(b, splitter.split(b, Segment(0, len(b))), 10)
    assert fa == fb and len(fa) == 1


def test_a_figure_s_sentence_hash_is_the_fingerprint_its_copies_share() -> None:
    # The estimate models find a copied mention by this hash: the same words, whatever the
    # case, punctuation and spacing, and the hash the document's sentence list holds.
    long = "Some 200 fighters surrendered - officials said on Tuesday, near the town."
    copy = "SOME 200 fighters surrendered � officials said on Tuesday,  near the town!"
    splitter = SentenceSplitter([])
    assert sentence_hash(long) == sentence_hash(copy)
    assert [sentence_hash(long)] == sentence_fingerprints(
        long, splitter.split(long, Segment(0, len(long))), 10
    )
    assert sentence_hash("Some 200 fighters surrendered.") != sentence_hash(
        "Some 300 fighters surrendered."
    )


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


def test_a_sentence_is_fingerprinted_once_and_short_ones_not_at_all() -> None:
    splitter = SentenceSplitter([])
    long = "Some two hundred fighters and their families left the town on foot at dawn today."
    text = f"{long} {long} Too short to count."
    found = sentence_fingerprints(text, splitter.split(text, Segment(0, len(text))), 10)
    assert len(found) == 1 and found == sorted(found)
    assert sentence_fingerprints(text, splitter.split(text, Segment(0, len(text))), 100) == []
    # A stable hash, whatever process computes it (Python's own hash() is salted).
    assert found == sentence_fingerprints(long, [Segment(0, len(long))], 10)
    assert -(2**63) <= found[0] < 2**63


def test_no_publication_date_or_no_month_named_is_no_doubt(project: Project) -> None:
    grammar = DateGrammar(project.dates)
    text = "Trump on Saturday, February 16, urged European powers to act."
    assert date_after_text(text, [Segment(0, len(text))], None, grammar, 60) is None
    plain = "Officials said 300 fighters surrendered on Saturday."
    assert date_after_text(plain, [Segment(0, len(plain))], date(2019, 11, 17), grammar, 60) is None
