"""Metadata stage: title, publication date, outlet, agencies and dateline of one article,
and which of its lines are page chrome (never searched for figures).

A page is read top down: furniture (declared chrome lines) anywhere; the header, the lines
before the first body paragraph; then the body. The page's first line may be the masthead
(the site's name); one header line may be the date line; the first other header line that
reads like a headline is the title, without a wire prefix ("UPDATE 2-"). The publication
date and the dateline are read by published.py. The rules are compiled once from the
vocabulary, dates and settings declarations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from newsfigures.config import Project
from newsfigures.extract.dates import DateGrammar
from newsfigures.extract.published import (
    DatelineRules,
    Published,
    YearSource,
    date_line,
    publication_date,
    title_case,
)
from newsfigures.extract.text import (
    Prefiltered,
    Segment,
    alternation,
    combined,
    lines,
    stripped,
    word_alternation,
    word_count,
)
from newsfigures.sources.records import GivenMetadata

_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    title: str | None
    published_date: date | None
    published_date_text: str | None
    published_date_offset: int | None
    # Where the publication date comes from (published.PUBLISHED_DATE_SOURCES); None
    # without a date.
    published_date_source: str | None
    outlet: str | None
    agencies: list[str]
    dateline: str | None
    # Lines whose text is the article's own (headline and body), for the figures stage.
    content_lines: list[Segment]
    chrome_lines: list[Segment]


class MetadataRules:
    """The metadata grammar compiled from a project's declarations."""

    def __init__(self, project: Project):
        vocabulary, settings = project.vocabulary, project.settings.metadata
        self.dates = DateGrammar(project.dates)
        self.header_max_lines = settings.header_max_lines
        self.body_min_words = settings.body_min_words
        self.title_max_words = settings.title_max_words
        self.title_min_words = settings.title_min_words
        self.title_in_capitals = settings.title_in_capitals
        self._outlets(project)
        self.chrome = [re.compile(p) for p in vocabulary.chrome_lines]
        self.chrome += [pattern for pattern, _ in self.taglines]
        # One pass per line over all chrome patterns (each keeps its own flags). Patterns
        # anchored at the line's start are tried there only: a search would try each at
        # every position of the line.
        anchored = [p for p in self.chrome if p.pattern.removeprefix("(?i)").startswith("^")]
        floating = [p for p in self.chrome if p not in anchored]
        self.chrome_at_start = combined(anchored)
        self.chrome_anywhere = Prefiltered(floating)
        self.chrome_max_chars = settings.chrome_max_chars
        labels = "|".join(re.escape(label) for label in vocabulary.section_labels)
        self.section_label = (
            re.compile(rf"(?i)^(?:{labels})(?:\s*[|/•·:–—-]\s*.*)?$") if labels else None
        )
        self.section_names = {label.lower() for label in vocabulary.section_labels}
        self.header_chrome = combined([re.compile(p) for p in vocabulary.header_chrome_lines])
        self.title_prefix = combined([re.compile(p) for p in vocabulary.title_prefixes])

        # One pass over the text finds every agency; the spelling found names it.
        self.agency_of = {
            spelling.strip(): name
            for name, spellings in vocabulary.agencies.items()
            for spelling in spellings
        }
        self.agencies = re.compile(word_alternation(self.agency_of))
        bare_spellings = [s.strip().strip("()") for s in self.agency_of]
        self.agency_names = {s.lower() for s in bare_spellings}
        self.site_names = set(self.outlet_names) | self.agency_names
        self.datelines = DatelineRules(project, self.dates, bare_spellings)

    def _outlets(self, project: Project) -> None:
        """Known outlets, their taglines, and how a masthead names a site."""
        vocabulary = project.vocabulary
        self.outlet_names: dict[str, str] = {}
        taglines = []
        for outlet in vocabulary.outlets:
            for spelling in [outlet.name, *outlet.names]:
                self.outlet_names[spelling.lower()] = outlet.name
            taglines += [(re.escape(t), outlet.name) for t in outlet.taglines]
        self.taglines = [(re.compile(t, re.IGNORECASE), name) for t, name in taglines]
        self.outlet_lines = [re.compile(p) for p in vocabulary.outlet_lines]
        self.masthead_max_words = vocabulary.masthead_max_words
        self.masthead_connectors = {w.lower() for w in vocabulary.masthead_connectors}
        separators = alternation(vocabulary.masthead_separators)
        self.masthead_split = re.compile(rf"\s+(?:{separators})\s+")
        # A headline saved with its site's name after it ("... | The Guardian", "... - Reuters").
        self.site_after = re.compile(rf"^(?P<headline>.+\S)\s+(?:{separators})\s+(?P<site>.+?)$")
        self.masthead_trailers = [re.compile(p) for p in vocabulary.masthead_trailers]

    def is_chrome(self, line: str) -> bool:
        if len(line) > self.chrome_max_chars:
            return False  # a body paragraph: page furniture is short
        if self.section_label and self.section_label.match(line):
            return True
        return bool(
            (self.chrome_at_start and self.chrome_at_start.match(line))
            or self.chrome_anywhere.search(line)
        )

    def dates_the_page(self, line: str) -> bool:
        """A byline, posted or section line: its date, if it has one, is the article's."""
        return self.dates.is_labelled(line) or bool(
            self.section_label and self.section_label.match(line)
        )

    def masthead_name(self, line: str) -> str | None:
        """The site name when `line` is "Name", "Name — tagline", "NAME 98.4 FM" or
        "Name › Section": capitalised words, not a section label; one in capitals is
        title-cased (THE HARBOUR GAZETTE -> The Harbour Gazette) unless a known outlet."""
        name = self.masthead_split.split(line, maxsplit=1)[0].strip()
        for trailer in self.masthead_trailers:
            name = trailer.sub("", name)
        words = name.split()
        if not words or len(words) > self.masthead_max_words or any(c.isdigit() for c in name):
            return None
        if name[-1] in ".!?:,;" or ":" in name or not words[0][0].isupper():
            return None
        if name.lower() in self.section_names or name in self.datelines.places:
            return None  # a section or place over the headline ("Sudan"), not a site
        if all(w[0].isupper() or w.lower() in self.masthead_connectors for w in words):
            known = self.outlet_names.get(name.lower())
            if known:
                return known
            return title_case(name, self.masthead_connectors) if name.isupper() else name
        return None

    def outlet_in(self, line: str) -> str | None:
        for pattern in self.outlet_lines:
            match = pattern.search(line)
            if match:
                named = match.group("outlet").strip()
                if named.lower() in self.agency_names:
                    return None
                return self.outlet_names.get(named.lower(), named)
        for pattern, name in self.taglines:
            if pattern.search(line):
                return name
        return None

    def headline(self, text: str, segment: Segment, prefix_end: int) -> str | None:
        """The headline a header line gives, without its wire prefix, or None when it does
        not read like one (too long, a sentence, in capitals)."""
        line = text[prefix_end : segment.end]
        site = self.site_after.match(line)
        if site and site.group("site").lower() in self.site_names:
            line = site.group("headline")
        if word_count(line) > self.title_max_words or line.endswith("."):
            return None
        if line.isupper() and not self.title_in_capitals:
            return None
        return line


@dataclass
class _Page:
    """One article's lines, sorted by what they are."""

    content: list[Segment] = field(default_factory=list)
    chrome: list[Segment] = field(default_factory=list)
    # Lines before the first body paragraph that are the article's own ...
    header: list[Segment] = field(default_factory=list)
    # Short lines right after the first body paragraph when it is a standfirst (a byline, a
    # date line: "Tue 4 Jun 2024 14.30 BST") ...
    lead: list[Segment] = field(default_factory=list)
    # ... and every line of header and lead, furniture included (bylines, section labels).
    top: list[Segment] = field(default_factory=list)
    first_body: Segment | None = None
    # Where each header line's headline starts (after a wire prefix such as "UPDATE 2-").
    headline_start: dict[Segment, int] = field(default_factory=dict)


def extract_metadata(
    text: str, rules: MetadataRules, year: YearSource | None = None
) -> DocumentMetadata:
    """Read the metadata of one article and split its lines into content and chrome.
    `year`: where a date line without a year takes it from (published.year_source)."""
    page = _read_page(text, rules)
    masthead, masthead_outlet = _masthead(text, page, rules)
    full, date_segment = date_line(text, page.header + page.lead, rules.dates)
    title, title_segment = _title(text, page, date_segment, rules)
    skipped = (masthead, title_segment)
    candidates = [s for s in page.header if s not in skipped]
    if page.first_body is not None:
        candidates.append(page.first_body)
    dateline = rules.datelines.find(text, candidates)
    dated = [s for s in page.top if rules.dates_the_page(s.of(text))]
    published = publication_date(
        text, full, date_segment, (page.top, dated), dateline, (rules.dates, rules.datelines), year
    )
    if date_segment is not None:
        page.content.remove(date_segment)
    outlet = next(filter(None, (rules.outlet_in(s.of(text)) for s in page.chrome)), None)
    return DocumentMetadata(
        title=title,
        published_date=published.found.value if published.found else None,
        published_date_text=published.found.text if published.found else None,
        published_date_offset=published.found.start if published.found else None,
        published_date_source=_source(published),
        outlet=outlet or masthead_outlet,
        agencies=sorted({rules.agency_of[m.group(0)] for m in rules.agencies.finditer(text)}),
        dateline=dateline.place if dateline else None,
        content_lines=page.content,
        chrome_lines=page.chrome,
    )


# date_suspect of a publication date guessed from a page (see GivenMetadata).
GUESSED_DATE = "guessed from the page (no date in its metadata or text): may be another item's date"


def with_given(
    meta: DocumentMetadata, given: GivenMetadata | None
) -> tuple[DocumentMetadata, str | None]:
    """The metadata the input gives beside the text (an export's fields, a page's tags) in
    place of what the text grammar read: it is what the publisher states. With it, why
    the date is doubtful when it is a guess."""
    if given is None:
        return meta, None
    if given.published is None and meta.published_date is None and given.guessed_published:
        given = replace(
            given,
            published=given.guessed_published,
            published_text=given.guessed_published.isoformat(),
        )
        return with_given(meta, given)[0], GUESSED_DATE
    changes: dict[str, object] = {}
    if given.title:
        changes["title"] = given.title
    if given.outlet:
        changes["outlet"] = given.outlet
    if given.published is not None:
        changes.update(
            published_date=given.published,
            published_date_text=given.published_text,
            published_date_offset=None,
            published_date_source=given.source,
        )
    return replace(meta, **changes), None


def _source(published: Published) -> str | None:
    return published.source if published.found and published.found.value else None


def _read_page(text: str, rules: MetadataRules) -> _Page:
    page = _Page()
    phase = _HEADER
    for raw in lines(text):
        segment = stripped(text, raw)
        line = segment.of(text)
        if not line:
            continue
        prefix = rules.title_prefix.match(line) if phase is _HEADER and rules.title_prefix else None
        if rules.is_chrome(line[prefix.end() :] if prefix else line):
            page.chrome.append(segment)
            if phase is not _BODY:
                page.top.append(segment)
            continue
        if phase is _HEADER and _ends(line, page.header, rules):
            page.first_body, phase = segment, _LEAD
        elif phase is _LEAD and _ends(line, page.lead, rules):
            phase = _BODY
        elif phase is _LEAD:
            page.lead.append(segment)
            page.top.append(segment)
        elif phase is _HEADER:
            # Under the masthead (never the masthead line itself, which names the outlet).
            if page.header and rules.header_chrome and rules.header_chrome.search(line):
                page.chrome.append(segment)
                page.top.append(segment)
                continue
            page.header.append(segment)
            page.top.append(segment)
            page.headline_start[segment] = segment.start + (prefix.end() if prefix else 0)
        page.content.append(segment)
    return page


# Where _read_page is: before the first body paragraph, in the short lines right after it,
# in the body.
_HEADER, _LEAD, _BODY = "header", "lead", "body"


def _ends(line: str, block: list[Segment], rules: MetadataRules) -> bool:
    """`line` ends the header (or the lead): a body paragraph, or the block is full."""
    return _is_body_paragraph(line, rules) or len(block) >= rules.header_max_lines


def _is_body_paragraph(line: str, rules: MetadataRules) -> bool:
    return word_count(line) >= rules.body_min_words and bool(_SENTENCE_END.search(line))


def _title(
    text: str, page: _Page, date_segment: Segment | None, rules: MetadataRules
) -> tuple[str | None, Segment | None]:
    """The first header line that reads like a headline. A line shorter than
    title_min_words is a kicker over the headline when a longer one follows it."""
    candidates = []
    for segment in page.header:
        if segment == date_segment:
            continue
        headline = rules.headline(text, segment, page.headline_start[segment])
        if headline is not None:
            if word_count(headline) >= rules.title_min_words:
                return headline, segment
            candidates.append((headline, segment))
    return candidates[0] if candidates else (None, None)


def _masthead(text: str, page: _Page, rules: MetadataRules) -> tuple[Segment | None, str | None]:
    """The site's name on the page's first line: the first header line, or furniture that
    opens with it ("NewsStream Hub › World › Africa"). A known outlet's name always counts;
    an unknown name-like line counts only with a tagline (or a section after it) or when a
    headline follows it, so a short headline is not taken for a masthead; a line with a
    date is a byline or date line ("Web Desk · 4 May 2021"). The first header line, when it
    is the masthead, leaves the header."""
    if page.top and page.top[0] in page.chrome and not _dated(text, page.top[0], rules):
        first = page.top[0].of(text)
        name = rules.masthead_name(first)
        if name is not None and len(first) > len(name):
            return None, name
    if not page.header or _dated(text, page.header[0], rules):
        return None, None
    segment = page.header[0]
    first = segment.of(text)
    known = rules.outlet_names.get(first.lower())
    name = known or rules.masthead_name(first)
    if name is None:
        return None, None
    has_tagline = len(first) > len(name)
    headline_follows = any(
        rules.headline(text, s, page.headline_start[s]) is not None and not _dated(text, s, rules)
        for s in page.header[1:]
    )
    if not (known or has_tagline or headline_follows):
        return None, None
    page.header.remove(segment)
    page.top.remove(segment)
    page.content.remove(segment)
    page.chrome.append(segment)
    return segment, name


def _dated(text: str, segment: Segment, rules: MetadataRules) -> bool:
    return bool(rules.dates.find_full(text, segment.start, segment.end))
