"""Doubtful publication dates: a later page date in the text, and syndicated copies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsfigures.batch import merge_batches, process_batch
from newsfigures.config import Project
from newsfigures.dates import DateGrammar
from newsfigures.ingest import discover
from newsfigures.syndication import date_after_text, sentence_fingerprints, syndicated_dates
from newsfigures.text import Segment, SentenceSplitter


def test_fingerprints_ignore_case_punctuation_and_short_sentences() -> None:
    splitter = SentenceSplitter([])
    a = "There have been attacks by small groups of IS fighters - some thought to be sleeper cells. Short one."
    b = "THERE have been attacks by small groups of IS fighters � some thought to be sleeper cells! Short two."
    fa = sentence_fingerprints(a, splitter.split(a, Segment(0, len(a))), 10)
    fb = sentence_fingerprints(b, splitter.split(b, Segment(0, len(b))), 10)
    assert fa == fb and len(fa) == 1


def test_the_later_of_two_copies_dated_far_apart_is_flagged() -> None:
    docs = [
        {"doc_id": "a", "source_file": "003.txt", "published_date": date(2019, 2, 23)},
        {"doc_id": "b", "source_file": "004.txt", "published_date": date(2019, 11, 17)},
        {"doc_id": "c", "source_file": "other.txt", "published_date": date(2019, 2, 24)},
    ]
    reasons = syndicated_dates(
        docs,
        {"a": [1, 2, 3], "b": [2, 3, 9], "c": [3, 7]},
        {"max_days_apart": 30, "min_shared_sentences": 2},
    )
    assert (
        list(reasons) == ["b"] and "003.txt" in reasons["b"] and "267 days earlier" in reasons["b"]
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


def test_seed_004_is_flagged_as_a_later_copy_of_003(project: Project, seeds_copy: Path) -> None:
    paths = discover(seeds_copy, ["*.txt"])
    merged = merge_batches([process_batch(paths, seeds_copy, project, "r")], project, "r")
    suspects = {r["source_file"]: r for r in merged.documents.to_pylist() if r["date_suspect"]}
    assert list(suspects) == ["004_d3d7cfa834a73cd2.txt"]
    assert "003_162858cfc94cf061.txt" in suspects["004_d3d7cfa834a73cd2.txt"]["date_suspect"]
    [reject] = [
        r for r in merged.rejects.to_pylist() if r["check_name"] == "published_date_suspect"
    ]
    assert reject["severity"] == "warn" and reject["source_file"] == "004_d3d7cfa834a73cd2.txt"
