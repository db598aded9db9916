"""Web archives: every HTML response a document named by its record id, other records
counted, a cut-off archive never loaded silently as if it were whole. The archives are
built here, from the fixture pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import PAGES, build_warc, ingest_settings

from newsfigures.sources.read import read_records
from newsfigures.sources.records import FileReject, RawDocument, Skipped

NAMES = ["opengraph_jsonld", "meta_date_only", "cp1252_page", "liveblog"]
SETTINGS = ingest_settings(max_bytes=1_000_000, max_archive_bytes=5_000_000)


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_every_html_response_is_a_page_and_the_rest_is_counted(tmp_path: Path, name: str) -> None:
    outcomes = read_records(build_warc(tmp_path / name, NAMES), tmp_path, SETTINGS)
    pages = [o for o in outcomes if isinstance(o, RawDocument)]
    (archive,) = [o for o in outcomes if not isinstance(o, RawDocument)]
    assert len(pages) == len(NAMES) and all(p.reader == "html" for p in pages)
    assert all(p.source_file.startswith(f"{name}#record=urn:uuid:") for p in pages)
    assert all(p.source_file == f"{name}#{p.source_record}" for p in pages)
    # A page without a canonical address of its own takes the address it was fetched from.
    assert [p.given.url for p in pages if p.given][1] == "https://news.example.org/meta_date_only"
    assert isinstance(archive, Skipped) and archive.source_file == name
    assert archive.check_name == "warc_other_records"
    for counted in (
        "6 request",
        "1 warcinfo",
        "1 metadata",
        "1 revisit",
        "1 response (image/jpeg)",
    ):
        assert counted in archive.reason


def test_a_page_in_an_archive_reads_as_the_saved_page(tmp_path: Path) -> None:
    outcomes = read_records(build_warc(tmp_path / "a.warc.gz", ["cp1252_page"]), tmp_path, SETTINGS)
    saved = read_records(PAGES / "cp1252_page.html", PAGES, SETTINGS)[0]
    assert isinstance(saved, RawDocument) and isinstance(outcomes[0], RawDocument)
    assert outcomes[0].text == saved.text and outcomes[0].encoding == "windows-1252"


@pytest.mark.parametrize("name", ["cut.warc.gz", "cut.warc"])
def test_a_cut_off_archive_is_quarantined_and_its_partial_page_not_loaded(
    tmp_path: Path, name: str
) -> None:
    whole = build_warc(tmp_path / f"whole{name[3:]}", NAMES).read_bytes()
    # Cut inside the third page's response record.
    (tmp_path / name).write_bytes(whole[: int(len(whole) * 0.6)])
    outcomes = read_records(tmp_path / name, tmp_path, SETTINGS)
    loaded = [o for o in outcomes if isinstance(o, RawDocument)]
    rejects = [o for o in outcomes if isinstance(o, FileReject)]
    assert len(loaded) < len(NAMES) and rejects
    archive = next(r for r in rejects if r.source_file == name)
    assert archive.check_name == "warc_truncated" and "pages read before it" in archive.reason
    # Nothing partial was loaded: every page loaded is whole (its last paragraph is there).
    assert all(not isinstance(o, Skipped) for o in outcomes)
    for page in loaded:
        assert page.text.rstrip().endswith((".", "”", '"', ")"))


def test_garbage_named_like_an_archive_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "x.warc").write_bytes(b"this is not a web archive\n" * 3)
    outcomes = read_records(tmp_path / "x.warc", tmp_path, SETTINGS)
    assert [o.check_name for o in outcomes if isinstance(o, FileReject)] == ["file_not_warc"]


def test_an_archive_over_the_limit_is_quarantined_unread(tmp_path: Path) -> None:
    path = build_warc(tmp_path / "big.warc", NAMES)
    settings = ingest_settings(max_archive_bytes=path.stat().st_size - 1)
    (reject,) = read_records(path, tmp_path, settings)
    assert isinstance(reject, FileReject) and reject.check_name == "file_too_large"
