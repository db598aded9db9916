"""The run-level checks, in DuckDB: duplicates (the same bytes in several files) and
syndicated copies (shared sentences dated far apart)."""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow

from newsfigures.config import Project
from newsfigures.config.settings import SuspectDates
from newsfigures.run import runner
from newsfigures.run.checks import syndicated_query


def _syndicated(
    documents: list[dict], fingerprints: dict[str, list[int]], declared: dict
) -> dict[str, str]:
    """doc_id -> reason, by the pipeline's query over documents and fingerprints in memory."""
    settings = SuspectDates(max_days_after_text=60, min_sentence_words=10, **declared)
    docs = pyarrow.table(
        {
            "doc_id": pyarrow.array([d["doc_id"] for d in documents], pyarrow.string()),
            "source_file": pyarrow.array([d["source_file"] for d in documents], pyarrow.string()),
            "published_date": pyarrow.array(
                [d["published_date"] for d in documents], pyarrow.date32()
            ),
            "target": pyarrow.array([True] * len(documents), pyarrow.bool_()),
        }
    )
    sentences = pyarrow.table(
        {
            "doc_id": pyarrow.array(
                [d for d, hashes in fingerprints.items() for _ in hashes], pyarrow.string()
            ),
            "sentence_hash": pyarrow.array(
                [h for hashes in fingerprints.values() for h in hashes], pyarrow.int64()
            ),
        }
    )
    with duckdb.connect() as con:
        con.register("syndication_documents", docs)
        con.register("syndication_sentences", sentences)
        return dict(
            con.execute(
                syndicated_query(settings, "syndication_documents") + " ORDER BY doc_id"
            ).fetchall()
        )


def test_the_later_of_two_copies_dated_far_apart_is_flagged() -> None:
    docs = [
        {"doc_id": "a", "source_file": "003.txt", "published_date": date(2019, 2, 23)},
        {"doc_id": "b", "source_file": "004.txt", "published_date": date(2019, 11, 17)},
        {"doc_id": "c", "source_file": "other.txt", "published_date": date(2019, 2, 24)},
    ]
    reasons = _syndicated(
        docs,
        {"a": [1, 2, 3], "b": [2, 3, 9], "c": [3, 7]},
        {"max_days_apart": 30, "min_shared_sentences": 2, "max_docs_per_shared_sentence": 50},
    )
    assert (
        list(reasons) == ["b"] and "003.txt" in reasons["b"] and "267 days earlier" in reasons["b"]
    )


def test_seed_004_is_flagged_as_a_later_copy_of_003(project: Project, seeds_copy: Path) -> None:
    checked = runner.check(seeds_copy, project, runner.LocalExecutor())
    [reject] = [r for r in checked.rejects if r["check_name"] == "published_date_suspect"]
    assert reject["severity"] == "warn" and reject["source_file"] == "004_d3d7cfa834a73cd2.txt"
    assert "003_162858cfc94cf061.txt" in reject["reason"]


def test_a_copy_under_another_name_is_a_duplicate_of_the_first_name(
    project: Project, seeds_copy: Path
) -> None:
    shutil.copy(seeds_copy / "002_22696a13c1ec76d6.txt", seeds_copy / "memo-copy.txt")
    shutil.copy(seeds_copy / "002_22696a13c1ec76d6.txt", seeds_copy / "000-first.txt")
    checked = runner.check(seeds_copy, project, runner.LocalExecutor())
    duplicates = [r for r in checked.rejects if r["check_name"] == "duplicate_content"]
    assert sorted(r["source_file"] for r in duplicates) == [
        "002_22696a13c1ec76d6.txt",
        "memo-copy.txt",
    ]
    assert all(r["severity"] == "warn" and "000-first.txt" in r["reason"] for r in duplicates)
    assert checked.documents == 5


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
        assert _syndicated(documents, fingerprints, declared) == expected
        found += len(expected)
    assert found > 100  # the sets do exercise the check


def test_a_sentence_in_too_many_documents_is_boilerplate() -> None:
    docs = [
        {"doc_id": f"d{i}", "source_file": f"{i}.txt", "published_date": date(2019, 1, 1 + i * 9)}
        for i in range(3)
    ]
    shared = {"d0": [1, 2], "d1": [1, 2], "d2": [1, 2]}
    settings = {"max_days_apart": 5, "min_shared_sentences": 2, "max_docs_per_shared_sentence": 50}
    assert set(_syndicated(docs, shared, settings)) == {"d1", "d2"}
    assert _syndicated(docs, shared, {**settings, "max_docs_per_shared_sentence": 2}) == {}
    assert "with 0.txt" in _syndicated(docs, shared, settings)["d2"]  # the first pair's
