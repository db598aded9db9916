"""Validate stage: each declared check quarantines what breaks it, with the reason; a rejected
document takes its figures with it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import polars as pl
import pytest

from newsfigures.config import Project
from newsfigures.extract.fingerprints import sentence_hash
from newsfigures.validate.apply import (
    ContractViolation,
    Violation,
    reject_id,
    rejected_documents,
    span_slices,
    validate_articles,
    validate_rows,
    violations,
)
from newsfigures.validate.contracts import Contract, ContractDeclaration

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
        "reader": "text",
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
        "sentence_hash": sentence_hash(TEXT[7:]),
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


# -- a small contract, applied row by row ------------------------------------------------------

THINGS = Contract(
    ContractDeclaration.model_validate(
        {
            "table": "things",
            "description": "Things counted.",
            "primary_key": "id",
            "on_error": "quarantine",
            "location_column": "offset",
            "columns": [
                {"name": "id", "type": "VARCHAR", "nullable": False, "description": "its id"},
                {"name": "doc_id", "type": "VARCHAR", "description": "its document"},
                {"name": "n", "type": "BIGINT", "nullable": False, "description": "how many"},
                {"name": "m", "type": "BIGINT", "description": "at most"},
                {"name": "offset", "type": "BIGINT", "description": "where"},
            ],
            "checks": [
                {
                    "name": "n_le_m",
                    "type": "column_le",
                    "column": "n",
                    "other": "m",
                    "description": "n is over m",
                },
                {
                    "name": "n_small",
                    "type": "between",
                    "column": "n",
                    "max": 10,
                    "severity": "warn",
                    "location_column": "m",
                    "description": "n is large",
                },
            ],
        }
    ),
    "schemas/things.yml",
)
THINGS_STOP = Contract(
    THINGS.declaration.model_copy(update={"on_error": "stop"}), "schemas/things.yml"
)
ROWS = [
    {"id": "a", "doc_id": "d1", "n": 5, "m": 3, "offset": 40},
    {"id": "b", "doc_id": "d2", "n": 20, "m": 30, "offset": 7},
    {"id": "c", "doc_id": "d1", "n": None, "m": 1, "offset": None},
]


def test_violations_name_the_row_the_check_and_its_severity() -> None:
    frame = THINGS.frame(ROWS)
    assert sorted(violations(THINGS, frame)) == [
        Violation(0, "n_le_m", "error", "n is over m", "n"),
        Violation(1, "n_small", "warn", "n is large", "n"),
        # A non-nullable column left empty, checked by the contract's columns.
        Violation(2, "n_not_null", "error", "n is missing", "n"),
    ]
    assert violations(THINGS, frame, {"n_small"}) == [
        Violation(1, "n_small", "warn", "n is large", "n")
    ]


def test_errors_keep_rows_out_and_every_violation_is_a_reject() -> None:
    checked = validate_rows(
        THINGS, THINGS.frame(ROWS), "r1", {"d1": "a.txt"}, lambda doc_id, offset: offset // 10
    )
    assert checked.frame["id"].to_list() == ["b"]  # a warning lets its row load
    rejects = {r["row_key"]: r for r in checked.rejects}
    assert rejects["a"] == {
        "reject_id": reject_id("things", "a", "n_le_m"),
        "run_id": "r1",
        "table_name": "things",
        "source_file": "a.txt",
        "doc_id": "d1",
        "row_key": "a",
        "check_name": "n_le_m",
        "severity": "error",
        "reason": "n is over m: n=5, m=3",
        "column_name": "n",
        "offending_value": "n=5, m=3",
        "char_offset": 40,
        "line": 4,
    }
    # The check's own location column says where; a file not in `sources` is unnamed.
    assert (rejects["b"]["char_offset"], rejects["b"]["line"], rejects["b"]["source_file"]) == (
        30,
        3,
        "",
    )
    assert (rejects["c"]["check_name"], rejects["c"]["offending_value"], rejects["c"]["line"]) == (
        "n_not_null",
        None,
        None,
    )


def test_a_reject_id_is_stable_for_its_table_row_and_check() -> None:
    assert reject_id("figures", "f1", "x") == reject_id("figures", "f1", "x")
    assert (
        len(
            {
                reject_id("figures", "f1", "x"),
                reject_id("figures", "f1", "y"),
                reject_id("documents", "f1", "x"),
            }
        )
        == 3
    )
    assert reject_id("figures", "f1", "x") == hashlib.sha256(b"figures\x1ff1\x1fx").hexdigest()[:16]


def test_a_rejected_document_takes_its_other_rows_with_it() -> None:
    rows = [r for r in ROWS if r["n"] is not None] + [
        {"id": "d", "doc_id": "d1", "n": 1, "m": 2, "offset": 0}
    ]
    checked = validate_rows(
        THINGS, THINGS.frame(rows), "r1", also_rejected={"d1": ["published_date_in_range"]}
    )
    assert checked.frame["id"].to_list() == ["b"]
    assert [(r["row_key"], r["check_name"]) for r in checked.rejects] == [
        ("a", "n_le_m"),  # its own error is reason enough: not recorded twice
        ("b", "n_small"),
        ("d", "document_rejected"),
    ]
    [rejected] = [r for r in checked.rejects if r["row_key"] == "d"]
    assert rejected["reason"] == "its document failed published_date_in_range"


def test_rejected_documents_are_the_documents_with_an_error() -> None:
    rejects = [
        {"table_name": "documents", "severity": "error", "doc_id": "d1", "check_name": "x"},
        {"table_name": "documents", "severity": "warn", "doc_id": "d2", "check_name": "y"},
        {"table_name": "figures", "severity": "error", "doc_id": "d3", "check_name": "z"},
        {"table_name": "documents", "severity": "error", "doc_id": "d1", "check_name": "w"},
    ]
    assert rejected_documents(rejects) == {"d1": ["x", "w"]}


def test_a_contract_that_stops_the_run_raises_on_an_error_not_on_a_warning() -> None:
    with pytest.raises(ContractViolation) as caught:
        validate_rows(THINGS_STOP, THINGS_STOP.frame(ROWS), "r1")
    assert str(caught.value) == (
        "schemas/things.yml: rows the engine wrote for table 'things' fail its contract, so the "
        "run stopped before committing anything: c: n_not_null: n is missing; "
        "a: n_le_m: n is over m: n=5, m=3"
    )
    warned = validate_rows(THINGS_STOP, THINGS_STOP.frame(ROWS[1:2]), "r1")
    assert warned.frame.height == 1 and [r["check_name"] for r in warned.rejects] == ["n_small"]


def test_a_frame_that_does_not_fit_its_contract_is_an_engine_bug() -> None:
    with pytest.raises(
        RuntimeError,
        match=r"^things: frame does not fit its contract schemas/things\.yml: column_in_dataframe",
    ):
        validate_rows(THINGS, THINGS.frame(ROWS).drop("m"), "r1")


def test_a_span_check_needs_each_row_s_slice_of_text(project: Project) -> None:
    figures = project.contracts["figures"]
    assert span_slices(THINGS, ROWS, TEXT) is None  # no span check: no slices
    assert span_slices(figures, [_figure()], TEXT) == ["Some 200 Daesh fighters"]
    with pytest.raises(ValueError, match="figures: a span check needs each row's slice of text"):
        validate_rows(figures, figures.frame([_figure()]), "r")
    with pytest.raises(ValueError, match="a span check needs each row's slice"):
        validate_rows(figures, figures.frame([_figure()]), "r", text_slices=[])
