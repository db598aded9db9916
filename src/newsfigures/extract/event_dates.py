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
from newsfigures.extract.text import word_alternation

# How far before a date its preposition or reporting verb may stand ("said late on Monday").
_LEAD_CHARS = 24


class EventDateRules:
    """The declared rules, compiled."""

    def __init__(self, rules: EventDates):
        self.not_after = _ending(rules.not_after)
        self.reported = _ending(rules.reported_by)
        self.periods = re.compile(word_alternation(rules.periods, ignore_case=True))
        self.clause_ends = re.compile(
            "|".join(
                re.escape(w) if not w[0].isalnum() else rf"\b{re.escape(w)}\b"
                for w in rules.clause_ends
            ),
            re.IGNORECASE,
        )

    def day_of(
        self,
        text: str,
        sentence: tuple[int, int],
        figure: tuple[int, int],
        found: list[FoundDate],
        published_at: int | None,
    ) -> FoundDate | None:
        """The date of the figure's event among the sentence's `found` dates, or None."""
        if not found:
            return None
        start, end = self._clause(text, sentence, figure)
        candidates = [
            d
            for d in found
            if d.value is not None
            and d.start != published_at
            and start <= d.start < end
            and not self._attached(text, sentence[0], d)
        ]
        # A period in the figure's own stretch of the clause ("3,200 had been flown out so
        # far", not "so far, including roughly 1,100 on Tuesday") means no day, unless a day
        # is given before it ("killed 114 on Saturday, the bloodiest day since the coup").
        comma = text.rfind(",", start, figure[0])
        period = self.periods.search(text, max(start, comma + 1), end)
        if period:
            candidates = [d for d in candidates if d.end <= period.start()]
        if not candidates:
            return None
        middle = (figure[0] + figure[1]) / 2
        return min(candidates, key=lambda d: (abs((d.start + d.end) / 2 - middle), not d.explicit))

    def _clause(
        self, text: str, sentence: tuple[int, int], figure: tuple[int, int]
    ) -> tuple[int, int]:
        start, end = sentence
        for match in self.clause_ends.finditer(text, sentence[0], figure[0]):
            start = match.end()
        after = self.clause_ends.search(text, figure[1], sentence[1])
        # The end is where the next clause begins: a period word that opens it still counts
        # ("killed since Feb. 18": the count is over a period).
        return start, after.end() if after else end

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


def _ending(words: list[str]) -> re.Pattern[str]:
    """Any of `words` as the last word before a date (allowing "on", "late", "the", ...)."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    filler = r"(?:\s+(?:on|late|early|last|the|this|in|at))*"
    return re.compile(rf"\b(?:{alternatives}){filler}\s*$", re.IGNORECASE)
