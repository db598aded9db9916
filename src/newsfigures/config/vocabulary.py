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


class EntityWindow(Declared):
    max_words: PositiveInt
    stop_words: Words
    list_joiners: Words
    list_fillers: Words


class ImpliedEntity(Declared):
    lookback_sentences: Count
    cue_window_words: PositiveInt
    default_entity: Word | None
    default_category: Word
    totals: Words
    totals_window_words: PositiveInt
    verb_before_tokens: PositiveInt
    unlisted_noun_words: PositiveInt


class Events(Declared):
    window_words_after: PositiveInt
    window_words_before: PositiveInt
    stop_after: Words
    cues: dict[Word, Words]
    from_entity: dict[Word, Words]


_NON_FIGURE_PLACEHOLDERS = ("months",)
NonFigurePattern = pattern(placeholders=_NON_FIGURE_PLACEHOLDERS)


def _year_range(value: list[int]) -> list[int]:
    if len(value) != 2 or value[0] > value[1]:
        raise ValueError("expected [first year, last year]")
    return value


class NonFigures(Declared):
    after: dict[Word, list[NonFigurePattern]]
    before: dict[Word, list[NonFigurePattern]]
    context_chars: PositiveInt
    year_range: Annotated[list[Count], AfterValidator(_year_range)]


class Group(Declared):
    category: Word
    spellings: Annotated[Words, Field(min_length=1)]


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


class Outlet(Declared):
    name: Word
    names: Words = Field(default_factory=list)
    taglines: Words = Field(default_factory=list)


class Vocabulary(Declared):
    # The closed sets the rest of the file and the table contracts refer to.
    categories: Annotated[Words, Field(min_length=1), AfterValidator(unique("category"))]
    event_classes: Annotated[Words, Field(min_length=1), AfterValidator(unique("event"))]

    numbers: Numbers
    vague_quantities: list[VagueQuantity]
    qualifiers: Qualifiers
    additive_prefixes: Words
    post_number_words: Words
    range_connectors: Words
    range_frames: dict[Word, Word]
    indefinite_articles: Words
    mixed_category: Word
    entities: dict[Word, Words]
    demonym_pattern: pattern() | None
    demonym_category: Word
    entity_window: EntityWindow
    implied_entity: ImpliedEntity
    events: Events
    non_figures: NonFigures
    chrome_lines: list[pattern()]
    places: dict[Word, Words | None]
    place_prepositions: Words
    groups: dict[Word, Group]
    group_category_applies_to: Words
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
        declaring it, and every weak number word that is not a unit."""
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
        ]
        for location, name in named_categories:
            if name not in categories:
                yield location, name, f"not a declared category{suggest(name, categories)}"
        for section in ("cues", "from_entity"):
            for name in getattr(self.events, section):
                if name not in events:
                    message = f"not a declared event class{suggest(name, events)}"
                    yield ("events", section, name), name, message
        for index, word in enumerate(self.numbers.weak):
            if word not in self.numbers.units:
                yield ("numbers", "weak", index), word, "not one of numbers.units"
