"""Role patterns: the words a count stands among, matched as word classes.

A pattern is declared in config/vocabulary.yml (`events.roles`) as a line of slots around
COUNT, the figure's own span:

    "EVENT ADVERB* COUNT"                             the count as object ("evacuated nearly 5,000")
    "COUNT FIGURE* PARTITIVE? RELATIVE? VERBAL* EVENT" the count as subject ("40 people were killed")
    "pulled COUNT from"                               a frame with its event declared beside it

A slot is COUNT; EVENT (an event cue, which gives the event); FIGURE (another figure of the
sentence: forwards the figure itself, backwards the figure with the word that joins it, "and
76 wounded Palestinians"); GAP (a few words that cross no clause boundary and no other
figure); an upper-case word class declared in `events.word_classes`; or a lower-case word,
itself; a class may hold "*ed" (any word with that ending). `?` makes a slot optional, `*`
lets it repeat. Slots before COUNT are matched backwards from the figure, those after it
forwards; a slot takes its words before it is skipped, and a GAP takes as few as it can.

Each side of each role compiles once to a regular expression over the sentence written as
its lower-case tokens, one space before each, with every other figure written as one mark
(the backwards side over the tokens in reverse order): matching a role is then two calls
into the `re` engine, whose backtracking tries the ways in the order above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from newsfigures.extract.text import alternation
from newsfigures.extract.tokens import PhraseTable, Token

MAX_REPEAT = 6
# Stands for another figure of the sentence in the written-out tokens.
_FIGURE = "\x01"
_TOKEN_END = "(?![^ ])"


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    optional: bool
    repeats: bool


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    before: tuple[Slot, ...]
    after: tuple[Slot, ...]
    # The event of a frame that names no EVENT slot ("pulled COUNT from" -> rescue).
    event: str | None
    categories: frozenset[str] | None = None
    after_own_words: bool = False
    part_of_previous: bool = False


def parse(pattern: str) -> tuple[tuple[Slot, ...], tuple[Slot, ...]]:
    """The slots before and after COUNT."""
    slots = [
        Slot(word.rstrip("?*"), word.endswith(("?", "*")), word.endswith("*"))
        for word in pattern.split()
    ]
    index = [s.name for s in slots].index("COUNT")
    return tuple(slots[:index]), tuple(slots[index + 1 :])


@dataclass
class SentenceFigures:
    """What a pattern is matched against: the tokens, and where the figures are."""

    tokens: list[Token]
    # token index where a figure starts -> index after its last token
    starts: dict[int, int]
    _written: tuple[str, str, list[int]] | None = None

    def written(self, start: int, end: int) -> tuple[str, str, int, int]:
        """The sentence written out, forwards and backwards, and where in each the words
        after and before the figure [start, end) begin."""
        if self._written is None:
            self._written = _write(self.tokens, self.starts)
        forwards, backwards, offsets = self._written
        return forwards, backwards, offsets[end], len(forwards) - offsets[start]


def _write(tokens: list[Token], starts: dict[int, int]) -> tuple[str, str, list[int]]:
    """Every token as " word", every figure as one mark (its other tokens written as
    nothing); and where each token's text begins."""
    pieces = [" " + token.lower for token in tokens]
    for start, end in starts.items():
        pieces[start] = " " + _FIGURE
        pieces[start + 1 : end] = [""] * (end - start - 1)
    offsets = list(accumulate(map(len, pieces), initial=0))
    return "".join(pieces), "".join(reversed(pieces)), offsets


@dataclass(frozen=True, slots=True)
class _Side:
    regex: re.Pattern[str]
    # The EVENT groups, outwards from the figure; the farthest that took words wins.
    events: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A role compiled for one cue table: an expression for each side, and the words that may
    stand next to the figure on each side when the slot there is required (None: any)."""

    role: Role
    before: _Side
    after: _Side
    word_before: frozenset[str] | None
    word_after: frozenset[str] | None


class _Plans:
    """Roles in order, indexed by the word each needs next to the figure on either side."""

    def __init__(self, plans: list[_Plan]):
        self.plans = plans
        self._before = _index([plan.word_before for plan in plans])
        self._after = _index([plan.word_after for plan in plans])

    def next_to(self, word_before: str, word_after: str) -> list[_Plan]:
        """The roles that may match with these words next to the figure, in order."""
        before, any_before = self._before
        after, any_after = self._after
        allowed = before.get(word_before, any_before) & after.get(word_after, any_after)
        return [self.plans[index] for index in sorted(allowed)]


def _index(words: list[frozenset[str] | None]) -> tuple[dict[str, frozenset[int]], frozenset[int]]:
    """word -> the roles that may have it there (with those that may have any word), and
    the roles that may have any word."""
    any_word = frozenset(index for index, allowed in enumerate(words) if allowed is None)
    by_word: dict[str, set[int]] = {}
    for index, allowed in enumerate(words):
        for word in allowed or ():
            by_word.setdefault(word, set(any_word)).add(index)
    return {word: frozenset(indices) for word, indices in by_word.items()}, any_word


class RoleMatcher:
    """The declared roles, compiled; `event` tries them in order."""

    def __init__(
        self,
        roles: list[Role],
        classes: dict[str, PhraseTable],
        suffixes: dict[str, tuple[str, ...]],
        cues: PhraseTable,
        cues_by_category: dict[str, PhraseTable],
        gap_words: int,
        boundaries: set[str],
    ):
        self.roles = roles
        self.classes = classes
        # A class's "*ed" entries: any word ending so (declared with the class's words).
        self.suffixes = suffixes
        self.cues = cues
        # The cue table per category (its own meanings over the common cues).
        self.cues_by_category = cues_by_category
        self.gap_words = gap_words
        self.boundaries = boundaries
        self._plans: dict[tuple[str, bool], _Plans] = {}
        # (slots, cue table, direction) -> compiled side, shared by the categories
        self._sides: dict[tuple[tuple[Slot, ...], int, bool], _Side] = {}
        # cue table -> (written phrase -> event), forwards and backwards
        self._cue_values: dict[int, tuple[dict[str, str], dict[str, str]]] = {}

    def event(
        self,
        sentence: SentenceFigures,
        start: int,
        end: int,
        category: str,
        after_own_words: bool = False,
    ) -> tuple[Role, str | None] | None:
        """(role, event) of the first role that matches around the figure [start, end),
        among those tried before (or after) the figure's own words, for its category."""
        cues = self.cues_by_category.get(category, self.cues)
        forwards_values, backwards_values = self._values(cues)
        forwards, backwards, after_at, before_at = sentence.written(start, end)
        tokens = sentence.tokens
        # The words next to the figure rule most roles out before any expression is tried.
        word_after = tokens[end].lower if end < len(tokens) else ""
        word_before = tokens[start - 1].lower if start > 0 else ""
        for plan in self._plans_for(category, after_own_words, cues).next_to(
            word_before, word_after
        ):
            after = plan.after.regex.match(forwards, after_at)
            if after is None:
                continue
            before = plan.before.regex.match(backwards, before_at)
            if before is None:
                continue
            found = _event(after, plan.after, forwards_values) or _event(
                before, plan.before, backwards_values
            )
            if found is not None or plan.role.event is not None:
                return plan.role, found or plan.role.event
        return None

    def _plans_for(self, category: str, after_own_words: bool, cues: PhraseTable) -> _Plans:
        key = (category, after_own_words)
        plans = self._plans.get(key)
        if plans is None:
            plans = self._plans[key] = _Plans(
                [
                    self._plan(role, cues)
                    for role in self.roles
                    if role.after_own_words == after_own_words
                    and (role.categories is None or category in role.categories)
                ]
            )
        return plans

    def _plan(self, role: Role, cues: PhraseTable) -> _Plan:
        before = role.before[::-1]
        return _Plan(
            role,
            self._side(before, cues, backwards=True),
            self._side(role.after, cues, backwards=False),
            self._next_words(before, cues, backwards=True),
            self._next_words(role.after, cues, backwards=False),
        )

    def _next_words(
        self, slots: tuple[Slot, ...], cues: PhraseTable, backwards: bool
    ) -> frozenset[str] | None:
        """The words the first slot out from the figure may start with (backwards: end with),
        when the role cannot match without it; None when any word may stand there."""
        if not slots or slots[0].optional or slots[0].name in ("FIGURE", "GAP"):
            return None
        name = slots[0].name
        if self.suffixes.get(name):
            return None
        table = cues if name == "EVENT" else self.classes.get(name)
        if table is None:  # a literal word
            return frozenset([name])
        return frozenset(words[-1 if backwards else 0] for words, _ in table.phrases())

    def _side(self, slots: tuple[Slot, ...], cues: PhraseTable, backwards: bool) -> _Side:
        """The slots outwards from the figure as one expression, matched where the words
        next to the figure begin."""
        key = (slots, id(cues), backwards)
        if key not in self._sides:
            self._sides[key] = self._compile(slots, cues, backwards)
        return self._sides[key]

    def _compile(self, slots: tuple[Slot, ...], cues: PhraseTable, backwards: bool) -> _Side:
        parts, events = [], []
        for slot in slots:
            if slot.name == "EVENT":
                group = f"event{len(events)}"
                events.append(group)
                body = f"(?P<{group}>{self._phrases(cues, backwards)})"
            elif slot.name == "FIGURE":
                # Backwards, the word that joins the figure comes first ("and" of "and 76 ...").
                body = f" [^ {_FIGURE}]+ {_FIGURE}" if backwards else f" {_FIGURE}"
            elif slot.name == "GAP":
                stop = alternation(self.boundaries, end=_TOKEN_END)
                # Backwards, no word just after another figure either (where FIGURE starts).
                after_figure = f"(?! {_FIGURE})" if backwards else ""
                word = f" (?!{stop})[^ {_FIGURE}]+{after_figure}"
                body = f"(?:{word}){{1,{self.gap_words}}}?"
            else:
                body = self._class(slot.name, backwards)
            if slot.repeats:
                body = f"(?:{body}){{0,{MAX_REPEAT}}}"
            elif slot.optional:
                body = f"(?:{body})?"
            parts.append(body)
        return _Side(re.compile("".join(parts)), tuple(reversed(events)))

    def _class(self, name: str, backwards: bool) -> str:
        table = self.classes.get(name)
        if table is None:  # a literal word
            return f" {re.escape(name)}{_TOKEN_END}"
        alternatives = [
            rf" (?=\w)[^ {_FIGURE}]*{re.escape(suffix)}" for suffix in self.suffixes.get(name, ())
        ]
        return f"(?:{'|'.join([*alternatives, _alternation(table, backwards)])})"

    def _phrases(self, table: PhraseTable, backwards: bool) -> str:
        return _alternation(table, backwards)

    def _values(self, cues: PhraseTable) -> tuple[dict[str, str], dict[str, str]]:
        values = self._cue_values.get(id(cues))
        if values is None:
            phrases = cues.phrases()
            values = self._cue_values[id(cues)] = (
                {_written(words): value for words, value in phrases},
                {_written(words[::-1]): value for words, value in phrases},
            )
        return values


def _event(match: re.Match[str], side: _Side, values: dict[str, str]) -> str | None:
    for group in side.events:
        taken = match.group(group)
        if taken is not None:
            return values[taken]
    return None


def _written(words: tuple[str, ...]) -> str:
    return "".join(" " + word for word in words)


def _alternation(table: PhraseTable, backwards: bool) -> str:
    """The table's phrases, written out, the longest first (the order a reader tries them)."""
    phrases = [_written(words[::-1] if backwards else words) for words, _ in table.phrases()]
    return alternation(phrases, end=_TOKEN_END)
