"""Golden tests.

1. Score the five seeds against their annotation (tests/annotations/seeds, copied from the
   project's shared annotation), and the annotated sets under tests/annotations/ against
   theirs, by the matching rule in docs/ANNOTATION.md.
2. Pin what a run over the seeds publishes (every column of every row of the tables and of
   the estimate models) in
   tests/golden/seeds.json, so any behaviour change shows up as a reviewable diff.
   Regenerate deliberately with `UPDATE_GOLDEN=1 make test`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from support import GOLD, REPO, SEEDS

from newsfigures.config import Project
from newsfigures.run import runner
from newsfigures.scoring import score_folder

PINNED = Path(__file__).parent / "golden" / "seeds.json"
PINNED_TABLES = ("documents", "figures", "rejects", "estimate_groups", "estimate_mentions")


BARS = yaml.safe_load((REPO / "tests" / "annotations" / "bars.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(BARS))
def test_each_annotated_set_keeps_its_accuracy_bars(project: Project, name: str) -> None:
    """Every measure of tests/annotations/bars.yml: figures, qualifiers, categories, events,
    event dates and metadata, on the seeds, the corpus, the held-out and the blind set."""
    declared = BARS[name]
    score = score_folder(project, REPO / declared["articles"], REPO / declared["gold"])
    measured = score.as_dict()
    below = {k: (measured[k], bar) for k, bar in declared["bars"].items() if measured[k] < bar}
    assert not below, f"{name}: below the bar (measured, bar): {below}"


def test_the_blind_set_is_consistent() -> None:
    """Its own checker: spans in the text, declared classes, dates, vague quantities."""
    blind = REPO / "tests" / "annotations" / "blind"
    done = subprocess.run(
        [sys.executable, str(blind / "verify.py"), str(blind)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_seed_relative_dates_resolve_as_annotated(project: Project) -> None:
    assert score_folder(project, SEEDS, GOLD).as_dict()["relative_date_accuracy"] == 1.0


def _extraction(project: Project, warehouse: Path) -> dict:
    """Every row a run over the seeds publishes, without the columns that say when."""
    runner.run(SEEDS, warehouse, project, runner.LocalExecutor())
    drop = {"run_id", "reject_id"}
    tables = {}
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        for name in PINNED_TABLES:
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
    for table in PINNED_TABLES:
        assert actual[table] == _in_order(expected[table]), (
            f"{table} changed: review, then UPDATE_GOLDEN=1 make test"
        )


GROUPS_PINNED = Path(__file__).parent / "golden" / "estimate_groups.json"
GROUP_COLUMNS = (
    "category, event, place, first_as_of, last_as_of, low, best, high, best_rule, n_sources, "
    "n_mentions, n_copies, n_running_totals, sources_disagree, outlets"
)


@pytest.mark.parametrize("name", ["corpus", "holdout", "blind"])
def test_the_estimate_groups_of_each_annotated_set_match_the_pinned_file(
    project: Project, tmp_path: Path, name: str
) -> None:
    """The groups a run over each annotated set forms, with low / best / high and their
    sources (tests/golden/estimate_groups.json; UPDATE_GOLDEN=1 rewrites a set's entry)."""
    runner.run(REPO / BARS[name]["articles"], tmp_path, project, runner.LocalExecutor())
    with duckdb.connect(str(tmp_path / "newsfigures.duckdb"), read_only=True) as con:
        table = con.sql(f"SELECT {GROUP_COLUMNS} FROM estimate_groups").to_arrow_table()
    actual = _in_order(json.loads(json.dumps(table.to_pylist(), default=str)))
    pinned = json.loads(GROUPS_PINNED.read_text(encoding="utf-8")) if GROUPS_PINNED.exists() else {}
    if os.environ.get("UPDATE_GOLDEN"):
        pinned[name] = actual
        GROUPS_PINNED.write_text(
            json.dumps(pinned, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        pytest.skip("golden file rewritten")
    assert actual == _in_order(pinned[name]), (
        f"{name}: estimate groups changed: review, then UPDATE_GOLDEN=1 make test"
    )
