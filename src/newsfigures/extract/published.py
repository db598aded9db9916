"""The publication date of one article, and its wire dateline.

Tried in this order, the first found wins:

1. a header line that states the date ("Thursday, July 13, 2023", "29.03.2021 | 11:05");
2. a byline, posted or section line in the header ("By Staff Writer | Jan. 5, 2020", "Posted
   by admin | 3 May 2016 | 2 Comments", "World News | Mon Apr 8, 2019 | 2:46pm EDT"): page
   furniture, but its date is the article's;
3. a dateline with its year ("KHARTOUM, June 12, 2024 (Reuters) -", "Catania, 22 August 2023 -");
4. a date line without a year ("Dec 22 · 14:38", "GENEVA, Oct 3 (Reuters) -"), with the year
   the header writes with a month ("Health News | June 2017"), else the year of a declared,
   visible source (`YearSource`): the article's sidecar, the run's `--year`, or, when
   settings.metadata.year_from_mtime says so, the file's modification time. Never a guess:
   with none of them the date stays empty.

`published_date_source` says which: `text` (1 to 3, and 4 with a year the text writes) or
`dateline+<source>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from newsfigures.config import Project
from newsfigures.extract.dates import DateGrammar, FoundDate
from newsfigures.extract.provenance import AliasTable
from newsfigures.extract.text import Segment, alternation
from newsfigures.sources.records import RawDocument

# Where a publication date comes from (documents.published_date_source): the date as the
# text writes it, or a year-less date line with the year of a declared source.
YEAR_SOURCES = ("sidecar", "option", "mtime")
# The date the input gives beside the text wins over the text's: an export's field
# (`record`) or a web page's metadata (`page`), see sources.records.GivenMetadata.
GIVEN_SOURCES = ("record", "page")
PUBLISHED_DATE_SOURCES = ("text", *(f"dateline+{name}" for name in YEAR_SOURCES), *GIVEN_SOURCES)


@dataclass(frozen=True, slots=True)
class YearSource:
    """Where a date written without its year takes the year from (one of YEAR_SOURCES), and
    the latest day it allows: the date is the latest such day on or before it."""

    name: str
    latest: date


def year_source(raw: RawDocument, project: Project) -> YearSource | None:
    """The first source that gives a year: the sidecar, the run's --year, the file's
    modification time (UTC) when the settings allow it; None without one."""
    if raw.sidecar is not None and raw.sidecar.year is not None:
        return YearSource("sidecar", date(raw.sidecar.year, 12, 31))
    if project.year is not None:
        return YearSource("option", date(project.year, 12, 31))
    if project.settings.metadata.year_from_mtime and raw.mtime_ns:
        return YearSource("mtime", datetime.fromtimestamp(raw.mtime_ns / 1e9, UTC).date())
    return None


@dataclass(frozen=True, slots=True)
class Dateline:
    """A wire dateline found: its place as written, and where its date is, if it has one."""

    place: str
    date_start: int | None
    date_end: int | None


@dataclass(frozen=True, slots=True)
class Published:
    found: FoundDate | None = None
    source: str | None = None


class DatelineRules:
    """The declared dateline patterns ({agency}, {month} filled in) and what a place is not."""

    def __init__(self, project: Project, dates: DateGrammar, agency_spellings: list[str]):
        vocabulary = project.vocabulary
        self.places = AliasTable(vocabulary.places)
        self.max_chars = project.settings.metadata.dateline_max_chars
        self.not_places = {s.lower() for s in agency_spellings}
        self.not_places |= {label.lower() for label in vocabulary.section_labels}
        agencies, months = alternation(agency_spellings), f"(?i:{dates.month_pattern})"
        self.patterns = [
            re.compile(p.replace("{agency}", agencies).replace("{month}", months), re.M)
            for p in vocabulary.datelines
        ]
        self.particles = {w.lower() for w in vocabulary.place_name_particles}
        # A year the header writes with its month ("Health News | June 2017").
        self.month_year = re.compile(rf"\b(?:{dates.month_pattern})\.?,?\s+(\d{{4}})\b")
        self.years = vocabulary.non_figures.year_range

    def find(self, text: str, candidates: list[Segment]) -> Dateline | None:
        """The first dateline in the first `max_chars` of the candidate lines, in order."""
        for segment in candidates:
            start = text.rfind("\n", 0, segment.start) + 1
            end = min(segment.end, start + self.max_chars)
            for pattern in self.patterns:
                for match in pattern.finditer(text, start, end):
                    place = match.group("place").strip().replace("’", "'")
                    if place.lower() in self.not_places or len(place) < 3:
                        continue
                    return Dateline(self._place(place), *_date_span(match))
        return None

    def _place(self, place: str) -> str:
        if place.isupper():
            place = title_case(place, self.particles)
        return self.places.normalise(place)

    def years_in(self, text: str, segments: list[Segment]) -> list[int]:
        """The years written after a month in `segments` (in non_figures.year_range)."""
        low, high = self.years
        found = (int(y) for s in segments for y in self.month_year.findall(text, s.start, s.end))
        return [year for year in found if low <= year <= high]


def _date_span(match: re.Match[str]) -> tuple[int | None, int | None]:
    spans = [match.span(g) for g in ("month", "day", "year") if match.groupdict().get(g)]
    if len(spans) < 2:
        return None, None
    return min(s for s, _ in spans), max(e for _, e in spans)


def title_case(name: str, particles: set[str]) -> str:
    """PORT-AU-PRINCE -> Port-au-Prince, COX'S BAZAR -> Cox's Bazar, THE HARBOUR GAZETTE ->
    The Harbour Gazette: `particles` stay lower case inside a name, never first or last."""
    parts = re.split(r"([ -])", name.lower())
    return "".join(
        part if part in particles and 0 < i < len(parts) - 1 else part[:1].upper() + part[1:]
        for i, part in enumerate(parts)
    )


def date_line(
    text: str, header: list[Segment], dates: DateGrammar
) -> tuple[FoundDate | None, Segment | None]:
    """The header line that states the date, and its date when written with its year.
    A line opened by a date without a year ("Dec 22 · 14:38") is a date line too (never the
    title); its date needs a year from elsewhere (`publication_date`)."""
    for segment in header:
        line = segment.of(text)
        for found in dates.find_full(text, segment.start, segment.end):
            if dates.is_date_line(line, found, segment.start):
                return found, segment
        if dates.opens_with_partial(text, segment):
            return None, segment
    return None, None


def publication_date(
    text: str,
    full: FoundDate | None,
    line: Segment | None,
    header: tuple[list[Segment], list[Segment]],
    dateline: Dateline | None,
    rules: tuple[DateGrammar, DatelineRules],
    year: YearSource | None,
) -> Published:
    """Steps 2 to 4 of the module's order, once the header's date line (step 1) is known.
    `header`: the header's lines, furniture included, and of these the bylines, posted and
    section lines (step 2)."""
    dates, datelines = rules
    top, dated = header
    if full is not None:
        return Published(full, "text")
    for segment in dated:
        found = dates.find_full(text, segment.start, segment.end)
        if found:
            return Published(found[0], "text")
    if dateline is not None and dateline.date_start is not None:
        found = dates.find_full(text, dateline.date_start, dateline.date_end)
        if found:
            return Published(found[0], "text")
    spans = [(line.start, line.end)] if line is not None else []
    if dateline is not None and dateline.date_start is not None:
        spans.append((dateline.date_start, dateline.date_end))
    years = datelines.years_in(text, top)
    if years:
        latest, source = date(years[0], 12, 31), "text"
    elif year is not None:
        latest, source = year.latest, f"dateline+{year.name}"
    else:
        return Published()
    for start, end in spans:
        found = dates.find_partial(text, start, end, latest)
        if found:
            return Published(found[0], source)
    return Published()
