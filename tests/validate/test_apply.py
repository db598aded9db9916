"""Validate stage: each declared check quarantines what breaks it, with the reason; a rejected
document takes its figures with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
import pytest

from newsfigures.config import Project
from newsfigures.validate.apply import span_slices, validate_articles

TEXT = "Header\nSome 200 Daesh fighters surrendered on Monday."


def _document(**changes) -> dict:
    row = {
        "doc_id": "d1",
        "source_file": "a.txt",
        "source_files": ["a.txt"],
        "title": "Header",
        "published_date": date(2019, 3, 5),
        "published_date_text": "March 5, 2019",
        "published_date_offset": 0,
        "outlet": None,
        "agencies": [],
        "dateline": None,
        "encoding": "utf-8",
        "n_chars": len(TEXT),
        "n_figures": 1,
        "run_id": "r",
    }
    return {**row, **changes}


def _figure(**changes) -> dict:
    start = TEXT.index("Some")
    row = {
        "figure_id": "f1",
        "doc_id": "d1",
        "char_start": start,
        "char_end": start + 23,
        "span": "Some 200 Daesh fighters",
        "value_low": 200,
        "value_high": 200,
        "qualifier": "approx",
        "entity": "fighters",
        "entity_implied": False,
        "category": "combatants",
        "event": "surrender",
        "event_date": date(2019, 3, 4),
        "event_date_precision": "day",
        "sentence": TEXT[7:],
        "published_date": date(2019, 3, 5),
        "run_id": "r",
    }
    return {**row, **changes}


@dataclass
class Result:
    documents: pl.DataFrame
    figures: pl.DataFrame
    rejects: list[dict]


def _validate(project: Project, documents: list[dict], figures: list[dict]) -> Result:
    contracts = project.contracts
    checked_documents, checked_figures = validate_articles(
        contracts,
        contracts["documents"].frame(documents),
        contracts["figures"].frame(figures),
        "r",
        {"d1": "a.txt"},
        lambda doc_id, offset: TEXT.count("\n", 0, offset) + 1,
        span_slices(contracts["figures"], figures, TEXT),
    )
    return Result(
        checked_documents.frame,
        checked_figures.frame,
        checked_documents.rejects + checked_figures.rejects,
    )


def test_valid_rows_pass_untouched(project: Project) -> None:
    result = _validate(project, [_document()], [_figure()])
    assert result.documents.height == 1 and result.figures.height == 1
    assert result.rejects == []


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"value_low": 300}, "value_low_le_high"),
        ({"value_low": 2_000_000, "value_high": 2_000_000}, "value_within_category_bound"),
        ({"value_low": -5}, "value_not_negative"),
        ({"span": "Some 300 Daesh fighters"}, "span_matches_text"),
        ({"qualifier": "roughly"}, "qualifier_declared"),
        ({"category": "aliens"}, "category_declared"),
        ({"event": "party"}, "event_declared"),
        ({"event_date": date(2019, 3, 9)}, "event_date_not_after_published"),
    ],
)
def test_figure_errors_are_quarantined_with_reason(
    project: Project, changes: dict, check: str
) -> None:
    result = _validate(project, [_document()], [_figure(**changes)])
    assert result.figures.height == 0
    [reject] = [r for r in result.rejects if r["severity"] == "error"]
    assert reject["check_name"] == check
    assert reject["table_name"] == "figures" and reject["source_file"] == "a.txt"
    assert reject["row_key"] == "f1" and reject["line"] == 2 and reject["reason"]


def test_duplicate_ids_reject_only_the_repeat(project: Project) -> None:
    result = _validate(project, [_document()], [_figure(), _figure()])
    assert result.figures.height == 1
    assert [r["check_name"] for r in result.rejects] == ["figure_id_unique"]


def test_warnings_flag_but_load(project: Project) -> None:
    result = _validate(
        project,
        [_document(published_date=None, published_date_text=None, n_figures=0)],
        [_figure(category="other", published_date=None, event_date=None)],
    )
    assert result.documents.height == 1 and result.figures.height == 1
    assert sorted(r["check_name"] for r in result.rejects) == [
        "category_is_other",
        "document_has_figures",
        "published_date_missing",
    ]
    assert {r["severity"] for r in result.rejects} == {"warn"}


def test_a_rejected_document_takes_its_figures_with_it(project: Project) -> None:
    result = _validate(
        project,
        [_document(published_date=None, published_date_text="February 30, 2019")],
        [_figure(published_date=None)],
    )
    assert result.documents.height == 0 and result.figures.height == 0
    checks = {r["check_name"] for r in result.rejects if r["severity"] == "error"}
    assert checks == {"published_date_is_calendar_date", "document_rejected"}


def test_publication_dates_outside_the_window_are_errors(project: Project) -> None:
    for published in (date(1899, 12, 31), date(2999, 1, 1)):
        result = _validate(project, [_document(published_date=published)], [])
        assert [r["check_name"] for r in result.rejects] == ["published_date_in_range"]
