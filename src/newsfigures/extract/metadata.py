"""Metadata stage: title, publication date, outlet, agencies and dateline of one article,
and which of its lines are page chrome (never searched for figures).

The rules are compiled once from the vocabulary, dates and settings declarations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from newsfigures.config import Project
from newsfigures.extract.dates import DateGrammar, FoundDate
from newsfigures.extract.provenance import AliasTable
from newsfigures.extract.text import (
    Segment,
    alternation,
    combined,
    lines,
    stripped,
    word_alternation,
    word_count,
)

_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    title: str | None
    published_date: date | None
    published_date_text: str | None
    published_date_offset: int | None
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
        self.places = AliasTable(vocabulary.places)
        self.header_max_lines = settings.header_max_lines
        self.body_min_words = settings.body_min_words
        self.title_max_words = settings.title_max_words
        self.dateline_max_chars = settings.dateline_max_chars

        self.outlet_names: dict[str, str] = {}
        taglines = []
        for outlet in vocabulary.outlets:
            for spelling in [outlet.name, *outlet.names]:
                self.outlet_names[spelling.lower()] = outlet.name
            taglines += [(re.escape(t), outlet.name) for t in outlet.taglines]
        self.taglines = [(re.compile(t, re.IGNORECASE), name) for t, name in taglines]
        self.chrome = [re.compile(p) for p in vocabulary.chrome_lines]
        self.chrome += [pattern for pattern, _ in self.taglines]
        self.outlet_lines = [re.compile(p) for p in vocabulary.outlet_lines]
        # One pass per line over all chrome patterns (each keeps its own flags). Patterns
        # anchored at the line's start are tried there only: a search would try each at
        # every position of the line.
        anchored = [p for p in self.chrome if p.pattern.removeprefix("(?i)").startswith("^")]
        floating = [p for p in self.chrome if p not in anchored]
        self.chrome_at_start = combined(anchored)
        self.chrome_anywhere = combined(floating)

        # One pass over the text finds every agency; the spelling found names it.
        self.agency_of = {
            spelling.strip(): name
            for name, spellings in vocabulary.agencies.items()
            for spelling in spellings
        }
        self.agencies = re.compile(word_alternation(self.agency_of))
        self.chrome_max_chars = settings.chrome_max_chars
        bare_spellings = [s.strip().strip("()") for s in self.agency_of]
        self.agency_spellings = {s.lower() for s in bare_spellings}
        agency_alternation = alternation(bare_spellings)
        months = f"(?i:{self.dates.month_pattern})"
        self.datelines = [
            re.compile(p.replace("{agency}", agency_alternation).replace("{month}", months), re.M)
            for p in vocabulary.datelines
        ]
        labels = "|".join(re.escape(label) for label in vocabulary.section_labels)
        self.section_label = (
            re.compile(rf"(?i)^(?:{labels})(?:\s*[|/•·:–—-]\s*.*)?$") if labels else None
        )
        self.header_chrome = [re.compile(p) for p in vocabulary.header_chrome_lines]
        self.place_particles = {w.lower() for w in vocabulary.place_name_particles}
        self.masthead_max_words = vocabulary.masthead_max_words
        self.masthead_connectors = {w.lower() for w in vocabulary.masthead_connectors}

    def is_chrome(self, line: str) -> bool:
        if len(line) > self.chrome_max_chars:
            return False  # a body paragraph: page furniture is short
        if self.section_label and self.section_label.match(line):
            return True
        return bool(
            (self.chrome_at_start and self.chrome_at_start.match(line))
            or (self.chrome_anywhere and self.chrome_anywhere.search(line))
        )

    def masthead_name(self, line: str) -> str | None:
        """The site name when `line` is "Name", "Name — tagline" or "Name | tagline"."""
        name = re.split(r"\s+[—–|]\s+|\s+-\s+", line, maxsplit=1)[0].strip()
        words = name.split()
        if not words or len(words) > self.masthead_max_words or any(c.isdigit() for c in name):
            return None
        if name[-1] in ".!?:,;" or not words[0][0].isupper():
            return None
        if all(w[0].isupper() or w.lower() in self.masthead_connectors for w in words):
            return self.outlet_names.get(name.lower(), name)
        return None

    def outlet_in(self, line: str) -> str | None:
        for pattern in self.outlet_lines:
            match = pattern.search(line)
            if match:
                named = match.group("outlet").strip()
                if named.lower() in self.agency_spellings:
                    return None
                return self.outlet_names.get(named.lower(), named)
        for pattern, name in self.taglines:
            if pattern.search(line):
                return name
        return None


def extract_metadata(text: str, rules: MetadataRules) -> DocumentMetadata:
    """Read the metadata of one article and split its lines into content and chrome."""
    content: list[Segment] = []
    chrome: list[Segment] = []
    header: list[Segment] = []
    outlet = None
    in_header = True
    for raw in lines(text):
        segment = stripped(text, raw)
        line = segment.of(text)
        if not line:
            continue
        if rules.is_chrome(line):
            chrome.append(segment)
            outlet = outlet or rules.outlet_in(line)
            continue
        if (in_header and _is_body_paragraph(line, rules)) or len(header) >= rules.header_max_lines:
            in_header = False
        # Under the masthead (never the masthead line itself, which names the outlet).
        if in_header and header and any(p.search(line) for p in rules.header_chrome):
            chrome.append(segment)
            continue
        if in_header:
            header.append(segment)
        content.append(segment)

    masthead, masthead_outlet = _masthead(text, header, rules)
    if masthead is not None:
        header.remove(masthead)
        content.remove(masthead)
        chrome.append(masthead)
    published, date_line = _publication_date(text, header, rules)
    if date_line is not None:
        content.remove(date_line)
    if published is None:
        published = _wire_date(text, header + chrome, rules)
    title = _title(text, header, date_line, rules)
    return DocumentMetadata(
        title=title,
        published_date=published.value if published else None,
        published_date_text=published.text if published else None,
        published_date_offset=published.start if published else None,
        outlet=outlet or masthead_outlet,
        agencies=sorted({rules.agency_of[m.group(0)] for m in rules.agencies.finditer(text)}),
        dateline=_dateline(text, rules),
        content_lines=content,
        chrome_lines=chrome,
    )


def _is_body_paragraph(line: str, rules: MetadataRules) -> bool:
    return word_count(line) >= rules.body_min_words and bool(_SENTENCE_END.search(line))


def _publication_date(
    text: str, header: list[Segment], rules: MetadataRules
) -> tuple[FoundDate | None, Segment | None]:
    for segment in header:
        line = segment.of(text)
        for found in rules.dates.find_full(text, segment.start, segment.end):
            if rules.dates.is_date_line(line, found, segment.start):
                return found, segment
    return None, None


def _title(
    text: str, header: list[Segment], date_line: Segment | None, rules: MetadataRules
) -> str | None:
    for segment in header:
        if segment == date_line:
            continue
        line = segment.of(text)
        if word_count(line) <= rules.title_max_words and not line.endswith("."):
            return line
    return None


def _masthead(
    text: str, header: list[Segment], rules: MetadataRules
) -> tuple[Segment | None, str | None]:
    """The first header line, when it names the site rather than the story.

    A known outlet's name always counts; an unknown name-like line counts only with a tagline
    or when a headline candidate follows it, so a short headline is not taken for a masthead.
    """
    if not header:
        return None, None
    first = header[0].of(text)
    known = rules.outlet_names.get(first.lower())
    if known:
        return header[0], known
    name = rules.masthead_name(first)
    if name is None:
        return None, None
    has_tagline = len(first) > len(name)
    headline_follows = any(
        word_count(s.of(text)) <= rules.title_max_words
        and not rules.dates.find_full(text, s.start, s.end)
        for s in header[1:]
    )
    return (header[0], name) if has_tagline or headline_follows else (None, None)


_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


def _wire_date(text: str, header: list[Segment], rules: MetadataRules) -> FoundDate | None:
    """A wire dateline's day and month ("Geneva, June 24 (Reuters)") with the year the header
    gives ("Health News | June 2017"); with no year in the header, no date."""
    years = [int(y) for s in header for y in _YEAR.findall(s.of(text))]
    if not years:
        return None
    head = text[: rules.dateline_max_chars]
    for pattern in rules.datelines:
        for match in pattern.finditer(head):
            if not match.groupdict().get("month") or not match.groupdict().get("day"):
                continue
            start, end = match.start("month"), match.end("day")
            found = rules.dates.find_partial(text, start, end, date(years[0], 12, 31))
            if found:
                return found[0]
    return None


def _dateline(text: str, rules: MetadataRules) -> str | None:
    head = text[: rules.dateline_max_chars]
    for pattern in rules.datelines:
        for match in pattern.finditer(head):
            place = match.group("place").strip().replace("’", "'")
            if place.lower() in rules.agency_spellings or len(place) < 3:
                continue
            if place.isupper():
                place = _title_case(place, rules.place_particles)
            return rules.places.normalise(place)
    return None


def _title_case(name: str, particles: set[str]) -> str:
    """PORT-AU-PRINCE -> Port-au-Prince, COX'S BAZAR -> Cox's Bazar."""
    parts = re.split(r"([ -])", name.lower())
    return "".join(
        part if part in particles and 0 < i < len(parts) - 1 else part[:1].upper() + part[1:]
        for i, part in enumerate(parts)
    )
