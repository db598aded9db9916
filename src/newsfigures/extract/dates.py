"""Written and relative dates, by the grammar declared in config/dates.yml.

Used by the metadata stage (publication date) and the figures stage (the date of the event
a figure reports). A date that is written like a date but is not on the calendar
("February 30, 2019") is still found, with `value=None` and the reason, so the contracts can
quarantine it instead of the pipeline silently dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from newsfigures.config.dates import DateRules
from newsfigures.extract.text import (
    Segment,
    alternation,
    caseless_alternation,
    digit_alternation,
    word_alternation,
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    start: int
    end: int
    text: str
    value: date | None
    problem: str | None = None
    # Written out ("Saturday, February 16") rather than relative ("on Sunday").
    explicit: bool = True


def _needs(pattern: str) -> str | None:
    """What a date format cannot match without (see DateGrammar.full_needs)."""
    if "(?P<month>{month})" in pattern:
        return "month"
    if "(?P<month_num>" in pattern or "(?P<first>" in pattern:
        return "joined_digits"
    return None


class DateGrammar:
    """Compiled date patterns and the words for months, weekdays and relative days."""

    def __init__(self, config: DateRules):
        self.month_by_name = {
            name.lower(): int(number) for number, names in config.months.items() for name in names
        }
        self.weekday_by_name = {
            name.lower(): int(number) for number, names in config.weekdays.items() for name in names
        }
        # Month and weekday names inside the IGNORECASE date patterns.
        self.month_pattern = caseless_alternation(self.month_by_name)
        self.any_month = re.compile(word_alternation(self.month_by_name, ignore_case=True))
        self.month_pattern_cased = alternation(
            [name for names in config.months.values() for name in names]
        )
        self.weekday_pattern = caseless_alternation(self.weekday_by_name)
        # Each written format, and whether its all-numeric form puts the month first.
        self.full = [(self._compile(f.pattern), f.order == "month_first") for f in config.formats]
        self.partial = [self._compile(f.pattern) for f in config.partial_formats]
        # Each format's patterns scan slowly (IGNORECASE, optional weekday first), so a format
        # is tried only where what it cannot do without is there: a month name, or digits
        # joined by - / . (numeric formats); formats needing neither are always tried.
        self.joined_digits = re.compile(digit_alternation(r"[-/.]\d"))
        self.full_needs = [_needs(f.pattern) for f in config.formats]
        self.partial_needs = [_needs(f.pattern) for f in config.partial_formats]
        line = config.date_line
        self.date_line_max_words = line.max_words
        # A label opens the line, or follows a separator ("NEWS | Posted: ...").
        self.date_line_labels = (
            re.compile(r"(?:^|[|·•]\s*)\W*(?:" + alternation(line.labels) + r")\b", re.I)
            if line.labels
            else None
        )
        self.year_less_rest = re.compile(line.year_less_rest)
        self._relative(config)

    def _relative(self, config: DateRules) -> None:
        """Relative days ("yesterday"), weekdays ("on Sunday") and days anchored on the last
        date the text gave ("a day earlier")."""
        self.relative_days = {k.lower(): v for k, v in config.relative_days.items()}
        prefixes = caseless_alternation(config.weekday_prefixes)
        self.anchored_days = {k.lower(): v for k, v in config.anchored_days.items()}
        self.anchored = (
            re.compile(word_alternation(self.anchored_days, ignore_case=True))
            if self.anchored_days
            else None
        )
        self.any_weekday_or_relative = re.compile(
            word_alternation([*self.weekday_by_name, *self.relative_days], ignore_case=True)
        )
        # Cheap test for "this sentence may carry a date at all".
        words = [
            *self.month_by_name,
            *self.weekday_by_name,
            *self.relative_days,
            *self.anchored_days,
        ]
        # Written dates need a month or weekday word, or digits joined by - / or . (ISO,
        # numeric): a sentence without any of these has no date to resolve.
        self.maybe_date = re.compile(
            self.joined_digits.pattern + "|" + word_alternation(words, ignore_case=True)
        )
        self.relative = re.compile(
            rf"\b(?:(?:{prefixes})\s+)?(?P<weekday>{self.weekday_pattern})\b(?!,?\s+(?:{self.month_pattern})\b)"
            + (
                rf"|\b(?P<relative>{caseless_alternation(self.relative_days)})\b"
                if self.relative_days
                else ""
            ),
            re.IGNORECASE,
        )

    def _compile(self, pattern: str) -> re.Pattern[str]:
        expanded = pattern.replace("{month}", f"(?:{self.month_pattern})").replace(
            "{weekday}", f"(?:{self.weekday_pattern})"
        )
        return re.compile(r"\b" + expanded, re.IGNORECASE)

    # -- full dates -------------------------------------------------------------------------

    def find_full(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        present: dict[str, bool] | None = None,
    ) -> list[FoundDate]:
        """Dates with a year, in text order; overlapping matches keep the earliest, longest.
        `present`: what _present found in the range, when the caller has it already."""
        end = len(text) if end is None else end
        hits: list[FoundDate] = []
        present = present or self._present(text, start, end, self.full_needs)
        for (pattern, month_first), needs in zip(self.full, self.full_needs, strict=True):
            if needs and not present[needs]:
                continue
            for match in pattern.finditer(text, start, end):
                hits.append(self._to_date(match, year=None, month_first=month_first))
        return _first_longest(hits)

    def find_partial(
        self,
        text: str,
        start: int,
        end: int,
        anchor: date | None,
        present: dict[str, bool] | None = None,
    ) -> list[FoundDate]:
        """Dates without a year ("Saturday, February 16"); resolved only against `anchor`."""
        hits = []
        present = present or self._present(text, start, end, self.partial_needs)
        for pattern, needs in zip(self.partial, self.partial_needs, strict=True):
            if needs and not present[needs]:
                continue
            for match in pattern.finditer(text, start, end):
                hits.append(self._to_date(match, year=anchor))
        return _first_longest(hits)

    def _present(self, text: str, start: int, end: int, needs: list[str | None]) -> dict[str, bool]:
        present = {}
        if "month" in needs:
            present["month"] = self.any_month.search(text, start, end) is not None
        if "joined_digits" in needs:
            present["joined_digits"] = self.joined_digits.search(text, start, end) is not None
        return present

    def _to_date(
        self, match: re.Match[str], year: date | None, month_first: bool = True
    ) -> FoundDate:
        groups = match.groupdict()
        text = match.group(0)
        try:
            day = int(groups["day"]) if groups.get("day") else None
            if groups.get("month"):
                month = self.month_by_name[groups["month"].lower().rstrip(".")]
            elif groups.get("month_num"):
                month = int(groups["month_num"])
            else:
                month = None
            if groups.get("year"):
                value = self._numeric_or_calendar(
                    groups, month, day, int(groups["year"]), month_first
                )
            elif year is None:
                return FoundDate(match.start(), match.end(), text, None, "no year to anchor it")
            else:
                value = date(year.year, month, day)
                if value > year:
                    value = date(year.year - 1, month, day)
        except ValueError as exc:
            return FoundDate(match.start(), match.end(), text, None, f"not a calendar date ({exc})")
        return FoundDate(match.start(), match.end(), text, value)

    def _numeric_or_calendar(
        self,
        groups: dict[str, str | None],
        month: int | None,
        day: int | None,
        year: int,
        month_first: bool,
    ) -> date:
        if month is not None and day is not None:
            return date(year, month, day)
        first, second = int(groups["first"] or 0), int(groups["second"] or 0)
        readings = [(first, second), (second, first)]
        if not month_first:
            readings.reverse()
        candidates = []
        for m, d in readings:
            try:
                candidates.append(date(year, m, d))
            except ValueError:
                continue
        if not candidates:
            raise ValueError(f"neither {first}/{second} nor {second}/{first} is a date in {year}")
        weekday = groups.get("weekday")
        if weekday:
            wanted = self.weekday_by_name[weekday.lower().rstrip(".")]
            for candidate in candidates:
                if candidate.weekday() == wanted:
                    return candidate
        return candidates[0]

    # -- publication-date lines -------------------------------------------------------------

    def is_date_line(self, line: str, found: FoundDate, line_start: int) -> bool:
        """A header line that states the publication date, rather than mentioning a date."""
        if self.is_labelled(line):
            return True
        words = len(re.findall(r"\w+", line))
        return words <= self.date_line_max_words and found.start - line_start <= len(line)

    def is_labelled(self, line: str) -> bool:
        """The line says it gives a date ("Published ...", "By ... | Jan. 5, 2020")."""
        return bool(self.date_line_labels and self.date_line_labels.search(line))

    def opens_with_partial(self, text: str, line: Segment) -> bool:
        """The line is a date without a year ("Dec 22 · 14:38"), after a label at most and
        followed by what `date_line.year_less_rest` allows (a time)."""
        found = self.find_partial(text, line.start, line.end, None)
        if not found:
            return False
        lead = text[line.start : found[0].start]
        labels = self.date_line_labels
        if re.search(r"\w", labels.sub("", lead) if labels else lead):
            return False  # words before the date that are not a label: a sentence
        return self.year_less_rest.match(text[found[0].end : line.end]) is not None

    # -- relative dates ---------------------------------------------------------------------

    def expressions(
        self, text: str, start: int, end: int, anchor: date | None, previous: date | None = None
    ) -> list[FoundDate]:
        """Every resolved date expression in text[start:end], in text order.

        Written dates resolve by themselves (a year-less one against `anchor`, the publication
        date); weekdays and "yesterday" against `anchor`; "a day earlier" against `previous`,
        the last date the text gave before this point (else `anchor`).
        """
        if not self.maybe_date.search(text, start, end):
            return []
        present = self._present(text, start, end, [*self.full_needs, *self.partial_needs])
        found = [
            d
            for d in self.find_full(text, start, end, present)
            + self.find_partial(text, start, end, anchor, present)
            if d.value is not None
        ]
        taken = [(d.start, d.end) for d in found]
        if anchor is not None and self.any_weekday_or_relative.search(text, start, end):
            for match in self.relative.finditer(text, start, end):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                if match.group("weekday"):
                    wanted = self.weekday_by_name[match.group("weekday").lower()]
                    value = anchor - timedelta(days=(anchor.weekday() - wanted) % 7)
                else:
                    offset = self.relative_days[match.group("relative").lower()]
                    value = anchor + timedelta(days=offset)
                found.append(
                    FoundDate(match.start(), match.end(), match.group(0), value, None, False)
                )
        base = previous or anchor
        if self.anchored is not None and base is not None:
            for match in self.anchored.finditer(text, start, end):
                value = base + timedelta(days=self.anchored_days[match.group(0).lower()])
                found.append(
                    FoundDate(match.start(), match.end(), match.group(0), value, None, False)
                )
        return sorted(found, key=lambda d: d.start)

    def resolve_in(
        self, text: str, start: int, end: int, anchor: date | None, previous: date | None = None
    ) -> FoundDate | None:
        """The date a sentence talks about: a written date wins over a relative one."""
        found = self.expressions(text, start, end, anchor, previous)
        return sentence_date(found)


def sentence_date(found: list[FoundDate]) -> FoundDate | None:
    """The first written date of a sentence's expressions, else its first relative one."""
    for candidate in found:
        if candidate.explicit:
            return candidate
    return found[0] if found else None


def _first_longest(hits: list[FoundDate]) -> list[FoundDate]:
    hits.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[FoundDate] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept
