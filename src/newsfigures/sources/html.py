"""Web pages: the article's text by trafilatura, its title, publication date, site and
address by our own rules over the page's metadata, which win over what the text says.

Why trafilatura, and how it was measured against resiliparse: docs/readers.md. What is
taken from the page, in order (the names are declared in `ingest.html`):

- publication date: a <meta> of `published_meta` (article:published_time, ...), then
  JSON-LD `datePublished` of an article-typed object (`article_types`, @graph walked),
  then microdata itemprop=datePublished (`published_date_source: page`). Without one, the
  text grammar reads the text; when it finds none either, the date trafilatura guesses
  from the page is taken and flagged (`date_suspect`: it may be a sidebar's date);
- title: a single <h1> that the metadata title contains, else the metadata title
  (`title_meta`, JSON-LD headline, <title>) without the site's name around a declared
  separator ("Headline | Site");
- site: `site_meta`, JSON-LD publisher; address: <link rel=canonical>, og:url, the
  `<!-- saved from url=... -->` line a browser writes, or the archive's record URI.

The text is decoded here (byte-order mark, <meta charset>, then `ingest.encodings`), so
`documents.encoding` says which was used; the headline is put above the extracted text, as
for an export's record. A page whose text trafilatura cannot find is rejected
(`html_no_text`), never raised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import lxml.html
import trafilatura

from newsfigures.config.settings import HtmlSettings, Ingest
from newsfigures.sources.exports import parse_day, with_title
from newsfigures.sources.records import (
    FileReject,
    GivenMetadata,
    RawDocument,
    content_id,
    record_key,
)

NO_TEXT = "html_no_text"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_SAVED_FROM = re.compile(r"^\ufeff?\s*<!--\s*saved from url=\(\d+\)(\S+?)\s*-->")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The page is decoded already: its <meta charset> must not decode it again.
_PARSER = lxml.html.HTMLParser(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None
    published: date | None
    published_text: str | None
    site: str | None
    url: str | None


def read_html(
    data: bytes,
    source: str,
    size: int,
    mtime: int,
    settings: Ingest,
    locator: str | None = None,
    url: str | None = None,
) -> RawDocument | FileReject:
    """One page as an article, or why it cannot be one. `locator` and `url`: where the
    page is in an archive and the address it was fetched from."""
    key = record_key(source, locator)
    if not data.strip():
        return FileReject(key, "file_empty", "the page is empty", size, mtime)
    decoded = decode_page(data, settings.encodings)
    if decoded is None:
        reason = f"the bytes are not valid in any of: {', '.join(settings.encodings)}"
        return FileReject(key, "file_undecodable", reason, size, mtime)
    page, encoding = decoded
    try:
        utf8 = page.removeprefix("\ufeff").encode("utf-8")
        tree = lxml.html.document_fromstring(utf8, parser=_PARSER)
        meta = page_metadata(tree, page, settings.html, url)
        extracted = trafilatura.bare_extraction(
            page,
            url=meta.url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            deduplicate=False,  # its cache is process-wide: the text would depend on order
        )
    except (ValueError, lxml.etree.LxmlError) as exc:
        return FileReject(key, NO_TEXT, f"the page cannot be parsed: {exc}", size, mtime)
    text = (extracted.text or "") if extracted is not None else ""
    if not text.strip():
        reason = "no article text found in the page (a page of links, a form, or not HTML)"
        return FileReject(key, NO_TEXT, reason, size, mtime)
    guessed = parse_day(extracted.date) if extracted.date else None
    given = GivenMetadata(
        source="page",
        title=meta.title,
        published=meta.published,
        published_text=meta.published_text,
        url=meta.url,
        outlet=meta.site,
        guessed_published=guessed,
    )
    article = with_title(text, meta.title)
    return RawDocument(
        key,
        content_id(data),
        article,
        encoding,
        size,
        mtime,
        reader="html",
        source_record=locator,
        given=given,
    )


def decode_page(data: bytes, encodings: list[str]) -> tuple[str, str] | None:
    """The page's text and its encoding: the byte-order mark's, the declared <meta
    charset> when it decodes the page, else the first of `encodings` that does."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    declared = _META_CHARSET.search(data[:4096])
    tried = [declared.group(1).decode("ascii").lower()] if declared else []
    for encoding in [*tried, *encodings]:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            continue
    return None


def page_metadata(
    tree: Any, page: str, rules: HtmlSettings, url: str | None = None
) -> PageMetadata:
    """Title, publication date, site and address from the page's metadata alone."""
    metas = _metas(tree)
    articles = [o for o in _json_ld(tree) if _types(o) & set(rules.article_types)]
    published_text = _first_meta(metas, rules.published_meta)
    published_text = published_text or _first(o.get("datePublished") for o in articles)
    published_text = published_text or _first(
        el.get("content") or el.get("datetime") or el.text_content()
        for el in tree.xpath('//*[@itemprop="datePublished"]')
    )
    published = _day(published_text)
    site = _first_meta(metas, rules.site_meta) or _first(
        _name(o.get("publisher")) for o in articles
    )
    titles = [_first_meta(metas, rules.title_meta), _first(o.get("headline") for o in articles)]
    titles.append(_clean(tree.findtext(".//title")))
    title = _title([t for t in titles if t], _headings(tree), site, rules.title_separators)
    canonical = _first(el.get("href") for el in tree.xpath('//link[@rel="canonical"]'))
    saved = _SAVED_FROM.match(page)
    address = canonical or metas.get("og:url") or (saved.group(1) if saved else None) or url
    return PageMetadata(title, published, published_text if published else None, site, address)


def _metas(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        name = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if name and content and content.strip():
            found.setdefault(name.strip().lower(), content.strip())
    return found


def _first_meta(metas: dict[str, str], names: list[str]) -> str | None:
    return _first(metas.get(name.lower()) for name in names)


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                stack.extend(v for k, v in item.items() if k == "@graph")


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    return {kind} if isinstance(kind, str) else {k for k in kind or [] if isinstance(k, str)}


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    return _clean(value) if isinstance(value, str) else None


def _headings(tree: Any) -> list[str]:
    return [h for h in (_clean(el.text_content()) for el in tree.iter("h1")) if h]


def _title(
    candidates: list[str], headings: list[str], site: str | None, separators: list[str]
) -> str | None:
    """A single <h1> the metadata title contains (the page's own headline), else the first
    metadata title without the site's name beside a separator."""
    if len(set(headings)) == 1 and (not candidates or any(headings[0] in c for c in candidates)):
        return headings[0]
    if not candidates:
        return headings[0] if headings else None
    return _without_site(candidates[0], site, separators)


def _without_site(title: str, site: str | None, separators: list[str]) -> str:
    for separator in separators:
        parts = [p.strip() for p in title.split(separator)]
        if len(parts) < 2:
            continue
        if site and site.lower() in (parts[0].lower(), parts[-1].lower()):
            parts = [p for p in parts if p.lower() != site.lower()]
            return separator.join(parts)
        # Without a known site: the headline is the longest part ("Site :: Headline").
        return max(parts, key=len)
    return title


def _day(value: str | None) -> date | None:
    if not value:
        return None
    day = parse_day(value)
    if day is None and (found := _DAY.search(value)):
        day = parse_day(found.group(0))
    return day


def _first(values: Any) -> Any:
    for value in values:
        if isinstance(value, str):
            value = value.strip()
        if value:
            return value
    return None


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None
