"""Role patterns: the words a count stands among, matched as word classes.

A pattern is declared in config/vocabulary.yml (`events.roles`) as a line of slots around
COUNT, the figure's own span:

    "EVENT ADVERB* COUNT"                             the count as object ("evacuated nearly 5,000")
    "COUNT FIGURE* PARTITIVE? RELATIVE? VERBAL* EVENT" the count as subject ("40 people were killed")
    "pulled COUNT from"                               a frame with its event declared beside it

A slot is COUNT; EVENT (an event cue, which gives the event); FIGURE (another figure of the
sentence, with what joins it: "and 76 wounded Palestinians"); GAP (a few words that cross no
clause boundary); an upper-case word class declared in `events.word_classes`; or a
lower-case word, itself; a class may hold "*ed" (any word with that ending). `?` makes a
slot optional, `*` lets it repeat. Slots before COUNT
are matched backwards from the figure, those after it forwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from newsfigures.extract.tokens import PhraseTable, Token

SPECIAL = ("COUNT", "EVENT", "FIGURE", "GAP")
MAX_REPEAT = 6


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
    # token index where a figure starts -> index after its last token, and the reverse
    starts: dict[int, int]
    ends: dict[int, int]


class RoleMatcher:
    """The declared roles, compiled; `event` tries them in order."""

    def __init__(
        self,
        roles: list[Role],
        classes: dict[str, PhraseTable],
        cues: PhraseTable,
        gap_words: int,
        boundaries: set[str],
    ):
        self.roles = roles
        self.classes = classes
        # The cue table per category (its own meanings over the common cues).
        self.cues_by_category: dict[str, PhraseTable] = {}
        self._cues = cues
        # A class's "*ed" entries: any word ending so (declared with the class's words).
        self.suffixes: dict[str, tuple[str, ...]] = {}
        self.cues = cues
        self.gap_words = gap_words
        self.boundaries = boundaries

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
        for role in self.roles:
            if role.after_own_words != after_own_words:
                continue
            if role.categories is not None and category not in role.categories:
                continue
            for found in self._around(role, sentence, start, end, cues):
                if found is not None or role.event is not None:
                    return role, found or role.event
        return None

    def _around(
        self, role: Role, sentence: SentenceFigures, start: int, end: int, cues: PhraseTable
    ) -> Iterator:
        """The event of each way the role matches (None for a match with no EVENT slot)."""
        self._cues = cues
        for _, after_event in self._match(role.after, 0, sentence, end, 1, None):
            for _, before_event in self._match(
                tuple(reversed(role.before)), 0, sentence, start - 1, -1, None
            ):
                yield after_event or before_event

    def _match(
        self,
        slots: tuple[Slot, ...],
        index: int,
        sentence: SentenceFigures,
        position: int,
        step: int,
        event: str | None,
    ) -> Iterator[tuple[int, str | None]]:
        """Every (position reached, event seen) for slots[index:] from `position`, moving by
        `step` (1 forwards, -1 backwards)."""
        if index == len(slots):
            yield position, event
            return
        slot = slots[index]
        # Greedy: a slot takes its words before it is skipped ("still in captivity" reads
        # "still" as an adverb before trying "still in" as the event).
        for reached, seen in self._one(slot, sentence, position, step):
            found = seen or event
            if slot.repeats:
                yield from self._repeat(slots, index, sentence, reached, step, found, 1)
            else:
                yield from self._match(slots, index + 1, sentence, reached, step, found)
        if slot.optional:
            yield from self._match(slots, index + 1, sentence, position, step, event)

    def _repeat(
        self,
        slots: tuple[Slot, ...],
        index: int,
        sentence: SentenceFigures,
        position: int,
        step: int,
        event: str | None,
        times: int,
    ) -> Iterator[tuple[int, str | None]]:
        if times < MAX_REPEAT:
            for reached, seen in self._one(slots[index], sentence, position, step):
                found = seen or event
                yield from self._repeat(slots, index, sentence, reached, step, found, times + 1)
        yield from self._match(slots, index + 1, sentence, position, step, event)

    def _one(
        self, slot: Slot, sentence: SentenceFigures, position: int, step: int
    ) -> Iterator[tuple[int, str | None]]:
        """(position after the slot, the event it gives) for each way one slot matches."""
        tokens = sentence.tokens
        if not 0 <= position < len(tokens):
            return
        if slot.name == "FIGURE":
            other = (sentence.starts if step > 0 else sentence.ends).get(position)
            if other is not None:
                yield (other if step > 0 else other - 1), None
            return
        if slot.name == "GAP":
            yield from self._gap(sentence, position, step)
            return
        suffixes = self.suffixes.get(slot.name)
        if suffixes and tokens[position].is_word and tokens[position].lower.endswith(suffixes):
            yield position + step, None
        table = self._cues if slot.name == "EVENT" else self.classes.get(slot.name)
        if table is None:  # a literal word
            if tokens[position].lower == slot.name:
                yield position + step, None
            return
        for length, value in _phrases(table, tokens, position, step):
            event = value if slot.name == "EVENT" else None
            yield position + step * length, event

    def _gap(
        self, sentence: SentenceFigures, position: int, step: int
    ) -> Iterator[tuple[int, None]]:
        """A few words within the clause, never into another figure."""
        tokens, figures = sentence.tokens, (sentence.starts if step > 0 else sentence.ends)
        k = position
        for _ in range(self.gap_words):
            if not 0 <= k < len(tokens) or tokens[k].lower in self.boundaries or k in figures:
                return
            k += step
            yield k, None


def _phrases(
    table: PhraseTable, tokens: list[Token], position: int, step: int
) -> Iterator[tuple[int, object]]:
    """Phrases of the table starting at `position` (forwards) or ending there (backwards)."""
    if step > 0:
        yield from table.all_at(tokens, position)
        return
    for length in table.lengths:
        first = position - length + 1
        if first >= 0:
            for found, value in table.all_at(tokens, first):
                if found == length:
                    yield length, value
