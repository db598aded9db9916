"""Golden tests.

1. Score the five seeds against their annotation (tests/annotations/seeds, copied from the
   project's shared annotation), and the annotated sets under tests/annotations/ against
   theirs, by the matching rule in docs/ANNOTATION.md.
2. Pin what a run over the seeds publishes (every column of every row) in
   tests/golden/seeds.json, so any behaviour change shows up as a reviewable diff.
   Regenerate deliberately with `UPDATE_GOLDEN=1 make test`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from support import GOLD, REPO, SEEDS

from newsfigures.config import Project
from newsfigures.run import runner
from newsfigures.scoring import score_folder

CORPUS = REPO / "tests" / "annotations" / "corpus"
PINNED = Path(__file__).parent / "golden" / "seeds.json"


def test_seed_extraction_meets_the_accuracy_bar(project: Project) -> None:
    score = score_folder(project, SEEDS, GOLD)
    assert len(score.documents) == 5
    assert score.f1 >= 0.95, score.as_dict()
    assert score.agreement("qualifier_agree") >= 0.95, score.as_dict()
    assert score.agreement("category_agree") >= 0.90, score.as_dict()
    assert score.metadata_accuracy("published_date") == 1.0, score.as_dict()


def test_own_annotated_articles_meet_the_accuracy_bar(project: Project) -> None:
    """20 articles in other house styles, annotated by the same convention (tests/annotations/corpus)."""
    score = score_folder(project, CORPUS / "articles", CORPUS / "gold")
    assert len(score.documents) >= 15
    assert score.f1 >= 0.90, score.as_dict()
    assert score.metadata_accuracy("published_date") >= 0.95, score.as_dict()
    assert score.as_dict()["relative_date_accuracy"] >= 0.90, score.as_dict()


def test_held_out_articles_meet_the_accuracy_bar(project: Project) -> None:
    """12 articles written without looking at the extractor (tests/annotations/holdout/README.md)."""
    holdout = REPO / "tests" / "annotations" / "holdout"
    score = score_folder(project, holdout / "articles", holdout / "gold")
    assert score.f1 >= 0.90, score.as_dict()
    assert score.metadata_accuracy("published_date") >= 0.95, score.as_dict()


def test_seed_relative_dates_resolve_as_annotated(project: Project) -> None:
    assert score_folder(project, SEEDS, GOLD).as_dict()["relative_date_accuracy"] == 1.0


def _extraction(project: Project, warehouse: Path) -> dict:
    """Every row a run over the seeds publishes, without the columns that say when."""
    runner.run(SEEDS, warehouse, project, runner.LocalExecutor())
    drop = {"run_id", "reject_id"}
    tables = {}
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        for name in ("documents", "figures", "rejects"):
            table = con.sql(f"SELECT * FROM {name}").to_arrow_table().to_pylist()
            tables[name] = [{k: v for k, v in row.items() if k not in drop} for row in table]
    return json.loads(json.dumps(tables, default=str))


def _in_order(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def test_seed_extraction_matches_the_pinned_golden_file(project: Project, tmp_path: Path) -> None:
    actual = {name: _in_order(rows) for name, rows in _extraction(project, tmp_path).items()}
    if os.environ.get("UPDATE_GOLDEN"):
        PINNED.write_text(
            json.dumps(actual, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        pytest.skip("golden file rewritten")
    expected = json.loads(PINNED.read_text(encoding="utf-8"))
    for table in ("documents", "figures", "rejects"):
        assert actual[table] == _in_order(expected[table]), (
            f"{table} changed: review, then UPDATE_GOLDEN=1 make test"
        )
