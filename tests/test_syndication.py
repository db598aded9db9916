"""Doubtful publication dates: a later page date in the text, and syndicated copies."""

from __future__ import annotations

import random
from datetime import date, timedelta
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


def _pairwise(
    documents: list[dict], fingerprints: dict[str, list[int]], settings: dict
) -> dict[str, str]:
    """The check's definition, pair by pair (the pipeline computes it as a set operation)."""
    holders: dict[int, set[str]] = {}
    for doc_id, hashes in fingerprints.items():
        for h in hashes:
            holders.setdefault(h, set()).add(doc_id)
    common = {h for h, docs in holders.items() if 2 <= len(docs) <= settings["max_docs"]}
    info = {d["doc_id"]: d for d in documents}
    reasons: dict[str, str] = {}
    for a, b in sorted((a, b) for a in info for b in info if a < b):
        n = len(set(fingerprints.get(a, [])) & set(fingerprints.get(b, [])) & common)
        da, db = info[a]["published_date"], info[b]["published_date"]
        if n < settings["min_shared"] or da is None or db is None:
            continue
        earlier, later = (info[a], info[b]) if da <= db else (info[b], info[a])
        gap = (later["published_date"] - earlier["published_date"]).days
        if gap > settings["max_apart"] and later["doc_id"] not in reasons:
            reasons[later["doc_id"]] = (
                f"shares {n} sentences with {earlier['source_file']}, dated "
                f"{earlier['published_date']} ({gap} days earlier)"
            )
    return reasons


def test_the_set_operation_gives_the_pairwise_definition_on_random_sets() -> None:
    rng = random.Random(7)
    found = 0
    for _ in range(150):
        ids = sorted({f"{rng.getrandbits(20):05x}" for _ in range(rng.randint(0, 25))})
        documents = [
            {
                "doc_id": d,
                "source_file": f"{d}.txt",
                "published_date": None
                if rng.random() < 0.1
                else date(2019, 1, 1) + timedelta(days=rng.randint(0, 200)),
            }
            for d in ids
            if rng.random() < 0.9  # some documents have sentences and no row (kept out)
        ]
        # Hashes from a small pool (so documents share some), at both ends of BIGINT.
        pool = [*range(12), *(-(2**63) + i for i in range(6)), *(2**63 - 1 - i for i in range(6))]
        fingerprints = {d: sorted(set(rng.sample(pool, rng.randint(0, 8)))) for d in ids}
        settings = {
            "max_apart": rng.choice([0, 10, 30]),
            "min_shared": rng.choice([1, 2, 3]),
            "max_docs": rng.choice([2, 3, 50]),
        }
        declared = {
            "max_days_apart": settings["max_apart"],
            "min_shared_sentences": settings["min_shared"],
            "max_docs_per_shared_sentence": settings["max_docs"],
        }
        expected = _pairwise(documents, fingerprints, settings)
        assert syndicated_dates(documents, fingerprints, declared) == expected
        found += len(expected)
    assert found > 100  # the sets do exercise the check


def test_a_sentence_in_too_many_documents_is_boilerplate() -> None:
    docs = [
        {"doc_id": f"d{i}", "source_file": f"{i}.txt", "published_date": date(2019, 1, 1 + i * 9)}
        for i in range(3)
    ]
    shared = {"d0": [1, 2], "d1": [1, 2], "d2": [1, 2]}
    settings = {"max_days_apart": 5, "min_shared_sentences": 2}
    assert set(syndicated_dates(docs, shared, settings)) == {"d1", "d2"}
    assert syndicated_dates(docs, shared, {**settings, "max_docs_per_shared_sentence": 2}) == {}
    assert "with 0.txt" in syndicated_dates(docs, shared, settings)["d2"]  # the first pair's
