"""Table rows built from the contracts' columns: every value the engine knows about a
document, figure or file, and of those only the ones a table's contract declares."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from support import edit_file

from newsfigures.config import Project, load_project
from newsfigures.extract import Extractor
from newsfigures.extract.figures import figure_id
from newsfigures.run.rows import (
    ENGINE_COLUMNS,
    document_values,
    figure_values,
    file_values,
    missing_columns,
    row,
)
from newsfigures.sources.records import FileReject, RawDocument, Skipped, content_id

TEXT = (
    "Daesh fighters surrender in eastern Syria\n"
    "March 5, 2019\n\n"
    "Some 200 Daesh fighters surrendered to the SDF on Monday, officials said.\n"
)
RAW = RawDocument("sub/a.txt", content_id(TEXT.encode()), TEXT, "utf-8", len(TEXT), 99)


def test_every_column_of_the_project_s_contracts_is_one_the_engine_fills(project: Project) -> None:
    for contract in project.contracts.values():
        assert missing_columns(contract) == [], contract.table
    for table in ("documents", "figures", "files"):
        assert set(project.contracts[table].column_names) <= ENGINE_COLUMNS[table], table


def test_a_column_the_engine_has_no_value_for_is_missing(project_copy: Path) -> None:
    edit_file(
        project_copy,
        "schemas/figures.yml",
        "  - {name: run_id,",
        '  - {name: confidence, type: DOUBLE, description: "made up"}\n'
        '  - {name: mood, type: VARCHAR, description: "made up"}\n  - {name: run_id,',
    )
    contracts = load_project(project_copy).contracts
    assert missing_columns(contracts["figures"]) == ["confidence", "mood"]
    # Tables whose rows the engine builds elsewhere are not checked here.
    assert missing_columns(contracts["runs"]) == []


def test_a_row_holds_the_contract_s_columns_in_its_order(project: Project) -> None:
    contract = project.contracts["files"]
    values = {**file_values(FileReject("a.txt", "file_empty", "empty"), "r1"), "extra": 1}
    built = row(contract, values)
    assert list(built) == contract.column_names and "extra" not in built
    with pytest.raises(KeyError):
        row(contract, {"source_file": "a.txt"})


def test_a_document_s_values(project: Project, extractor: Extractor) -> None:
    extracted = extractor.extract(RAW)
    values = document_values(extracted, "r1")
    assert {
        k: values[k]
        for k in ("doc_id", "source_file", "source_files", "encoding", "n_chars", "n_figures")
    } == {
        "doc_id": RAW.doc_id,
        "source_file": "sub/a.txt",
        "source_files": ["sub/a.txt"],
        "encoding": "utf-8",
        "n_chars": len(TEXT),
        "n_figures": 1,
    }
    assert (values["retired_at"], values["date_suspect"], values["run_id"]) == (None, None, "r1")
    assert values["title"] == "Daesh fighters surrender in eastern Syria"
    assert values["published_date"] == extracted.metadata.published_date
    # The layout the figures stage reads is not a value of the document.
    assert not {"content_lines", "chrome_lines"} & set(values)
    assert set(values) == ENGINE_COLUMNS["documents"]
    assert set(row(project.contracts["documents"], values)) == set(
        project.contracts["documents"].column_names
    )


def test_a_figure_s_values(extractor: Extractor) -> None:
    extracted = extractor.extract(RAW)
    [figure] = extracted.figures
    published = extracted.metadata.published_date
    values = figure_values(RAW.doc_id, figure, published, "r1")
    assert values["figure_id"] == figure_id(RAW.doc_id, figure.char_start, figure.char_end)
    assert (values["doc_id"], values["published_date"], values["run_id"]) == (
        RAW.doc_id,
        published,
        "r1",
    )
    assert {k: values[k] for k in (f.name for f in dataclasses.fields(figure))} == (
        dataclasses.asdict(figure)
    )
    assert set(values) == ENGINE_COLUMNS["figures"]


@pytest.mark.parametrize(
    ("record", "status", "doc_id", "check", "reason"),
    [
        (RAW, "loaded", RAW.doc_id, None, None),
        (FileReject("b.txt", "file_empty", "empty", 0, 5), "rejected", None, "file_empty", "empty"),
        (
            Skipped("c.pdf", "not_an_article", "not an article format", 8, 7),
            "skipped",
            None,
            "not_an_article",
            "not an article format",
        ),
    ],
)
def test_a_file_s_manifest_row(
    record: RawDocument | FileReject | Skipped,
    status: str,
    doc_id: str | None,
    check: str | None,
    reason: str | None,
) -> None:
    assert file_values(record, "r1") == {
        "source_file": record.source_file,
        "doc_id": doc_id,
        "size_bytes": record.n_bytes,
        "mtime_ns": record.mtime_ns,
        "status": status,
        "check_name": check,
        "reason": reason,
        "run_id": "r1",
    }
