"""What happened to the counted: the event of the count's own verb or noun, by the declared
roles (roles.py), else what the figure's own words say, else the event cue nearest it."""

from __future__ import annotations

from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.roles import SentenceFigures
from newsfigures.extract.tokens import Token


def sentence_events(
    tokens: list[Token],
    spans: list[tuple[int, int]],
    categories: list[str],
    grammar: FigureGrammar,
    before: str | None = None,
    given: list[str | None] | None = None,
) -> list[tuple[str | None, bool]]:
    """The event of each figure of a sentence ([start, end) token spans, in order, and the
    category of each), and whether it counts part of the figure before it; `before` is the
    event of the last figure before the sentence (a role may take it: "They comprise 233
    men, ..."); `given`, the event a figure's form of words gives, if any (a heading's, or
    `previous`), over what the words around it say."""
    sentence = SentenceFigures(tokens, dict(spans))
    found: list[tuple[str | None, bool]] = []
    for index, ((start, end), category) in enumerate(zip(spans, categories, strict=True)):
        if given and given[index] is not None:
            event = given[index]
            if event == "previous":
                found.append((found[-1][0] if found else before, True))
            else:
                found.append((event, False))
            continue
        own = _event_in_span(tokens, start, end, grammar)
        matched = None
        if own not in grammar.entity_first:
            matched = grammar.roles.event(sentence, start, end, category)
        if matched is None and own is None:
            matched = grammar.roles.event(sentence, start, end, category, after_own_words=True)
        if matched is None:
            found.append((own or _event_cue(tokens, start, end, grammar), False))
            continue
        role, event = matched
        if event == "previous":
            event = found[-1][0] if found else before
        found.append((None if event == "none" else event, role.part_of_previous))
    return found


def provisional_event(
    tokens: list[Token], start: int, end: int, grammar: FigureGrammar
) -> str | None:
    """The event of a figure read alone, before the sentence's other figures are known."""
    [(event, _)] = sentence_events(tokens, [(start, end)], [grammar.default_category], grammar)
    return event


def figure_event(tokens: list[Token], start: int, end: int, grammar: FigureGrammar) -> str | None:
    """The event cue nearest the figure: after it (the figure as subject) or before it; with
    none near, what the span's own words say ("thousands of bodies", "76 wounded
    Palestinians")."""
    return _event_cue(tokens, start, end, grammar) or _event_in_span(tokens, start, end, grammar)


def _event_in_span(tokens: list[Token], start: int, end: int, grammar: FigureGrammar) -> str | None:
    for k in range(start, end):
        matched = grammar.entity_events.match(tokens, k)
        # A cue word that opens a counted noun names it, not its event ("rescue workers").
        if not matched and not grammar.entities.match(tokens, k):
            matched = grammar.event_cues.match(tokens, k)
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
