"""Golden: the same article saved as plain text, as a web page and as a JSON-lines record
gives the same figures, each pointing into the text its reader made."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from newsfigures.config import Project
from newsfigures.extract import Extractor
from newsfigures.sources.read import read_records
from newsfigures.sources.records import RawDocument

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"


def _figures(project: Project, path: Path) -> list[tuple]:
    (raw,) = read_records(path, path.parent, project.settings.ingest)
    assert isinstance(raw, RawDocument), raw
    document = Extractor.of(project).extract(raw)
    assert all(raw.text[f.char_start : f.char_end] == f.span for f in document.figures)
    keep = ("span", "value_low", "value_high", "qualifier", "entity", "category", "event")
    keep += ("event_date", "attribution", "place")
    return [tuple(getattr(f, name) for name in keep) for f in document.figures]


@pytest.mark.parametrize("page", ["opengraph_jsonld", "wire_reuters", "cookie_banner"])
def test_text_page_and_record_give_the_same_figures(
    project: Project, tmp_path: Path, page: str
) -> None:
    truth = json.loads((PAGES / f"{page}.truth.json").read_text(encoding="utf-8"))
    body = "\n\n".join(truth["body_paragraphs"])
    (tmp_path / f"{page}.html").write_bytes((PAGES / f"{page}.html").read_bytes())
    day = date.fromisoformat(truth["published_date"])
    dated = f"{truth['title']}\n{day:%B} {day.day}, {day.year}\n\n{body}\n"
    (tmp_path / f"{page}.txt").write_text(dated, encoding="utf-8")
    record = {"title": truth["title"], "text": body, "published": truth["published_date"]}
    (tmp_path / f"{page}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    as_text = _figures(project, tmp_path / f"{page}.txt")
    assert as_text and len(as_text) >= len(truth["figure_spans"]) - 1
    assert _figures(project, tmp_path / f"{page}.html") == as_text
    assert _figures(project, tmp_path / f"{page}.jsonl") == as_text
