"""The day a figure's event happened: the date of its own clause, by the rules of
config/dates.yml (`event_dates`).

Of the dates a sentence gives, none is the publication date itself (a dateline's), the day
something was said ("officials said Tuesday"), or a date that marks a period, a deadline or
another event ("since Oct. 21", "by Friday", "before the storm made landfall on Friday"). A
figure counted over a period ("since October", "in the past week") has no day. Of what
remains, the date nearest the figure within its clause is its day: a date in another clause
dates something else.
"""

from __future__ import annotations

import re

from newsfigures.config.dates import EventDates
from newsfigures.extract.dates import FoundDate
from newsfigures.extract.text import alternation, word_alternation

# Where a sentence's clauses end, and where one is joined to the next.
ClauseMarks = tuple[list[tuple[int, int]], list[tuple[int, int]]]

# How far before a date its preposition or reporting verb may stand ("said late on Monday").
_LEAD_CHARS = 24


class EventDateRules:
    """The declared rules, compiled."""

    def __init__(self, rules: EventDates):
        self.not_after = _ending(rules.not_after, rules.lead_fillers)
        self.reported = _ending(rules.reported_by, rules.lead_fillers)
        self.quoted_days_from_speech = rules.quoted_days_from_speech
        self.periods = re.compile(word_alternation(rules.periods, ignore_case=True))
        self.clause_ends = re.compile(word_alternation(rules.clause_ends, ignore_case=True))
        self.clause_joins = (
            re.compile(word_alternation(rules.clause_joins, ignore_case=True))
            if rules.clause_joins
            else None
        )

    def clause_marks(self, text: str, sentence: tuple[int, int]) -> ClauseMarks:
        """Where the words that end or join clauses stand in the sentence (found once for all
        its figures)."""
        joins = self.clause_joins.finditer(text, *sentence) if self.clause_joins else ()
        return (
            [m.span() for m in self.clause_ends.finditer(text, *sentence)],
            [m.span() for m in joins],
        )

    def candidates(
        self, text: str, sentence_start: int, found: list[FoundDate], published_at: int | None
    ) -> list[FoundDate]:
        """The sentence's dates that may be an event's day: none is the publication date itself
        or a date a reporting verb or a period's preposition leads to."""
        return [
            d
            for d in found
            if d.value is not None
            and d.start != published_at
            and not self._attached(text, sentence_start, d)
        ]

    def day_of(
        self,
        text: str,
        sentence: tuple[int, int],
        figure: tuple[int, int],
        candidates: list[FoundDate],
        marks: ClauseMarks,
    ) -> FoundDate | None:
        """The date of the figure's event among the sentence's `candidates`, or None."""
        if not candidates:
            return None
        # The figure's clause: from the last clause mark before it to the end of the first
        # after it (a period word that opens the next clause still counts: "killed since Feb.
        # 18" is a count over a period).
        ends, joins = marks
        start = max((e for s, e in ends if e <= figure[0]), default=sentence[0])
        end = min((e for s, e in ends if s >= figure[1]), default=sentence[1])
        near = [d for d in candidates if start <= d.start < end]
        # A joined clause's own day first; the day of the clause it joins when it gives none.
        own_start = max((e for s, e in joins if start <= s and e <= figure[0]), default=start)
        own_end = min((s for s, e in joins if figure[1] <= s < end), default=end)
        near = [d for d in near if own_start <= d.start < own_end] or near
        # A period in the figure's own stretch of the clause ("3,200 had been flown out so
        # far", not "so far, including roughly 1,100 on Tuesday") means no day, unless a day
        # is given before it ("killed 114 on Saturday, the bloodiest day since the coup").
        comma = text.rfind(",", start, figure[0])
        period = self.periods.search(text, max(start, comma + 1), end)
        if period:
            near = [d for d in near if d.end <= period.start()]
        if not near:
            return None
        middle = (figure[0] + figure[1]) / 2
        return min(near, key=lambda d: (abs((d.start + d.end) / 2 - middle), not d.explicit))

    def said_on(self, text: str, sentence_start: int, found: FoundDate) -> bool:
        """A date a reporting verb leads to: the day something was said."""
        lead = text[max(sentence_start, found.start - _LEAD_CHARS) : found.start]
        return bool(self.reported.search(lead))

    def _attached(self, text: str, sentence_start: int, found: FoundDate) -> bool:
        """A date that a reporting verb or a period's preposition leads to."""
        lead = text[max(sentence_start, found.start - _LEAD_CHARS) : found.start]
        # A relative day may carry its preposition ("since Monday", "by Sunday").
        first = found.text.split()[0] if " " in found.text else ""
        return any(
            rule.search(words)
            for rule in (self.not_after, self.reported)
            for words in (lead, f"{lead} {first}")
        )


def _ending(words: list[str], fillers: list[str]) -> re.Pattern[str]:
    """Any of `words` as the last word before a date, the `fillers` allowed between."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    filler = rf"(?:\s+(?:{alternation(fillers)}))*" if fillers else ""
    return re.compile(rf"\b(?:{alternatives}){filler}\s*$", re.IGNORECASE)
