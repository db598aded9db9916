"""The figure grammar compiled once from a project's vocabulary and date declarations."""

from __future__ import annotations

import re

from newsfigures.config import Project
from newsfigures.config.vocabulary import Events, Vocabulary
from newsfigures.extract.dates import DateGrammar
from newsfigures.extract.event_dates import EventDateRules
from newsfigures.extract.provenance import ProvenanceRules
from newsfigures.extract.roles import Role, RoleMatcher, parse
from newsfigures.extract.text import (
    SentenceSplitter,
    alternation,
    combined,
    digit_alternation,
    word_alternation,
)
from newsfigures.extract.tokens import PhraseTable, tokenize


class FigureGrammar:
    """The figure grammar compiled from a project's vocabulary and date declarations."""

    def __init__(self, project: Project):
        vocabulary = project.vocabulary
        self._numbers(vocabulary)
        self._entities(vocabulary)
        self._events(vocabulary.events)
        self.dates = DateGrammar(project.dates)
        self.event_dates = EventDateRules(project.dates.event_dates)
        # Month names are matched with their capital ("1,000 may still" is not a date).
        months = "(?-i:" + self.dates.month_pattern_cased + ")"
        non_figures = vocabulary.non_figures
        # All the patterns of a side in one regex: one search per number, not one per pattern.
        self.not_after = _any_of(non_figures.after, months)
        self.not_before = _any_of(non_figures.before, months)
        self.not_at = _any_of(non_figures.at, months)
        self.year_low, self.year_high = non_figures.year_range
        self.context_chars = non_figures.context_chars
        self.splitter = SentenceSplitter(
            vocabulary.abbreviations, project.settings.text.sentence_max_chars
        )
        self.quotes = project.vocabulary.attribution.quotes
        # Any quotation mark: a quotation is read mark by mark, not character by character.
        self.quote_mark = re.compile(alternation(self.quotes.marks()))
        self.provenance = ProvenanceRules(
            vocabulary, set(self.dates.month_by_name) | set(self.dates.weekday_by_name)
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

    def _numbers(self, vocabulary: Vocabulary) -> None:
        numbers = vocabulary.numbers
        self.units = {**numbers.units, **numbers.tens}
        self.tens = set(numbers.tens)
        self.scales = dict(numbers.scales)
        self.digit_suffixes = dict(numbers.digit_scale_suffixes)
        self.fractions = {w + s: v for w, v in numbers.fractions.items() for s in ("", "s")}
        self.weak = set(numbers.weak)

        self.qualifiers = PhraseTable()
        for qualifier, phrases in vocabulary.qualifiers:
            for phrase in phrases:
                self.qualifiers.add(phrase, qualifier)
        for phrase in vocabulary.additive_prefixes:
            self.qualifiers.add(phrase, "exact")
        self.vague = PhraseTable()
        for entry in vocabulary.vague_quantities:
            self.vague.add(entry.phrase, (entry.low, entry.high))
        self.post_number = set(vocabulary.post_number_words)
        self.range_connectors = PhraseTable()
        for connector in vocabulary.range_connectors:
            self.range_connectors.add(connector, True)
        self.range_frames = {o.lower(): j.lower() for o, j in vocabulary.range_frames.items()}
        self.articles = {a.lower() for a in vocabulary.indefinite_articles}
        qualified = vocabulary.qualified_ranges
        self.range_low, self.range_high = qualified.low, qualified.high
        self.range_joiners = PhraseTable()
        for joiner in qualified.joiners:
            self.range_joiners.add(joiner, True)
        # Words that open a number only with one after them: "a dozen", "between 300 and 500".
        self.lead_words = set(self.range_frames) | self.articles

    def _entities(self, vocabulary: Vocabulary) -> None:
        self.entities = PhraseTable(plural_last_word=True)
        for category, nouns in vocabulary.entities.items():
            for noun in nouns:
                self.entities.add(noun, category)
        self.mixed_category = vocabulary.mixed_category
        self.person_categories = set(vocabulary.person_categories)
        pattern = vocabulary.demonym_pattern
        self.demonym = re.compile(pattern) if pattern else None
        self.demonym_category = vocabulary.demonym_category
        window = vocabulary.entity_window
        self.entity_max_words = window.max_words
        self.entity_stops = set(window.stop_words)
        self.list_joiners = set(window.list_joiners)
        self.list_fillers = set(window.list_fillers)
        self.entity_marks = set(window.marks)
        self.member_nouns = PhraseTable(plural_last_word=True)
        for noun in window.member_nouns:
            self.member_nouns.add(noun, True)
        implied = vocabulary.implied_entity
        self.lookback = implied.lookback_sentences
        self.cue_window = implied.cue_window_words
        self.default_entity = implied.default_entity
        self.default_category = implied.default_category
        self.totals = PhraseTable()
        for word in implied.totals:
            self.totals.add(word, True)
        self.totals_window = implied.totals_window_words
        self.totals_value_words = {w.lower() for w in implied.totals_value_words}
        self.totals_value_window = implied.totals_value_window_words
        self.verb_before = implied.verb_before_tokens
        self.earlier_value = PhraseTable()
        for phrase in implied.earlier_value:
            self.earlier_value.add(phrase, True)
        self.earlier_value_longest = max(
            (len(tokenize(p)) for p in implied.earlier_value), default=0
        )
        self.unlisted_noun_words = implied.unlisted_noun_words
        self.population_nouns = {w.lower() for w in implied.population_nouns}
        sub_counts = vocabulary.sub_counts
        self.partitive_pronouns = {w.lower() for w in sub_counts.pronouns}
        self.partitive_articles = {w.lower() for w in sub_counts.articles}
        self.predicate_verbs = {w.lower() for w in sub_counts.predicate_verbs}
        self.collectives = {w.lower() for w in vocabulary.collectives}
        lists = vocabulary.headed_lists
        self.heading_marks = set(lists.heading_marks)
        self.item_open, self.item_close = lists.item_open, lists.item_close

    def _events(self, events: Events) -> None:
        self.event_cues = PhraseTable()
        for event, cues in events.cues.items():
            for cue in cues:
                self.event_cues.add(cue, event)
        self.event_after = events.window_words_after
        self.event_before = events.window_words_before
        self.event_stops = set(events.stop_after)
        self.entity_events = PhraseTable(plural_last_word=True)
        for event, nouns in events.from_entity.items():
            for noun in nouns:
                self.entity_events.add(noun, event)
        classes, suffixes = {}, {}
        for name, words in events.word_classes.items():
            classes[name] = PhraseTable()
            for word in words:
                if word.startswith("*"):
                    suffixes.setdefault(name, []).append(word[1:].lower())
                else:
                    classes[name].add(word, name)
        self.entity_first = set(events.entity_first)
        self.person_events = set(events.person_events)
        roles = [
            Role(
                r.name,
                *parse(r.pattern),
                r.event,
                frozenset(r.categories) if r.categories is not None else None,
                r.after_own_words,
                r.part_of_previous,
            )
            for r in events.roles
        ]
        cues_by_category = {}
        for category, by_event in events.cues_by_category.items():
            table = cues_by_category[category] = PhraseTable()
            # The category's own meanings first: a phrase keeps the first value added.
            for event, words in [*by_event.items(), *events.cues.items()]:
                for word in words:
                    table.add(word, event)
        self.roles = RoleMatcher(
            roles,
            classes,
            {name: tuple(ends) for name, ends in suffixes.items()},
            self.event_cues,
            cues_by_category,
            events.gap_words,
            set(events.gap_boundaries),
        )


def _any_of(patterns_by_kind: dict[str, list[str]], months: str) -> re.Pattern[str] | None:
    return combined(
        [
            re.compile(p.replace("{months}", months), re.IGNORECASE)
            for patterns in patterns_by_kind.values()
            for p in patterns
        ]
    )
