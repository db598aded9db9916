"""Golden tests.

1. Score the five seeds against their annotation gold (tests/gold/seeds, copied from the
   project's shared annotation), and the 20 articles of tests/corpus against theirs, by the
   matching rule in docs/ANNOTATION.md.
2. Pin the full extraction (every column of every row) in tests/golden/seeds.json, so any
   behaviour change shows up as a reviewable diff. Regenerate deliberately with
   `UPDATE_GOLDEN=1 make test`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import GOLD, REPO, SEEDS

from newsfigures.batch import merge_batches, process_batch
from newsfigures.config import Project
from newsfigures.ingest import discover
from newsfigures.scoring import score_folder

CORPUS = REPO / "tests" / "corpus"
PINNED = Path(__file__).parent / "golden" / "seeds.json"


def test_seed_extraction_meets_the_accuracy_bar(project: Project) -> None:
    score = score_folder(project, SEEDS, GOLD)
    assert len(score.documents) == 5
    assert score.f1 >= 0.95, score.as_dict()
    assert score.agreement("qualifier_agree") >= 0.95, score.as_dict()
    assert score.agreement("category_agree") >= 0.90, score.as_dict()
    assert score.metadata_accuracy("published_date") == 1.0, score.as_dict()


def test_own_annotated_articles_meet_the_accuracy_bar(project: Project) -> None:
    """20 articles in other house styles, annotated by the same convention (tests/corpus)."""
    score = score_folder(project, CORPUS / "articles", CORPUS / "gold")
    assert len(score.documents) >= 15
    assert score.f1 >= 0.90, score.as_dict()
    assert score.metadata_accuracy("published_date") >= 0.95, score.as_dict()
    assert score.as_dict()["relative_date_accuracy"] >= 0.90, score.as_dict()


def test_held_out_articles_meet_the_accuracy_bar(project: Project) -> None:
    """12 articles written without looking at the extractor (tests/corpus_holdout/README.md)."""
    holdout = REPO / "tests" / "corpus_holdout"
    score = score_folder(project, holdout / "articles", holdout / "gold")
    assert score.f1 >= 0.90, score.as_dict()
    assert score.metadata_accuracy("published_date") >= 0.95, score.as_dict()


def test_seed_relative_dates_resolve_as_annotated(project: Project) -> None:
    assert score_folder(project, SEEDS, GOLD).as_dict()["relative_date_accuracy"] == 1.0


def _extraction(project: Project) -> dict:
    batch = merge_batches(
        [process_batch(discover(SEEDS, ["*.txt"]), SEEDS, project, "golden")], project, "golden"
    )
    drop = {"run_id", "reject_id"}
    tables = {}
    for name in ("documents", "figures", "rejects"):
        table = getattr(batch, name).to_pylist()
        tables[name] = [{k: v for k, v in row.items() if k not in drop} for row in table]
    return json.loads(json.dumps(tables, default=str))


def test_seed_extraction_matches_the_pinned_golden_file(project: Project) -> None:
    actual = _extraction(project)
    if os.environ.get("UPDATE_GOLDEN"):
        PINNED.write_text(
            json.dumps(actual, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        pytest.skip("golden file rewritten")
    expected = json.loads(PINNED.read_text(encoding="utf-8"))
    for table in ("documents", "figures", "rejects"):
        assert actual[table] == expected[table], (
            f"{table} changed: review, then UPDATE_GOLDEN=1 make test"
        )
