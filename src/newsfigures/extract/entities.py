"""What a number counts: the noun after it ("200 Daesh fighters"), a list of nouns ("men,
women and children"), or the noun a bare number refers back to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.tokens import Token

if TYPE_CHECKING:
    from newsfigures.extract.figures import Figure
    from newsfigures.extract.reading import Sentence


def entity_at(tokens: list[Token], k: int, grammar: FigureGrammar) -> tuple[int, str] | None:
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


def entity_after(
    tokens: list[Token], k: int, grammar: FigureGrammar
) -> tuple[str, str, int] | None:
    """(entity text, category, index of its last token) of the noun a number counts."""
    n = len(tokens)
    partitive = k < n and tokens[k].lower == "of"
    if partitive:
        k += 1
    found = listed_entity_after(tokens, k, grammar)
    if found is None and partitive:
        return _unlisted_noun(tokens, k, grammar)
    return found


def noun_at(tokens: list[Token], k: int, grammar: FigureGrammar) -> tuple[str, str, int] | None:
    """(entity text, category, index of its last token) of a counted noun, or a list of them,
    opening exactly at token k ("women and children" in "120 of them women and children")."""
    head = _head_noun(tokens, k, grammar)
    return _entity_list(tokens, k, head[0], head[1], grammar) if head else None


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


def listed_entity_after(
    tokens: list[Token], k: int, grammar: FigureGrammar
) -> tuple[str, str, int] | None:
    """The listed noun at or after token k, past its modifiers ("Some 200 Daesh fighters")."""
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
        elif token.text not in grammar.entity_marks:
            return None
        k += 1
    return None


def _head_noun(tokens: list[Token], k: int, grammar: FigureGrammar) -> tuple[int, str] | None:
    """(last token, category) of the counted noun starting at k. In a compound the last noun
    is the head: "American service members", "Rohingya refugees", "Iraqi soldiers"."""
    matched = entity_at(tokens, k, grammar)
    if not matched:
        return None
    last, category = k + matched[0] - 1, matched[1]
    while (following := entity_at(tokens, last + 1, grammar)) is not None:
        last, category = last + following[0], following[1]
    # "members of the Vermont National Guard" count what they are members of.
    member = last + 2 < len(tokens) and tokens[last + 1].lower == "of"
    if member and grammar.member_nouns.match(tokens, last):
        whole = listed_entity_after(tokens, last + 2, grammar)
        if whole is not None:
            return whole[2], whole[1]
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
        # A list counts people or things, never both: "1,500 soldiers and several helicopters"
        # are two counts.
        if not head or _is_person(head[1], grammar) != _is_person(category, grammar):
            break
        last, item_category = head
        categories.add(item_category)
        k = last + 1
    entity = tokens[first].text if first == last else slice_text(tokens, first, last)
    return entity, category if len(categories) == 1 else grammar.mixed_category, last


def _is_person(category: str, grammar: FigureGrammar) -> bool:
    return category in grammar.person_categories


def slice_text(tokens: list[Token], first: int, last: int) -> str:
    parts = [tokens[first].text]
    for k in range(first + 1, last + 1):
        gap = " " if tokens[k].start > tokens[k - 1].end else ""
        parts.append(gap + tokens[k].text)
    return "".join(parts)


def entity_before(
    tokens: list[Token],
    i: int,
    earlier: list[Sentence],
    recent: list[Figure],
    grammar: FigureGrammar,
    other: bool,
    people_only: bool = False,
) -> tuple[str, str] | None:
    """The counted noun a bare number refers back to: what the last figure before it
    counted ("276 girls ... Fifty-seven managed to escape"), else the closest counted noun
    before it, skipping nouns of category `other` unless `other` is allowed, and any that
    is not people when what happened to the count happens to people (`people_only`: a count
    of wounded never refers back to helicopters)."""

    def fits(category: str) -> bool:
        return (other or category != "other") and (
            not people_only or category in grammar.person_categories
        )

    if recent and recent[-1].entity and fits(recent[-1].category):
        return recent[-1].entity, recent[-1].category
    for candidate_tokens, stop in [
        (tokens, i),
        *((s.tokens, len(s.tokens)) for s in reversed(earlier)),
    ]:
        for k in range(stop - 1, -1, -1):
            matched = entity_at(candidate_tokens, k, grammar)
            if matched and k + matched[0] <= stop and fits(matched[1]):
                last = k + matched[0] - 1
                return slice_text(candidate_tokens, k, last), matched[1]
    return None
