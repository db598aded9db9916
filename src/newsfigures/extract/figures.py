"""Figures stage: every count of people or things an article reports.

The grammar is read from config/vocabulary.yml; this module is the engine that applies it:

    [qualifier] NUMBER [range] [more] [of [the]] [modifiers] NOUN [, NOUN and NOUN]

A NUMBER is digits ("1,500", "1.5 million", "300K"), number words ("two hundred", "a dozen",
"a quarter of a million") or a vague quantity ("dozens", "tens of thousands"). Text touching
the number that makes it an age, duration, percentage, proportion, amount of money, distance,
date, time or identifier rules it out. With no noun after it, a number is a count when a form
of words marks it as one (extract/forms.py: "120 of them women", "a family of six", a list
under a heading) or its context does (a qualifier, an event cue, a running total), and takes
the noun it refers back to ("around 1,000 may still be holding out" -> fighters). The nearest event
cue in the sentence gives the event, and the sentence's date the event date.

Sentences are tokenised only when a cheap anchor pattern finds something number-like in
them: most sentences of an article carry no figure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from newsfigures.extract.counted import implied_entity, marked_event
from newsfigures.extract.dates import FoundDate
from newsfigures.extract.entities import entity_after
from newsfigures.extract.events import sentence_events
from newsfigures.extract.forms import marked_count
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.numbers import (
    Number,
    looks_like_year,
    may_open_number,
    may_stand_alone,
    qualified_range,
    quantity,
    range_between,
    ruled_out,
    total_before,
)
from newsfigures.extract.reading import Reading, Sentence
from newsfigures.extract.text import Segment
from newsfigures.extract.tokens import Token

UNRESOLVED = "unresolved"


# Not frozen: the sentence's reading sets the final event and category in place (a copy of
# every figure costs more than the role engine saves).
@dataclass(slots=True)
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


def figure_id(doc_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


def extract_figures(
    text: str,
    content_lines: list[Segment],
    published: date | None,
    grammar: FigureGrammar,
    sentences: list[tuple[int, Segment]] | None = None,
    published_at: int | None = None,
) -> list[Figure]:
    """All figures in the content lines of one article, in text order; `sentences`, when the
    caller has split them already, are (line number, sentence) pairs of split_sentences."""
    reading = Reading(text, content_lines, published, grammar, sentences, published_at)
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
    reading = Reading(text, content_lines, published, grammar)
    return [found for i in range(len(reading.sentences)) for found in reading.dates(i)]


def _sentence_figures(
    text: str,
    reading: Reading,
    index: int,
    earlier: list[Sentence],
    recent: list[Figure],
    grammar: FigureGrammar,
) -> list[Figure]:
    sentence = reading.sentences[index]
    tokens = sentence.tokens
    found: list[Figure] = []
    spans: list[tuple[int, int]] = []
    given: list[str | None] = []
    i = 0
    starts = grammar.start_words
    while i < len(tokens):
        # Only a number, a number word or a qualifier can open a figure.
        if not tokens[i].is_number and tokens[i].lower not in starts:
            i += 1
            continue
        figure, counted, resume = _figure_at(
            text, tokens, i, reading, index, earlier, recent + found, grammar
        )
        if figure is not None and counted is not None:
            found.append(figure)
            spans.append((counted.start_token, resume))
            given.append(counted.given_event)
        i = max(resume, i + 1)
    # The event of each figure, once all of the sentence's figures are known (a count's verb
    # may stand past another: "320 foreign passport holders and 76 wounded Palestinians crossed").
    categories = [f.category for f in found]
    before = recent[-1] if recent else None
    read = sentence_events(
        tokens, spans, categories, grammar, before.event if before else None, given
    )
    previous = before
    for figure, (event, part) in zip(found, read, strict=True):
        figure.event = event
        # A part of a count ("among them 17 civilians") counted as mere people shares the
        # whole's category ("13 soldiers ..., among them nine South Africans").
        if part and previous is not None and figure.category == grammar.mixed_category:
            figure.category = previous.category
        # ... and the whole's day when it has one: "42 people ... were freed on Saturday, among
        # them 27 schoolboys" (a date nearer the part may date something else); a part of a
        # count over a period keeps its own ("3,200 so far, including 1,100 on Tuesday").
        same_sentence = previous is not None and previous is not before
        if part and same_sentence and previous.event == event and previous.event_date:
            figure.event_date = previous.event_date
            figure.event_date_precision = previous.event_date_precision
        previous = figure
    return found


@dataclass(slots=True)
class _Counted:
    """What a number counts, where its span ends, and what happened to it."""

    entity: str
    category: str
    end_token: int
    event: str | None
    implied: bool
    # Where the span starts: the number's opening token, or the words before it that mark it
    # as a count ("a family of six").
    start_token: int
    # The event the form of words gives, whatever the words around say: the heading's of a
    # count listed under it, `previous` for a verbless part of the count before it.
    given_event: str | None = None


def _figure_at(
    text: str,
    tokens: list[Token],
    i: int,
    reading: Reading,
    index: int,
    earlier: list[Sentence],
    recent: list[Figure],
    grammar: FigureGrammar,
) -> tuple[Figure | None, _Counted | None, int]:
    found = _number_at(text, tokens, i, grammar)
    if isinstance(found, int):
        return None, None, found
    qualifier, number = found
    counted = _counted(tokens, i, number, qualifier, earlier, recent, grammar)
    if counted is None:
        return None, None, number.end
    figure = _figure(text, tokens, i, reading, index, number, qualifier, counted, grammar)
    return figure, counted, counted.end_token + 1


def _number_at(
    text: str, tokens: list[Token], i: int, grammar: FigureGrammar
) -> tuple[str | None, Number] | int:
    """The qualifier and number opening at token i, or the token to resume from."""
    qualifier = None
    j = i
    matched = grammar.qualifiers.match(tokens, i)
    if matched:
        length, qualifier = matched
        j = i + length
    # Most candidate openings ("in", "a", "from", "as") open no number: a cheap test first.
    if not may_open_number(tokens, j, grammar):
        return i + 1
    number = range_between(tokens, j, grammar) or quantity(tokens, j, grammar)
    if number is None:
        return i + 1
    if qualifier == grammar.range_low and not number.is_range:
        # "at least 70 and as many as 90": one range.
        number = qualified_range(tokens, number, grammar) or number
    if ruled_out(text, tokens, number, grammar):
        return number.end
    if number.weak and qualifier is None and not number.is_range:
        return number.end
    return qualifier, number


def _counted(
    tokens: list[Token],
    i: int,
    number: Number,
    qualifier: str | None,
    earlier: list[Sentence],
    recent: list[Figure],
    grammar: FigureGrammar,
) -> _Counted | None:
    """The noun after the number, else (for a number a form of words or its context marks
    as a count) what it refers to, or a default for a count an event marks; None when it
    counts nothing."""
    k = number.end
    if k < len(tokens) and tokens[k].lower in grammar.post_number:
        k += 1
    entity = entity_after(tokens, k, grammar)
    if entity is not None:
        entity_text, category, end_token = entity
        return _Counted(entity_text, category, end_token, None, False, i)
    marked = None
    if not looks_like_year(tokens, number, grammar):
        marked = marked_count(tokens, i, number, k, earlier, grammar)
    if marked is None and not may_stand_alone(tokens, number, qualifier, k, grammar):
        return None
    first, end = (marked.first_token, marked.last_token + 1) if marked else (i, k)
    total = None if marked else total_before(tokens, number.start, grammar)
    # What happened to the count decides what it may refer back to (the sentence's other
    # figures are not known yet: its final event is read once they are).
    event = marked_event(tokens, i, end, marked, total, recent, grammar)
    given = marked and (marked.event or ("previous" if marked.part_of_last else None))
    if marked and marked.entity and marked.category:
        return _Counted(marked.entity, marked.category, end - 1, event, False, first, given)
    if _counts_a_population(tokens, i, grammar):
        default = grammar.default_entity, grammar.default_category
        return _Counted(*default, end - 1, event, True, first, given)
    implied = implied_entity(tokens, i, total, event, earlier, recent, grammar)
    if implied is None:
        return None
    return _Counted(implied[0], implied[1], end - 1, event, True, first, given)


def _counts_a_population(tokens: list[Token], i: int, grammar: FigureGrammar) -> bool:
    """ "a town of about 40,000", "a population of 75,000": the place's people."""
    return (
        i >= 2 and tokens[i - 1].lower == "of" and tokens[i - 2].lower in grammar.population_nouns
    )


def _figure(
    text: str,
    tokens: list[Token],
    i: int,
    reading: Reading,
    index: int,
    number: Number,
    qualifier: str | None,
    counted: _Counted,
    grammar: FigureGrammar,
) -> Figure:
    sentence = reading.sentences[index]
    last = tokens[counted.end_token]
    # A number's scale suffix ("300K") is part of the span, though not of the number's text.
    start, end = tokens[counted.start_token].start, last.end + len(last.suffix or "")
    if number.is_range:
        kind = "range"
    elif number.vague:
        kind = "vague"
    else:
        kind = qualifier or "exact"
    segment = sentence.segment
    candidates, marks = reading.event_days(index)
    when = grammar.event_dates.day_of(
        text, (segment.start, segment.end), (start, end), candidates, marks
    )
    # "its own fighters": the group named before the figure, for a count of forces only.
    forces = counted.category in grammar.provenance.group_category_applies_to
    before = text[sentence.segment.start : start] if forces else ""
    affiliation = grammar.provenance.affiliation(text[start:end], before)
    return Figure(
        char_start=start,
        char_end=end,
        span=text[start:end],
        value_low=round(number.low),
        value_high=round(number.high),
        qualifier=kind,
        entity=counted.entity,
        entity_implied=counted.implied,
        category=grammar.provenance.category_of(affiliation, counted.category),
        event=counted.event,
        event_date=when.value if when else None,
        event_date_precision="day" if when and when.value else UNRESOLVED,
        sentence=sentence.content,
        attribution=reading.speaker(index),
        place=grammar.provenance.place(sentence.content, start - sentence.segment.start),
        affiliation=affiliation,
    )
