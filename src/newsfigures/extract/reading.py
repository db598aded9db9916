"""An article read sentence by sentence: its sentences (tokenised on demand) and what a
reader carries from one to the next, the last date the text gave ("a day earlier"), who is
speaking ("he said") and the days a clause may date."""

from __future__ import annotations

from datetime import date

from newsfigures.extract.dates import FoundDate, sentence_date
from newsfigures.extract.event_dates import ClauseMarks
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.text import Segment, split_sentences
from newsfigures.extract.tokens import Token, tokenize


class Sentence:
    __slots__ = ("_content", "_tokens", "segment", "text")

    def __init__(self, text: str, segment: Segment):
        self.text = text
        self.segment = segment
        self._tokens: list[Token] | None = None
        self._content: str | None = None

    @property
    def content(self) -> str:
        """The sentence's text, one string however many figures it holds."""
        if self._content is None:
            self._content = self.segment.of(self.text)
        return self._content

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = tokenize(self.text, self.segment.start, self.segment.end)
        return self._tokens


class Reading:
    """An article's sentences, in order, and the state a reader carries from one to the
    next: the last date the text gave ("a day earlier") and the last named speaker ("he
    said"). Worked out lazily, only for the sentences a figure needs: most have none."""

    def __init__(
        self,
        text: str,
        content_lines: list[Segment],
        published: date | None,
        grammar: FigureGrammar,
        sentences: list[tuple[int, Segment]] | None = None,
        published_at: int | None = None,
    ):
        self.text, self.published, self.grammar = text, published, grammar
        # Where the publication date is written (a dateline's date is never an event's).
        self.published_at = published_at
        if sentences is None:
            sentences = split_sentences(text, content_lines, grammar.splitter)
        self.sentences = [Sentence(text, segment) for _, segment in sentences]
        self.paragraph_of = [paragraph for paragraph, _ in sentences]
        self._dates: dict[int, list[FoundDate]] = {}
        self._plain_dates: dict[int, list[FoundDate]] = {}
        self._speakers: dict[int, str | None] = {}
        self._event_days: dict[int, tuple[list[FoundDate], ClauseMarks]] = {}

    def dates(self, i: int) -> list[FoundDate]:
        """The date expressions of sentence i, resolved; a relative day inside a quotation
        from the day the words were spoken, when the rules say so."""
        if i not in self._dates:
            found = self._written_dates(i)
            if self.grammar.event_dates.quoted_days_from_speech:
                found = self._spoken(i, found)
            self._dates[i] = found
        return self._dates[i]

    def _written_dates(self, i: int) -> list[FoundDate]:
        """The date expressions of sentence i, relative days from the publication date."""
        if i not in self._plain_dates:
            segment = self.sentences[i].segment
            dates = self.grammar.dates
            if not dates.maybe_date.search(self.text, segment.start, segment.end):
                self._plain_dates[i] = []
            else:
                # Only "a day earlier" needs the last date before it: most sentences don't.
                anchored = dates.anchored and dates.anchored.search(
                    self.text, segment.start, segment.end
                )
                previous = self.last_date_before(i) if anchored else None
                self._plain_dates[i] = dates.expressions(
                    self.text, segment.start, segment.end, self.published, previous
                )
        return self._plain_dates[i]

    def _spoken(self, i: int, found: list[FoundDate]) -> list[FoundDate]:
        """`found`, its relative days inside a quotation counted from the speech day."""
        quoted = [d for d in found if not d.explicit and self._quoted(i, d.start)]
        if not quoted:
            return found
        day = self._speech_day(i)
        if day is None or day == self.published:
            return found
        segment = self.sentences[i].segment
        again = {
            (d.start, d.end): d
            for d in self.grammar.dates.expressions(self.text, segment.start, segment.end, day)
            if not d.explicit
        }
        return [again.get((d.start, d.end), d) if d in quoted else d for d in found]

    def _quoted(self, i: int, position: int) -> bool:
        """Whether `position` (in sentence i) is inside a quotation opened in its paragraph."""
        paragraph = self.paragraph_of[i]
        first = next(j for j, p in enumerate(self.paragraph_of) if p == paragraph)
        quotes = self.grammar.quotes
        open_quotes = 0
        start = self.sentences[first].segment.start
        for mark in self.grammar.quote_mark.finditer(self.text, start, position):
            char = mark.group()
            if char in quotes.opening:
                open_quotes += 1
            elif char in quotes.closing:
                open_quotes = max(0, open_quotes - 1)
            elif char in quotes.either:
                open_quotes = 0 if open_quotes else 1
        return open_quotes > 0

    def _speech_day(self, i: int) -> date | None:
        """The last day, up to sentence i, that the article says something was said on."""
        rules = self.grammar.event_dates
        for j in range(i, -1, -1):
            start = self.sentences[j].segment.start
            for found in reversed(self._written_dates(j)):
                if found.value is not None and rules.said_on(self.text, start, found):
                    return found.value
        return None

    def event_days(self, i: int) -> tuple[list[FoundDate], ClauseMarks]:
        """The dates of sentence i that may be an event's day, and where its clauses end."""
        if i not in self._event_days:
            segment = self.sentences[i].segment
            rules = self.grammar.event_dates
            candidates = rules.candidates(
                self.text, segment.start, self.dates(i), self.published_at
            )
            sentence = (segment.start, segment.end)
            marks = rules.clause_marks(self.text, sentence) if candidates else ([], [])
            self._event_days[i] = candidates, marks
        return self._event_days[i]

    def last_date_before(self, i: int) -> date | None:
        for j in range(i - 1, -1, -1):
            found = self.dates(j)
            if found:
                return found[-1].value
        return None

    def when(self, i: int) -> FoundDate | None:
        return sentence_date(self.dates(i))

    def own_speaker(self, i: int) -> str | None:
        """The speaker sentence i names, a pronoun resolved to the last named speaker."""
        if i not in self._speakers:
            provenance = self.grammar.provenance
            who = provenance.speaker(self.sentences[i].segment.of(self.text))
            if provenance.is_pronoun(who):
                who = next((w for j in range(i - 1, -1, -1) if (w := self.own_speaker(j))), None)
            self._speakers[i] = who
        return self._speakers[i]

    def speaker(self, i: int) -> str | None:
        """Who sentence i is attributed to; a quoted sentence without a speaker of its own is
        said by the first speaker of its paragraph."""
        who = self.own_speaker(i)
        segment = self.sentences[i].segment
        if who is None and self.grammar.quote_mark.search(self.text, segment.start, segment.end):
            paragraph = self.paragraph_of[i]
            same = [j for j, p in enumerate(self.paragraph_of) if p == paragraph]
            who = next((w for j in same if (w := self.own_speaker(j))), None)
        return who
