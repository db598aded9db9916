"""config/vocabulary.yml: every word list, pattern and closed set of the extraction grammar,
typed. `Vocabulary.problems` cross-checks the file against itself (a category or event named
anywhere must be one the file declares)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from newsfigures.config.problems import suggest
from newsfigures.config.types import (
    Count,
    Declared,
    Fraction,
    PositiveInt,
    Word,
    Words,
    pattern,
    unique,
)

# Qualifier kinds the engine gives without a qualifier word: a plain number, a range, a vague
# quantity; the words of config/vocabulary.yml `qualifiers` give the others.
UNMARKED_QUALIFIERS = ("exact", "range", "vague")


class Numbers(Declared):
    units: dict[Word, Count]
    tens: dict[Word, PositiveInt]
    scales: dict[Word, PositiveInt]
    digit_scale_suffixes: dict[Word, PositiveInt]
    fractions: dict[Word, Fraction]
    weak: Words


class VagueQuantity(Declared):
    phrase: Word
    low: PositiveInt
    high: PositiveInt

    @model_validator(mode="after")
    def _ordered(self) -> VagueQuantity:
        if self.low > self.high:
            raise ValueError(f"low {self.low} is greater than high {self.high}")
        return self


class Qualifiers(Declared):
    approx: Words
    at_least: Words
    at_most: Words


class QualifiedRanges(Declared):
    low: Word
    high: Word
    joiners: Annotated[Words, Field(min_length=1)]


class EntityWindow(Declared):
    max_words: PositiveInt
    stop_words: Words
    list_joiners: Words
    list_fillers: Words
    marks: Words
    member_nouns: Words


class ImpliedEntity(Declared):
    lookback_sentences: Count
    cue_window_words: PositiveInt
    default_entity: Word | None
    default_category: Word
    totals: Words
    totals_window_words: PositiveInt
    totals_value_words: Words
    totals_value_window_words: PositiveInt
    verb_before_tokens: PositiveInt
    earlier_value: Words
    unlisted_noun_words: PositiveInt
    population_nouns: Words


# A role's event when it names no EVENT word: the event of the figure before it in the
# sentence ("bringing the total to 105,000"), or no event (the count only describes).
ROLE_EVENTS = ("previous", "none")
SLOTS = ("COUNT", "EVENT", "FIGURE", "GAP")


def _role_pattern(pattern: str) -> str:
    words = pattern.split()
    if [w.rstrip("?*") for w in words].count("COUNT") != 1 or "COUNT?" in words:
        raise ValueError("a role pattern has COUNT, the figure, exactly once and not optional")
    return pattern


class Role(Declared):
    name: Word
    pattern: Annotated[str, AfterValidator(_role_pattern)]
    event: Word | None = None
    # The categories of counts the role reads (all when not given).
    categories: Words | None = None
    # Tried only when the figure's own words say nothing ("76 wounded Palestinians").
    after_own_words: bool = False
    # The count is part of the figure before it ("230 were freed, among them 17 civilians"):
    # a count of mere people takes that figure's category too.
    part_of_previous: bool = False


class SubCounts(Declared):
    pronouns: Words
    articles: Words
    predicate_verbs: Words


class HeadedLists(Declared):
    heading_marks: Words
    item_open: Word
    item_close: Word


class Events(Declared):
    window_words_after: PositiveInt
    window_words_before: PositiveInt
    stop_after: Words
    cues: dict[Word, Words]
    from_entity: dict[Word, Words]
    entity_first: Words
    person_events: Words
    # What a cue means for counts of a category, over `cues` ("flown to" deploys troops;
    # `none`: the words say nothing of a vehicle that "reached" a port).
    cues_by_category: dict[Word, dict[Word, Words]]
    word_classes: dict[Word, Annotated[Words, Field(min_length=1)]]
    roles: Annotated[list[Role], AfterValidator(unique("role"))]
    gap_words: PositiveInt
    # A GAP never crosses these (the end of a clause).
    gap_boundaries: Words


_NON_FIGURE_PLACEHOLDERS = ("months",)
NonFigurePattern = pattern(placeholders=_NON_FIGURE_PLACEHOLDERS)


def _year_range(value: list[int]) -> list[int]:
    if len(value) != 2 or value[0] > value[1]:
        raise ValueError("expected [first year, last year]")
    return value


class NonFigures(Declared):
    after: dict[Word, list[NonFigurePattern]]
    before: dict[Word, list[NonFigurePattern]]
    at: dict[Word, list[NonFigurePattern]]
    context_chars: PositiveInt
    year_range: Annotated[list[Count], AfterValidator(_year_range)]


class Group(Declared):
    category: Word
    spellings: Annotated[Words, Field(min_length=1)]


class Quotes(Declared):
    opening: Words
    closing: Words
    # Marks that open a quotation when none is open and close it when one is.
    either: Words

    def marks(self) -> set[str]:
        return {*self.opening, *self.closing, *self.either}


class Attribution(Declared):
    verbs: Annotated[Words, Field(min_length=1)]
    according_to: Words
    verbs_before_speaker: Annotated[Words, Field(min_length=1)]
    roles: Words
    pronouns: Words
    auxiliaries: Words
    speakers: dict[Word, Words]
    leading_words_dropped: Words
    name_connectors: Words
    max_name_words: PositiveInt
    quotes: Quotes


class Outlet(Declared):
    name: Word
    names: Words = Field(default_factory=list)
    taglines: Words = Field(default_factory=list)


class Vocabulary(Declared):
    # The closed sets the rest of the file and the table contracts refer to.
    categories: Annotated[Words, Field(min_length=1), AfterValidator(unique("category"))]
    event_classes: Annotated[Words, Field(min_length=1), AfterValidator(unique("event"))]

    person_categories: Words
    numbers: Numbers
    vague_quantities: list[VagueQuantity]
    qualifiers: Qualifiers
    additive_prefixes: Words
    post_number_words: Words
    range_connectors: Words
    range_frames: dict[Word, Word]
    qualified_ranges: QualifiedRanges
    indefinite_articles: Words
    mixed_category: Word
    entities: dict[Word, Words]
    demonym_pattern: pattern() | None
    demonym_category: Word
    entity_window: EntityWindow
    implied_entity: ImpliedEntity
    sub_counts: SubCounts
    collectives: Words
    headed_lists: HeadedLists
    events: Events
    non_figures: NonFigures
    chrome_lines: list[pattern()]
    places: dict[Word, Words | None]
    place_prepositions: Words
    groups: dict[Word, Group]
    group_category_applies_to: Words
    group_possessives: Words
    attribution: Attribution
    agencies: dict[Word, Annotated[Words, Field(min_length=1)]]
    datelines: list[pattern(groups=("place",), placeholders=("agency", "month"))]
    header_chrome_lines: list[pattern()]
    section_labels: Words
    masthead_max_words: PositiveInt
    masthead_connectors: Words
    masthead_separators: Annotated[Words, Field(min_length=1)]
    masthead_trailers: list[pattern()]
    title_prefixes: list[pattern()]
    place_name_particles: Words
    outlets: Annotated[list[Outlet], AfterValidator(unique("outlet"))]
    outlet_lines: list[pattern(groups=("outlet",))]
    abbreviations: Words

    @property
    def qualifier_kinds(self) -> list[str]:
        """Every qualifier a figure can have: the marked ones and the unmarked."""
        return [UNMARKED_QUALIFIERS[0], *Qualifiers.model_fields, *UNMARKED_QUALIFIERS[1:]]

    def problems(self) -> Iterator[tuple[tuple[Any, ...], Any, str]]:
        """(key path, value, message) for every category or event the file names without
        declaring it, every qualified range side that is not a qualifier, and every weak
        number word that is not a unit."""
        categories, events = set(self.categories), set(self.event_classes)
        named_categories = [
            (("mixed_category",), self.mixed_category),
            (("demonym_category",), self.demonym_category),
            (("implied_entity", "default_category"), self.implied_entity.default_category),
            *((("entities", name), name) for name in self.entities),
            *((("groups", name, "category"), g.category) for name, g in self.groups.items()),
            *(
                (("group_category_applies_to", i), name)
                for i, name in enumerate(self.group_category_applies_to)
            ),
            *((("person_categories", i), name) for i, name in enumerate(self.person_categories)),
        ]
        for location, name in named_categories:
            if name not in categories:
                yield location, name, f"not a declared category{suggest(name, categories)}"
        for section in ("cues", "from_entity", "entity_first", "person_events"):
            for name in getattr(self.events, section):
                if name not in events:
                    message = f"not a declared event class{suggest(name, events)}"
                    yield ("events", section, name), name, message
        for category, by_event in self.events.cues_by_category.items():
            if category not in categories:
                message = f"not a declared category{suggest(category, categories)}"
                yield ("events", "cues_by_category", category), category, message
            for name in by_event:
                if name not in events and name != "none":
                    message = f"not a declared event class or none{suggest(name, events)}"
                    yield ("events", "cues_by_category", category, name), name, message
        for index, role in enumerate(self.events.roles):
            for category in role.categories or []:
                if category not in categories:
                    message = f"not a declared category{suggest(category, categories)}"
                    yield ("events", "roles", index, "categories"), category, message
            for location, value, message in self._role_problems(role, events):
                yield ("events", "roles", index, *location), value, message
        for index, word in enumerate(self.numbers.weak):
            if word not in self.numbers.units:
                yield ("numbers", "weak", index), word, "not one of numbers.units"
        marked = set(Qualifiers.model_fields)
        for side in ("low", "high"):
            kind = getattr(self.qualified_ranges, side)
            if kind not in marked:
                message = f"not a qualifier of `qualifiers`{suggest(kind, marked)}"
                yield ("qualified_ranges", side), kind, message

    def _role_problems(
        self, role: Role, events: set[str]
    ) -> Iterator[tuple[tuple[Any, ...], Any, str]]:
        classes = set(self.events.word_classes)
        for word in role.pattern.split():
            name = word.rstrip("?*")
            if name.isupper() and name not in SLOTS and name not in classes:
                known = classes | set(SLOTS)
                yield ("pattern",), name, f"not a slot or declared word class{suggest(name, known)}"
        names_event = "EVENT" in [w.rstrip("?*") for w in role.pattern.split()]
        if "EVENT?" in role.pattern.split() or "EVENT*" in role.pattern.split():
            # A role's event is the first way it matches; an event word that may be left
            # out would leave that to chance.
            yield ("pattern",), role.pattern, "EVENT is never optional: declare two roles"
        if role.event is None and not names_event:
            yield ("event",), None, "a role without an EVENT word declares its event"
        allowed = events | set(ROLE_EVENTS)
        if role.event is not None and role.event not in allowed:
            yield (
                ("event",),
                role.event,
                f"not a declared event class{suggest(role.event, allowed)}",
            )
