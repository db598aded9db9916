"""Figures stage: every count of people or things an article reports.

The grammar is read from config/vocabulary.yml; this module is the engine that applies it:

    [qualifier] NUMBER [range] [more] [of [the]] [modifiers] NOUN [, NOUN and NOUN]

A NUMBER is digits ("1,500", "1.5 million"), number words ("two hundred", "a dozen",
"a quarter of a million") or a vague quantity ("dozens", "tens of thousands"). Text touching
the number that makes it an age, duration, percentage, amount of money, distance, date, time
or identifier rules it out. With no noun after it, a qualified number takes the noun it
refers back to ("around 1,000 may still be holding out" -> fighters). The nearest event
cue in the sentence gives the event, and the sentence's date the event date.

Sentences are tokenised only when a cheap anchor pattern finds something number-like in
them: most sentences of an article carry no figure.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from newsfigures.config import Project
from newsfigures.dates import DateGrammar, FoundDate, sentence_date
from newsfigures.provenance import ProvenanceRules
from newsfigures.text import (
    Segment,
    SentenceSplitter,
    combined,
    digit_alternation,
    split_sentences,
    word_alternation,
)

_LETTER = r"[^\W\d_]"
_TOKEN = re.compile(
    # Every branch opens with a character class, which `re` checks before entering the branch
    # (a named group in front would be entered at every position, spaces included); a
    # token's kind is read from its first character instead.
    # Most tokens are plain words followed by a space: tried first, and taken only when no
    # other reading could start there (atomic, so it never backs off to a shorter word).
    rf"{_LETTER}(?>{_LETTER}*(?:['’]{_LETTER}+)*)(?![\w.-])"
    # A number ("1,500", "4.1"), with a scale suffix ("1.5m") kept on it.
    r"|\d(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?(?:[a-z]{1,2}\b)?"
    r"|[^\w\s]"
    # Initialisms ("U.S.", "U.N.") and codes with digits ("A400M", "F-16", "COVID-19") are
    # single words, not numbers.
    rf"|{_LETTER}\.(?:{_LETTER}\.)+"
    rf"|{_LETTER}+-?\d\w*"
    rf"|{_LETTER}+(?:['’]{_LETTER}+)*",
)
_SUFFIX_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(slots=True)  # not frozen: a frozen dataclass is slower to build, and there are many
class Token:
    text: str
    lower: str
    start: int
    end: int
    is_number: bool
    suffix: str | None
    # A word (not a number or punctuation): set once here, read in every grammar window.
    is_word: bool


@dataclass(frozen=True, slots=True)
class Figure:
    char_start: int
    char_end: int
    span: str
    value_low: int
    value_high: int
    qualifier: str
    entity: str | None
    entity_implied: bool
    category: str
    event: str | None
    event_date: date | None
    event_date_precision: str
    sentence: str
    attribution: str | None
    place: str | None
    affiliation: str | None


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    found = []
    append = found.append
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        piece = match.group()
        begin = match.start()
        if piece[0].isdecimal():
            # The suffix ("m" in "1.5m") is kept on the number; it is not a word of its own.
            number = piece.rstrip(_SUFFIX_LETTERS)
            suffix = piece[len(number) :] or None
            append(Token(number, number, begin, begin + len(number), True, suffix, False))
        else:
            # A word, or a punctuation mark (the only tokens opening with neither a letter
            # nor a digit).
            word = piece[0].isalnum()
            append(Token(piece, piece.lower(), begin, match.end(), False, None, word))
    return found


def figure_id(doc_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


class PhraseTable:
    """Multi-word phrases (as lower-case token tuples) -> a value; longest match wins."""

    def __init__(self, plural_last_word: bool = False):
        self._by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self._plural = plural_last_word

    def add(self, phrase: str, value: Any) -> None:
        words = tuple(t.lower for t in tokenize(phrase))
        variants = {words}
        if self._plural and words[-1].isalpha():
            last = words[-1]
            variants |= {(*words[:-1], last + "s"), (*words[:-1], last + "es")}
            if last.endswith("y"):
                variants.add((*words[:-1], last[:-1] + "ies"))
        for variant in variants:
            entries = self._by_first.setdefault(variant[0], [])
            if all(existing != variant for existing, _ in entries):
                entries.append((variant, value))
                entries.sort(key=lambda e: -len(e[0]))

    def match(self, tokens: list[Token], i: int) -> tuple[int, Any] | None:
        """(length, value) of the longest phrase starting at token i."""
        if i >= len(tokens):
            return None
        entries = self._by_first.get(tokens[i].lower)
        if not entries:
            return None
        for words, value in entries:  # longest first
            n = len(words)
            if n == 1:
                return 1, value
            if i + n <= len(tokens):
                for k in range(1, n):
                    if tokens[i + k].lower != words[k]:
                        break
                else:
                    return n, value
        return None

    def first_words(self) -> set[str]:
        return set(self._by_first)


class FigureGrammar:
    """The figure grammar compiled from a project's vocabulary and date declarations."""

    def __init__(self, project: Project):
        vocab = project.vocabulary
        numbers = vocab["numbers"]
        self.units = {k: int(v) for k, v in numbers["units"].items()}
        self.units.update({k: int(v) for k, v in numbers["tens"].items()})
        self.tens = set(numbers["tens"])
        self.scales = {k: int(v) for k, v in numbers["scales"].items()}
        self.digit_suffixes = {
            k: int(v) for k, v in numbers.get("digit_scale_suffixes", {}).items()
        }
        self.fractions: dict[str, float] = {}
        for word, value in numbers.get("fractions", {}).items():
            self.fractions[word] = float(value)
            self.fractions[word + "s"] = float(value)
        self.fractions["halves"] = self.fractions.get("half", 0.5)
        self.weak = set(numbers.get("weak", []))

        self.qualifiers = PhraseTable()
        for qualifier, phrases in vocab["qualifiers"].items():
            for phrase in phrases:
                self.qualifiers.add(phrase, qualifier)
        for phrase in vocab.get("additive_prefixes", []):
            self.qualifiers.add(phrase, "exact")
        self.vague = PhraseTable()
        for entry in vocab["vague_quantities"]:
            self.vague.add(entry["phrase"], (int(entry["low"]), int(entry["high"])))
        self.post_number = set(vocab.get("post_number_words", []))
        self.range_connectors = PhraseTable()
        for connector in vocab.get("range_connectors", []):
            self.range_connectors.add(connector, True)
        self.range_frames = {
            opening.lower(): joiner.lower()
            for opening, joiner in vocab.get(
                "range_frames", {"between": "and", "from": "to"}
            ).items()
        }
        self.articles = {a.lower() for a in vocab.get("indefinite_articles", ["a", "an"])}
        # Words that open a number only with one after them: "a dozen", "between 300 and 500".
        self.lead_words = set(self.range_frames) | self.articles

        self.entities = PhraseTable(plural_last_word=True)
        for category, nouns in vocab["entities"].items():
            for noun in nouns:
                self.entities.add(noun, category)
        self.mixed_category = vocab.get("mixed_category", "people")
        self.demonym = (
            re.compile(vocab["demonym_pattern"]) if vocab.get("demonym_pattern") else None
        )
        self.demonym_category = vocab.get("demonym_category", "people")
        window = vocab.get("entity_window", {})
        self.entity_max_words = int(window.get("max_words", 6))
        self.entity_stops = set(window.get("stop_words", []))
        self.list_joiners = set(window.get("list_joiners", ["and", "or", ","]))
        self.list_fillers = set(window.get("list_fillers", []))
        implied = vocab.get("implied_entity", {})
        self.lookback = int(implied.get("lookback_sentences", 1))
        self.cue_window = int(implied.get("cue_window_words", 1))
        self.default_entity = implied.get("default_entity")
        self.default_category = implied.get("default_category", self.mixed_category)
        self.totals = PhraseTable()
        for word in implied.get("totals", []):
            self.totals.add(word, True)
        self.totals_window = int(implied.get("totals_window_words", 8))
        self.verb_before = int(implied.get("verb_before_tokens", 3))
        self.unlisted_noun_words = int(implied.get("unlisted_noun_words", 3))

        events = vocab["events"]
        self.event_cues = PhraseTable()
        for event, cues in events["cues"].items():
            for cue in cues:
                self.event_cues.add(cue, event)
        self.event_after = int(events.get("window_words_after", 8))
        self.event_before = int(events.get("window_words_before", 6))
        self.event_stops = set(events.get("stop_after", []))
        self.entity_events = PhraseTable(plural_last_word=True)
        for event, nouns in events.get("from_entity", {}).items():
            for noun in nouns:
                self.entity_events.add(noun, event)

        self.dates = DateGrammar(project.dates)
        # Month names are matched with their capital ("1,000 may still" is not a date).
        months = "(?-i:" + self.dates.month_pattern_cased + ")"
        non_figures = vocab.get("non_figures", {})
        # All the patterns of a side in one regex: one search per number, not one per pattern.
        self.not_after = _any_of(non_figures.get("after", {}), months)
        self.not_before = _any_of(non_figures.get("before", {}), months)
        self.year_low, self.year_high = non_figures.get("year_range", [1800, 2100])
        self.context_chars = int(non_figures.get("context_chars", 24))
        self.splitter = SentenceSplitter(vocab.get("abbreviations", []))
        self.provenance = ProvenanceRules(
            vocab, set(self.dates.month_by_name) | set(self.dates.weekday_by_name)
        )

        number_words = set(self.units) | set(self.scales) | set(self.fractions)
        # Words a number can open with (besides digits); a lead word only when what follows
        # it could open one too ("a dozen", "between 300 and 500", not "a man", "from Raqqa").
        self.number_openers = (number_words | self.vague.first_words()) - self.lead_words
        # Words a figure can open with: the rest of a sentence is skipped.
        self.start_words = self.number_openers | self.qualifiers.first_words() | self.lead_words
        # A sentence holds a figure only if it has a digit or one of these words.
        self.anchor = re.compile(
            digit_alternation() + "|" + word_alternation(self.number_openers, ignore_case=True)
        )


def _any_of(patterns_by_kind: dict[str, list[str]], months: str) -> re.Pattern[str] | None:
    return combined(
        [
            re.compile(p.replace("{months}", months), re.IGNORECASE)
            for patterns in patterns_by_kind.values()
            for p in patterns
        ]
    )


def _entity_at(tokens: list[Token], k: int, grammar: FigureGrammar) -> tuple[int, str] | None:
    """(length, category) of a counted noun at token k: a listed one, or a capitalised plural
    shaped like a demonym ("Tigrayans")."""
    matched = grammar.entities.match(tokens, k)
    if matched:
        return matched
    if (
        k < len(tokens)
        and grammar.demonym
        and grammar.demonym.match(tokens[k].text)
        and tokens[k].text not in grammar.provenance.places  # "Tunis" is a place
    ):
        return 1, grammar.demonym_category
    return None


@dataclass(slots=True)
class _Number:
    low: float
    high: float
    start: int  # token index of the first token
    end: int  # token index after the last token
    vague: bool = False
    weak: bool = False
    is_range: bool = False


class _Sentence:
    __slots__ = ("_tokens", "segment", "text")

    def __init__(self, text: str, segment: Segment):
        self.text = text
        self.segment = segment
        self._tokens: list[Token] | None = None

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = tokenize(self.text, self.segment.start, self.segment.end)
        return self._tokens


def extract_figures(
    text: str,
    content_lines: list[Segment],
    published: date | None,
    grammar: FigureGrammar,
    sentences: list[tuple[int, Segment]] | None = None,
) -> list[Figure]:
    """All figures in the content lines of one article, in text order; `sentences`, when the
    caller has split them already, are (line number, sentence) pairs of split_sentences."""
    reading = _Reading(text, content_lines, published, grammar, sentences)
    anchor = grammar.anchor.search
    by_sentence: list[list[Figure]] = []
    for index, sentence in enumerate(reading.sentences):
        found: list[Figure] = []
        # Sentences without anything number-like are skipped.
        if anchor(text, sentence.segment.start, sentence.segment.end):
            first = max(0, index - grammar.lookback)
            recent = [f for figures in by_sentence[first:index] for f in figures]
            earlier = reading.sentences[first:index]
            found = _sentence_figures(text, reading, index, earlier, recent, grammar)
        by_sentence.append(found)
    return [f for figures in by_sentence for f in figures]


def date_expressions(
    text: str, content_lines: list[Segment], published: date | None, grammar: FigureGrammar
) -> list[FoundDate]:
    """Every date expression of the article, resolved as the figures stage resolves them."""
    reading = _Reading(text, content_lines, published, grammar)
    return [found for i in range(len(reading.sentences)) for found in reading.dates(i)]


_QUOTES = ('"', "“", "”")


class _Reading:
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
    ):
        self.text, self.published, self.grammar = text, published, grammar
        if sentences is None:
            sentences = split_sentences(text, content_lines, grammar.splitter)
        self.sentences = [_Sentence(text, segment) for _, segment in sentences]
        self.paragraph_of = [paragraph for paragraph, _ in sentences]
        self._dates: dict[int, list[FoundDate]] = {}
        self._speakers: dict[int, str | None] = {}

    def dates(self, i: int) -> list[FoundDate]:
        """The date expressions of sentence i, resolved."""
        if i not in self._dates:
            segment = self.sentences[i].segment
            dates = self.grammar.dates
            if not dates.maybe_date.search(self.text, segment.start, segment.end):
                self._dates[i] = []
            else:
                # Only "a day earlier" needs the last date before it: most sentences don't.
                anchored = dates.anchored and dates.anchored.search(
                    self.text, segment.start, segment.end
                )
                previous = self.last_date_before(i) if anchored else None
                self._dates[i] = dates.expressions(
                    self.text, segment.start, segment.end, self.published, previous
                )
        return self._dates[i]

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
        if who is None and any(q in self.sentences[i].segment.of(self.text) for q in _QUOTES):
            paragraph = self.paragraph_of[i]
            same = [j for j, p in enumerate(self.paragraph_of) if p == paragraph]
            who = next((w for j in same if (w := self.own_speaker(j))), None)
        return who


def _sentence_figures(
    text: str,
    reading: _Reading,
    index: int,
    earlier: list[_Sentence],
    recent: list[Figure],
    grammar: FigureGrammar,
) -> list[Figure]:
    sentence = reading.sentences[index]
    tokens = sentence.tokens
    found = []
    i = 0
    starts = grammar.start_words
    while i < len(tokens):
        # Only a number, a number word or a qualifier can open a figure.
        if not tokens[i].is_number and tokens[i].lower not in starts:
            i += 1
            continue
        figure, resume = _figure_at(
            text, tokens, i, reading, index, earlier, recent + found, grammar
        )
        if figure is not None:
            found.append(figure)
        i = max(resume, i + 1)
    return found


def _figure_at(
    text: str,
    tokens: list[Token],
    i: int,
    reading: _Reading,
    index: int,
    earlier: list[_Sentence],
    recent: list[Figure],
    grammar: FigureGrammar,
) -> tuple[Figure | None, int]:
    sentence = reading.sentences[index]
    qualifier = None
    j = i
    matched = grammar.qualifiers.match(tokens, i)
    if matched:
        length, qualifier = matched
        j = i + length
    # Most candidate openings ("in", "a", "from", "as") open no number: a cheap test first.
    if not _may_open_number(tokens, j, grammar):
        return None, i + 1
    number = _range_between(tokens, j, grammar) or _quantity(tokens, j, grammar)
    if number is None:
        return None, i + 1
    if _ruled_out(text, tokens, number, grammar):
        return None, number.end
    if number.weak and qualifier is None and not number.is_range:
        return None, number.end

    k = number.end
    if k < len(tokens) and tokens[k].lower in grammar.post_number:
        k += 1
    entity = _entity_after(tokens, k, grammar)
    implied = entity is None
    if implied:
        if not _may_stand_alone(tokens, number, qualifier, k, grammar):
            return None, number.end
        end_token = k - 1
        event = _event(tokens, i, k, grammar)
        entity = _entity_before(tokens, i, earlier, recent, grammar, other=False)
        if entity is None and event is not None and grammar.default_entity:
            entity = grammar.default_entity, grammar.default_category
        entity = entity or _entity_before(tokens, i, earlier, recent, grammar, other=True)
        if entity is None:
            return None, number.end
        entity_text, category = entity
    else:
        entity_text, category, end_token = entity
        event = _event(tokens, i, end_token + 1, grammar)

    start = tokens[i].start
    end = tokens[end_token].end
    if number.is_range:
        kind = "range"
    elif number.vague:
        kind = "vague"
    else:
        kind = qualifier or "exact"
    when = reading.when(index)
    sentence_text = sentence.segment.of(text)
    affiliation = grammar.provenance.affiliation(text[start:end])
    category = grammar.provenance.category_of(affiliation, category)
    figure = Figure(
        char_start=start,
        char_end=end,
        span=text[start:end],
        value_low=round(number.low),
        value_high=round(number.high),
        qualifier=kind,
        entity=entity_text,
        entity_implied=implied,
        category=category,
        event=event,
        event_date=when.value if when else None,
        event_date_precision="day" if when and when.value else "unresolved",
        sentence=sentence_text,
        attribution=reading.speaker(index),
        place=grammar.provenance.place(sentence_text, start - sentence.segment.start),
        affiliation=affiliation,
    )
    return figure, end_token + 1


# -- numbers ------------------------------------------------------------------------------


def _may_open_number(tokens: list[Token], j: int, grammar: FigureGrammar) -> bool:
    """Token j could be the first of a number: a digit, a number word, the first word of a
    vague quantity, or a lead word ("a", "between") before one of those."""
    if j >= len(tokens):
        return False
    token = tokens[j]
    if token.is_number or token.lower in grammar.number_openers:
        return True
    return token.lower in grammar.lead_words and (
        _may_open_number(tokens, j + 1, grammar) or grammar.vague.match(tokens, j) is not None
    )


def _quantity(tokens: list[Token], j: int, grammar: FigureGrammar) -> _Number | None:
    """A number or vague quantity starting at token j, with a range after it if there is one."""
    vague = grammar.vague.match(tokens, j)
    if vague:
        length, (low, high) = vague
        return _Number(low, high, j, j + length, vague=True)
    first = _number(tokens, j, grammar)
    if first is None:
        return None
    connector = grammar.range_connectors.match(tokens, first.end)
    if connector:
        second = _number(tokens, first.end + connector[0], grammar)
        if second is not None and second.low > first.low:
            return _Number(first.low, second.low, j, second.end, is_range=True)
    return first


def _range_between(tokens: list[Token], j: int, grammar: FigureGrammar) -> _Number | None:
    """ "between 300 and 500", "from 300 to 500"."""
    joiner = grammar.range_frames.get(tokens[j].lower) if j < len(tokens) else None
    if joiner is None:
        return None
    first = _number(tokens, j + 1, grammar)
    if first is None or first.end >= len(tokens):
        return None
    if tokens[first.end].lower != joiner:
        return None
    second = _number(tokens, first.end + 1, grammar)
    if second is None or second.low <= first.low:
        return None
    return _Number(first.low, second.low, j, second.end, is_range=True)


def _number(tokens: list[Token], j: int, grammar: FigureGrammar) -> _Number | None:
    if j >= len(tokens):
        return None
    token = tokens[j]
    if token.is_number:
        # Decimal, not float: 4.1 x 1,000,000 must be exactly 4,100,000.
        value = Decimal(token.text.replace(",", ""))
        end = j + 1
        if token.suffix:
            if token.suffix not in grammar.digit_suffixes:
                return None
            value *= grammar.digit_suffixes[token.suffix]
        elif end < len(tokens) and tokens[end].lower in grammar.scales:
            value *= grammar.scales[tokens[end].lower]
            end += 1
        if value != value.to_integral_value():
            return None
        return _Number(float(value), float(value), j, end)
    return _number_words(tokens, j, grammar)


def _number_words(tokens: list[Token], j: int, grammar: FigureGrammar) -> _Number | None:
    """ "two hundred", "twenty-five", "a dozen", "two dozen", "a quarter of a million"."""
    total = 0.0
    current = 0.0
    numeric_words = 0
    k = j
    n = len(tokens)
    while k < n:
        word = tokens[k].lower
        nxt = tokens[k + 1].lower if k + 1 < n else ""
        if word in grammar.units and not tokens[k].is_number:
            current += grammar.units[word]
            numeric_words += 1
        elif word in grammar.scales:
            scale = grammar.scales[word]
            if scale < 1000:
                current = (current or 1) * scale
            else:
                total += (current or 1) * scale
                current = 0
            numeric_words += 1
        elif word in grammar.fractions and (
            numeric_words or k == j or tokens[k - 1].lower in grammar.articles
        ):
            current = (current or 1) * grammar.fractions[word]
            numeric_words += 1
        elif (
            word in grammar.articles
            and k == j
            and (nxt in grammar.scales or nxt in grammar.fractions)
        ):
            current = 1
        elif not _joins_number_words(tokens, j, k, numeric_words, grammar):
            break
        k += 1
    if not numeric_words:
        return None
    value = total + current
    if value != int(value) or (value <= 0 and tokens[j].lower not in grammar.units):
        return None
    weak = numeric_words == 1 and tokens[j].lower in grammar.weak
    return _Number(value, value, j, k, weak=weak)


def _joins_number_words(
    tokens: list[Token], j: int, k: int, numeric_words: int, grammar: FigureGrammar
) -> bool:
    """Glue inside a written number: "twenty-five", "two hundred and five", "a quarter of a
    million"."""
    word = tokens[k].lower
    previous = tokens[k - 1].lower if k > j else ""
    following = tokens[k + 1].lower if k + 1 < len(tokens) else ""
    if word == "-":
        return previous in grammar.tens and following in grammar.units
    if word == "and":
        return bool(numeric_words) and following in grammar.units
    if word in grammar.articles or word == "of":
        return (previous in grammar.fractions or previous == "of") and (
            following in grammar.scales or following in grammar.articles
        )
    return False


def _ruled_out(text: str, tokens: list[Token], number: _Number, grammar: FigureGrammar) -> bool:
    """The number is an age, duration, percentage, money, distance, date, time or id.

    Only the text of its own sentence counts ("in July. Tens of thousands" is no date)."""
    start = tokens[number.start].start
    end = tokens[number.end - 1].end
    reach = grammar.context_chars
    after = text[end : min(end + reach, tokens[-1].end)]
    before = text[max(tokens[0].start, start - reach) : start]
    # `after` patterns are tried only where the text after the number starts (a match, not a
    # search): a search would try every pattern at each of the `reach` positions.
    return bool(
        (grammar.not_after and grammar.not_after.match(after))
        or (grammar.not_before and grammar.not_before.search(before))
    )


def _after_cue_or_total(tokens: list[Token], start: int, grammar: FigureGrammar) -> bool:
    """The number is the object of an event verb ("wounded 180") or the value of a running
    total named just before it ("the death toll climbed to 1,774")."""
    for k in range(start - 1, max(-1, start - grammar.verb_before - 1), -1):
        cue = grammar.event_cues.match(tokens, k)
        if cue and k + cue[0] == start:
            return True
    for k in range(start - 1, max(-1, start - grammar.totals_window - 1), -1):
        if tokens[k].text in ".;:":
            break
        if grammar.totals.match(tokens, k):
            return True
    return False


def _may_stand_alone(
    tokens: list[Token], number: _Number, qualifier: str | None, k: int, grammar: FigureGrammar
) -> bool:
    """A number without a noun is a count only when something marks it as one."""
    token = tokens[number.start]
    if token.is_number and number.end - number.start == 1 and "," not in token.text:
        value = int(number.low)
        if grammar.year_low <= value <= grammar.year_high and len(token.text) == 4:
            return False
    if qualifier or number.vague or number.is_range or k > number.end:
        return True
    if _after_cue_or_total(tokens, number.start, grammar):
        return True
    for j in range(number.end, min(len(tokens), number.end + grammar.cue_window)):
        if grammar.event_cues.match(tokens, j):
            return True
        if not tokens[j].is_word:
            return False
    return False


# -- entities -----------------------------------------------------------------------------


def _entity_after(
    tokens: list[Token], k: int, grammar: FigureGrammar
) -> tuple[str, str, int] | None:
    """(entity text, category, index of its last token) of the noun a number counts."""
    n = len(tokens)
    partitive = k < n and tokens[k].lower == "of"
    if partitive:
        k += 1
    found = _listed_entity_after(tokens, k, grammar)
    if found is None and partitive:
        return _unlisted_noun(tokens, k, grammar)
    return found


def _unlisted_noun(
    tokens: list[Token], k: int, grammar: FigureGrammar
) -> tuple[str, str, int] | None:
    """The noun right after "of" when the vocabulary does not list it ("scores of looters"):
    it is still what is counted, with category `other` until the vocabulary says better.
    Taken as the first lower-case plural among the next few words."""
    for j in range(k, min(k + grammar.unlisted_noun_words, len(tokens))):
        token = tokens[j]
        if not token.is_word or token.lower in grammar.entity_stops:
            return None
        if grammar.event_cues.match(tokens, j):
            return None
        if token.text.islower() and token.text.endswith("s"):
            return token.text, "other", j
    return None


def _listed_entity_after(
    tokens: list[Token], k: int, grammar: FigureGrammar
) -> tuple[str, str, int] | None:
    n = len(tokens)
    words = 0
    while k < n and words <= grammar.entity_max_words:
        head = _head_noun(tokens, k, grammar)
        if head:
            return _entity_list(tokens, k, head[0], head[1], grammar)
        token = tokens[k]
        if token.is_word:
            if token.lower in grammar.entity_stops and not token.text.isupper():
                return None
            cue = grammar.event_cues.match(tokens, k)
            # An event word ends the search unless it is an adjective of the noun that
            # follows ("53 seriously wounded soldiers", "trapped civilians").
            if cue and not grammar.entities.match(tokens, k + cue[0]):
                return None
            words += 1
        elif token.text not in "()'’-":
            return None
        k += 1
    return None


def _head_noun(tokens: list[Token], k: int, grammar: FigureGrammar) -> tuple[int, str] | None:
    """(last token, category) of the counted noun starting at k. In a compound the last noun
    is the head: "American service members", "Rohingya refugees", "Iraqi soldiers"."""
    matched = _entity_at(tokens, k, grammar)
    if not matched:
        return None
    last, category = k + matched[0] - 1, matched[1]
    while (following := _entity_at(tokens, last + 1, grammar)) is not None:
        last, category = last + following[0], following[1]
    return last, category


def _entity_list(
    tokens: list[Token], first: int, last: int, category: str, grammar: FigureGrammar
) -> tuple[str, str, int]:
    """Extend a noun into a list: "fighters, children and women", "fighters and their relatives"."""
    categories = {category}
    n = len(tokens)
    k = last + 1
    while k < n and tokens[k].lower in grammar.list_joiners:
        m = k + 1
        if m < n and tokens[m].lower in grammar.list_joiners:
            m += 1
        while m < n and tokens[m].lower in grammar.list_fillers:
            m += 1
        # "180 militants, Doctors Without Borders said": a capitalised word after a comma
        # starts a name, not another item of the list.
        if tokens[k].text == "," and tokens[m].text.istitle():
            break
        head = _head_noun(tokens, m, grammar)
        if not head:
            break
        last, item_category = head
        categories.add(item_category)
        k = last + 1
    entity = tokens[first].text if first == last else _slice_text(tokens, first, last)
    return entity, category if len(categories) == 1 else grammar.mixed_category, last


def _slice_text(tokens: list[Token], first: int, last: int) -> str:
    parts = [tokens[first].text]
    for k in range(first + 1, last + 1):
        gap = " " if tokens[k].start > tokens[k - 1].end else ""
        parts.append(gap + tokens[k].text)
    return "".join(parts)


def _entity_before(
    tokens: list[Token],
    i: int,
    earlier: list[_Sentence],
    recent: list[Figure],
    grammar: FigureGrammar,
    other: bool,
) -> tuple[str, str] | None:
    """The counted noun a bare number refers back to: what the last figure before it
    counted ("276 girls ... Fifty-seven managed to escape"), else the closest counted noun
    before it, skipping nouns of category `other` unless `other` is allowed."""
    if recent and recent[-1].entity:
        return recent[-1].entity, recent[-1].category
    for candidate_tokens, stop in [
        (tokens, i),
        *((s.tokens, len(s.tokens)) for s in reversed(earlier)),
    ]:
        for k in range(stop - 1, -1, -1):
            matched = _entity_at(candidate_tokens, k, grammar)
            if matched and k + matched[0] <= stop and (other or matched[1] != "other"):
                last = k + matched[0] - 1
                return _slice_text(candidate_tokens, k, last), matched[1]
    return None


# -- events -------------------------------------------------------------------------------


def _event(tokens: list[Token], start: int, end: int, grammar: FigureGrammar) -> str | None:
    """The event cue nearest the figure: after it (the figure as subject) or before it; with
    none near, what the span's own words say ("thousands of bodies", "76 wounded
    Palestinians")."""
    return _event_cue(tokens, start, end, grammar) or _event_in_span(tokens, start, end, grammar)


def _event_in_span(tokens: list[Token], start: int, end: int, grammar: FigureGrammar) -> str | None:
    for k in range(start, end):
        matched = grammar.entity_events.match(tokens, k) or grammar.event_cues.match(tokens, k)
        if matched and k + matched[0] <= end:
            return matched[1]
    return None


def _event_cue(tokens: list[Token], start: int, end: int, grammar: FigureGrammar) -> str | None:
    best: tuple[int, str] | None = None
    words = 0
    for k in range(end, len(tokens)):
        if tokens[k].lower in grammar.event_stops:
            break
        matched = grammar.event_cues.match(tokens, k)
        if matched and grammar.entities.match(tokens, k + matched[0]):
            matched = None  # an adjective of a noun ("wounded Palestinians"), not the verb
        if matched:
            best = (words, matched[1])
            break
        if tokens[k].is_word:
            words += 1
            if words > grammar.event_after:
                break
    words = 0
    for k in range(start - 1, -1, -1):
        matched = grammar.event_cues.match(tokens, k)
        if matched and k + matched[0] <= start:
            if best is None or words < best[0]:
                best = (words, matched[1])
            break
        if tokens[k].is_word:
            words += 1
            if words > grammar.event_before:
                break
    return best[1] if best else None
