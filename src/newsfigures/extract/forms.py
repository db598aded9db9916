"""Numbers a form of words marks as counts though no counted noun follows them: sub-counts
("120 of them women", "90 of the roughly 200 people"), predicate nouns ("386 were children"),
collectives ("a family of six") and lists under a heading ("Deaths by district: Blantyre
City (117), Chiradzulu (41)"). Each form's words are declared in config/vocabulary.yml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsfigures.extract.entities import entity_after, listed_entity_after, noun_at
from newsfigures.extract.events import figure_event
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.numbers import Number, may_open_number, quantity
from newsfigures.extract.tokens import Token

if TYPE_CHECKING:
    from newsfigures.extract.reading import Sentence


@dataclass(slots=True)
class Marked:
    """What a marked number counts (`entity` None: what the context counts), the tokens its
    span runs over, the event of the heading it is listed under, and whether it is a part of
    the group the figure before it counted ("300 people, 120 of them women")."""

    entity: str | None
    category: str | None
    first_token: int
    last_token: int
    event: str | None = None
    part_of_last: bool = False


def marked_count(
    tokens: list[Token],
    i: int,
    number: Number,
    k: int,
    earlier: list[Sentence],
    grammar: FigureGrammar,
) -> Marked | None:
    """The form marking the number opening at token i (its qualifier included) as a count;
    k is the token after the number."""
    return (
        _sub_count(tokens, i, k, grammar)
        or _predicate(tokens, i, k, k - 1, grammar)
        or _collective(tokens, i, number, grammar)
        or _listed_under_heading(tokens, number, earlier, grammar)
    )


def _sub_count(tokens: list[Token], i: int, k: int, grammar: FigureGrammar) -> Marked | None:
    """ "120 of them women", "Thirteen of them", "Four of them are children"."""
    if k + 1 >= len(tokens) or tokens[k].lower != "of":
        return None
    word = tokens[k + 1].lower
    if word in grammar.partitive_articles:
        return _of_the(tokens, i, k, k + 2, grammar)
    if word not in grammar.partitive_pronouns:
        return None
    pronoun = k + 1
    # Only a noun right after the pronoun is the sub-count's own: "300 of them aboard the
    # ferry" counts people, not ferries.
    noun = noun_at(tokens, pronoun + 1, grammar)
    found = (
        Marked(noun[0], noun[1], i, noun[2])
        if noun
        else _predicate(tokens, i, pronoun + 1, pronoun, grammar) or Marked(None, None, i, pronoun)
    )
    # With no verb of its own ("39 prisoners, 24 of them women and 15 teenagers") the
    # sub-count shares what happened to the group.
    after = found.last_token + 1
    found.part_of_last = after >= len(tokens) or (
        not tokens[after].is_word or tokens[after].lower in grammar.list_joiners
    )
    return found


def _of_the(tokens: list[Token], i: int, k: int, j: int, grammar: FigureGrammar) -> Marked | None:
    """ "90 of the roughly 200 people" (the group's own number and noun: the span stays on
    the first number, the group is a figure of its own) and "Twelve of the most seriously
    injured" (a participle used as a noun); j is the token after the article."""
    n = len(tokens)
    qualifier = grammar.qualifiers.match(tokens, j)
    m = j + qualifier[0] if qualifier else j
    if may_open_number(tokens, m, grammar):
        group = quantity(tokens, m, grammar)
        noun = entity_after(tokens, group.end, grammar) if group else None
        return Marked(noun[0], noun[1], i, k - 1) if noun else None
    for p in range(j, min(n, j + grammar.entity_max_words + 1)):
        if not tokens[p].is_word or tokens[p].lower in grammar.entity_stops:
            return None
        cue = grammar.event_cues.match(tokens, p)
        if cue:
            after = p + cue[0]
            # The participle ends the phrase ("injured were"), else it describes a noun.
            if (
                after < n
                and tokens[after].is_word
                and tokens[after].lower not in grammar.entity_stops
            ):
                return None
            words = " ".join(t.text for t in tokens[p:after])
            return Marked(words, grammar.default_category, i, after - 1)
    return None


def _predicate(
    tokens: list[Token], i: int, k: int, last: int, grammar: FigureGrammar
) -> Marked | None:
    """ "386 were children": a noun after a copula names what the number counts; the span
    ends at `last`."""
    if k >= len(tokens) or tokens[k].lower not in grammar.predicate_verbs:
        return None
    noun = listed_entity_after(tokens, k + 1, grammar)
    return Marked(noun[0], noun[1], i, last) if noun else None


def _collective(
    tokens: list[Token], i: int, number: Number, grammar: FigureGrammar
) -> Marked | None:
    """ "a family of six", "the group of 17": the members of the collective named before."""
    if i < 2 or tokens[i - 1].lower != "of" or tokens[i - 2].lower not in grammar.collectives:
        return None
    noun = i - 2
    first = noun - 1 if noun > 0 and tokens[noun - 1].lower in grammar.articles else noun
    listed = grammar.entities.match(tokens, noun)
    if listed and listed[0] == 1:
        return Marked(tokens[noun].text, listed[1], first, number.end - 1)
    return Marked(None, None, first, number.end - 1)


def _listed_under_heading(
    tokens: list[Token], number: Number, earlier: list[Sentence], grammar: FigureGrammar
) -> Marked | None:
    """ "Deaths by district: Blantyre City (117), ...", "Migrants: 1,200 land on ...": a
    number between the item marks or right after the heading mark counts what the heading
    names, and what happened to it is what the heading says."""
    start, end = number.start, number.end
    if start == 0:
        return None
    opening = tokens[start - 1].text
    bracketed = (
        opening == grammar.item_open
        and end < len(tokens)
        and tokens[end].text == grammar.item_close
    )
    if not bracketed and opening not in grammar.heading_marks:
        return None
    heading = _heading(tokens, start, earlier, grammar)
    if not heading:
        return None
    event = figure_event(heading, 0, len(heading), grammar)
    nouns = [found for k in range(len(heading)) if (found := noun_at(heading, k, grammar))]
    # The heading's first counted noun ("Cadres who surrendered, by outfit"); a noun of
    # category `other` only when the heading names no one and no event ("Deaths by district"
    # counts people, not districts).
    named = next(((n[0], n[1]) for n in nouns if n[1] != "other"), None)
    if named is None and event is not None and grammar.default_entity is not None:
        named = grammar.default_entity, grammar.default_category
    if named is None and nouns:
        named = nouns[0][0], nouns[0][1]
    return Marked(named[0], named[1], start, end - 1, event) if named else None


def _heading(
    tokens: list[Token], start: int, earlier: list[Sentence], grammar: FigureGrammar
) -> list[Token] | None:
    """The heading before token `start`: the sentence's text before its last heading mark,
    else the sentence before it when that ends with the mark (a heading line of its own)."""
    for k in range(start - 1, -1, -1):
        if tokens[k].text in grammar.heading_marks:
            return tokens[:k]
    if earlier:
        previous = earlier[-1].tokens
        if previous and previous[-1].text in grammar.heading_marks:
            return previous[:-1]
    return None
