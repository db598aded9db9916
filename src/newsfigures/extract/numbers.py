"""Numbers in a sentence's tokens: digits, number words, vague quantities and ranges, and
the context that rules a number out (an age, a date, money) or marks a bare one as a count."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.tokens import PhraseTable, Token


@dataclass(slots=True)
class Number:
    low: float
    high: float
    start: int  # token index of the first token
    end: int  # token index after the last token
    vague: bool = False
    weak: bool = False
    is_range: bool = False


def may_open_number(tokens: list[Token], j: int, grammar: FigureGrammar) -> bool:
    """Token j could be the first of a number: a digit, a number word, the first word of a
    vague quantity, or a lead word ("a", "between") before one of those."""
    if j >= len(tokens):
        return False
    token = tokens[j]
    if token.is_number or token.lower in grammar.number_openers:
        return True
    return token.lower in grammar.lead_words and (
        may_open_number(tokens, j + 1, grammar) or grammar.vague.match(tokens, j) is not None
    )


def quantity(tokens: list[Token], j: int, grammar: FigureGrammar) -> Number | None:
    """A number or vague quantity starting at token j, with a range after it if there is one."""
    vague = grammar.vague.match(tokens, j)
    if vague:
        length, (low, high) = vague
        return Number(low, high, j, j + length, vague=True)
    first = _number(tokens, j, grammar)
    if first is None:
        return None
    connector = grammar.range_connectors.match(tokens, first.end)
    if connector:
        second = _number(tokens, first.end + connector[0], grammar)
        if second is not None and second.low > first.low:
            return Number(first.low, second.low, j, second.end, is_range=True)
    return first


def qualified_range(tokens: list[Token], first: Number, grammar: FigureGrammar) -> Number | None:
    """ "at least 70 and as many as 90": a lower bound, a joiner, and an upper bound with its
    own qualifier; `first` is the lower bound's number."""
    joiner = grammar.range_joiners.match(tokens, first.end)
    if joiner is None:
        return None
    k = first.end + joiner[0]
    qualifier = grammar.qualifiers.match(tokens, k)
    if qualifier is None or qualifier[1] != grammar.range_high:
        return None
    second = _number(tokens, k + qualifier[0], grammar)
    if second is None or second.low <= first.high:
        return None
    return Number(first.low, second.low, first.start, second.end, is_range=True)


def range_between(tokens: list[Token], j: int, grammar: FigureGrammar) -> Number | None:
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
    return Number(first.low, second.low, j, second.end, is_range=True)


def _number(tokens: list[Token], j: int, grammar: FigureGrammar) -> Number | None:
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
        return Number(float(value), float(value), j, end)
    return _number_words(tokens, j, grammar)


def _number_words(tokens: list[Token], j: int, grammar: FigureGrammar) -> Number | None:
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
    return Number(value, value, j, k, weak=weak)


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


def ruled_out(text: str, tokens: list[Token], number: Number, grammar: FigureGrammar) -> bool:
    """The number is an age, duration, percentage, money, distance, date, time or id.

    Only the text of its own sentence counts ("in July. Tens of thousands" is no date)."""
    start = tokens[number.start].start
    end = tokens[number.end - 1].end
    reach = grammar.context_chars
    limit = tokens[-1].end
    after = text[end : min(end + reach, limit)]
    before = text[max(tokens[0].start, start - reach) : start]
    # `after` and `at` patterns are tried only where their text starts (a match, not a
    # search): a search would try every pattern at each of the `reach` positions.
    return bool(
        (grammar.not_after and grammar.not_after.match(after))
        or (grammar.not_before and grammar.not_before.search(before))
        or (grammar.not_at and grammar.not_at.match(text[start : min(start + reach, limit)]))
    )


def _after_cue_or_total(tokens: list[Token], start: int, grammar: FigureGrammar) -> bool:
    """The number is the object of an event verb ("wounded 180"), an earlier value of the
    count before it ("up from 796"), or the value of a running total named before it ("the
    death toll climbed to 1,774")."""
    return (
        _ends_at(grammar.event_cues, tokens, start, grammar.verb_before, verbs=True)
        or _ends_at(grammar.earlier_value, tokens, start, grammar.earlier_value_longest)
        or total_before(tokens, start, grammar) is not None
    )


def _ends_at(
    table: PhraseTable, tokens: list[Token], start: int, longest: int, verbs: bool = False
) -> bool:
    """A phrase of `table` ends right before token `start`."""
    for k in range(start - 1, max(-1, start - longest - 1), -1):
        found = table.match(tokens, k)
        # A capitalised word inside the sentence is a name ("call sign Reach 871"), not a verb.
        if verbs and k > 0 and tokens[k].text[0].isupper():
            continue
        if found and k + found[0] == start:
            return True
    return False


def total_before(tokens: list[Token], start: int, grammar: FigureGrammar) -> tuple[int, int] | None:
    """The first token of the name of the running total whose value the number at `start`
    is ("the death toll climbed to 1,774"), and the token after it; None without one."""
    # The value a total came to ("has risen to 1,136") may stand further from the total's name.
    value = start > 0 and tokens[start - 1].lower in grammar.totals_value_words
    window = grammar.totals_value_window if value else grammar.totals_window
    for k in range(start - 1, max(-1, start - window - 1), -1):
        if tokens[k].text in ".;:":
            break
        total = grammar.totals.match(tokens, k)
        if total:
            return k, k + total[0]
    return None


def looks_like_year(tokens: list[Token], number: Number, grammar: FigureGrammar) -> bool:
    """Four bare digits in the year range ("in 2019"), read as a year when no noun follows."""
    token = tokens[number.start]
    if token.is_number and number.end - number.start == 1 and "," not in token.text:
        value = int(number.low)
        return grammar.year_low <= value <= grammar.year_high and len(token.text) == 4
    return False


def may_stand_alone(
    tokens: list[Token], number: Number, qualifier: str | None, k: int, grammar: FigureGrammar
) -> bool:
    """A number without a noun is a count only when something marks it as one."""
    if looks_like_year(tokens, number, grammar):
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
