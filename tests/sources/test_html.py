"""Web pages: the article's text without the page's chrome, and its title, publication
date and address from the page's metadata, on pages built like real sites' templates
(tests/fixtures/pages: navigation, rails, cookie banners, comments, OpenGraph, JSON-LD,
AMP, a page saved by a browser, a windows-1252 page, broken markup), text our own."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from support import ingest_settings, write_file

from newsfigures.config import Project
from newsfigures.extract import Extractor
from newsfigures.sources.html import decode_page, read_html
from newsfigures.sources.read import read_file
from newsfigures.sources.records import FileReject, RawDocument

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
NAMES = sorted(p.stem for p in PAGES.glob("*.html"))
SETTINGS = ingest_settings(max_bytes=1_000_000)


@pytest.fixture(scope="module")
def extracted(project: Project) -> dict[str, tuple]:
    extractor = Extractor.of(project)
    found = {}
    for name in NAMES:
        raw = read_file(PAGES / f"{name}.html", PAGES, project.settings.ingest)
        assert isinstance(raw, RawDocument), raw
        truth = json.loads((PAGES / f"{name}.truth.json").read_text(encoding="utf-8"))
        found[name] = (raw, extractor.extract(raw), truth)
    return found


def test_title_and_date_are_exact_on_every_page_that_carries_them(extracted: dict) -> None:
    titles = [e.metadata.title == t["title"] for _, e, t in extracted.values()]
    dated = [(e, t) for _, e, t in extracted.values() if t["published_date"]]
    days = [e.metadata.published_date == date.fromisoformat(t["published_date"]) for e, t in dated]
    assert sum(titles) / len(titles) >= 0.95 and sum(days) / len(days) >= 0.95
    assert all(e.metadata.published_date_source == "page" for e, _ in dated)


def test_a_date_only_guessed_from_the_page_is_flagged(extracted: dict) -> None:
    _, undated, _ = extracted["no_date_ngo"]
    assert undated.date_suspect and "guessed from the page" in undated.date_suspect
    _, stated, _ = extracted["opengraph_jsonld"]
    assert stated.date_suspect is None


def test_the_text_keeps_the_figures_and_drops_the_chrome(extracted: dict) -> None:
    spans = [(s, raw.text) for raw, _, t in extracted.values() for s in t["figure_spans"]]
    kept = [s for s, text in spans if s in text]
    # The one known loss: the AMP page's lead paragraph sits outside its article container.
    assert len(kept) / len(spans) >= 0.97
    leaks = [c for raw, _, t in extracted.values() for c in t["chrome_snippets"] if c in raw.text]
    assert len(leaks) <= 2, leaks
    assert not any(any(ch.isdigit() for ch in leak) and "call" not in leak for leak in leaks)


def test_figures_point_into_the_text_the_reader_extracted(extracted: dict) -> None:
    for raw, document, _ in extracted.values():
        for figure in document.figures:
            assert raw.text[figure.char_start : figure.char_end] == figure.span


def test_a_page_saved_by_a_browser_gives_its_address_and_a_clean_title(extracted: dict) -> None:
    raw, document, truth = extracted["browser_saved"]
    assert (PAGES / "browser_saved.html").read_bytes().startswith(b"\xef\xbb\xbf<!-- saved")
    assert document.metadata.title == truth["title"] and not raw.text.startswith("<")
    assert raw.given is not None and raw.given.url and raw.given.url.startswith("https://")
    assert raw.reader == "html" and raw.source_record is None


def test_a_windows_1252_page_is_decoded_by_its_declared_charset(extracted: dict) -> None:
    raw, _, truth = extracted["cp1252_page"]
    assert raw.encoding == "windows-1252" and truth["title"] in raw.text


@pytest.mark.parametrize(
    ("data", "check"),
    [
        (b"", "file_empty"),
        (
            b"<html><head><title>Menu</title></head><body><img src='x.png'></body></html>",
            "html_no_text",
        ),
        (b"\xff\xd8\xff\xe0 not a page", "html_no_text"),
    ],
)
def test_a_page_without_an_article_is_rejected_with_the_reason(
    tmp_path: Path, data: bytes, check: str
) -> None:
    result = read_file(write_file(tmp_path, "page.html", data), tmp_path, SETTINGS)
    assert isinstance(result, FileReject) and result.check_name == check


def test_broken_markup_still_gives_the_article() -> None:
    page = (
        b"<html><title>Site :: Rains flood 300 homes</title><table><tr><td>Menu<td>"
        b"<p>Heavy rains flooded more than 300 homes in the river district on Sunday, the "
        b"mayor said, and <b><i>some 40 families</b></i> spent the night in a school.<br><br>"
        b"Officials said the water had started to recede by Monday morning in most streets."
    )
    result = read_html(page, "rains.html", len(page), 0, SETTINGS)
    assert isinstance(result, RawDocument) and "more than 300 homes" in result.text
    assert result.given is not None and result.given.title == "Rains flood 300 homes"


def test_decoding_prefers_the_byte_order_mark_then_the_declared_charset() -> None:
    assert decode_page(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", ["cp1252"]) == ("<p>café</p>", "utf-8")
    latin = b'<meta charset="iso-8859-1"><p>caf\xe9</p>'
    assert decode_page(latin, ["utf-8"]) == ('<meta charset="iso-8859-1"><p>café</p>', "iso-8859-1")
    assert decode_page(b"<p>caf\xe9</p>", ["utf-8", "cp1252"]) == ("<p>café</p>", "cp1252")
