"""Provenance of a figure: who said it (attribution), where (place) and whose forces it
counts (affiliation), read with the places, groups and attribution declarations of
config/vocabulary.yml. Part of the figures stage.
"""

from __future__ import annotations

import re

from newsfigures.config.vocabulary import Attribution, Vocabulary
from newsfigures.extract.text import alternation, word_alternation


class AliasTable:
    """Spellings -> canonical names (Baghuz -> Baghouz, Daesh -> Islamic State)."""

    def __init__(self, aliases: dict[str, list[str]]):
        self._canonical: dict[str, str] = {}
        for canonical, spellings in aliases.items():
            self._canonical[canonical.lower()] = canonical
            for spelling in spellings or []:
                self._canonical[spelling.lower()] = canonical

    def normalise(self, name: str) -> str:
        return self._canonical.get(name.lower(), name)

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._canonical


def _trim(name: str, dropped_words: set[str]) -> str:
    """Drop a sentence's full stop from a name, but not an initialism's ("U.S."), and an
    opening conjunction ("And SDF officials")."""
    name = name.strip()
    first, _, rest = name.partition(" ")
    if first in dropped_words and rest:
        name = rest
    if name.endswith(".") and not re.search(r"(?:\b\w\.){2,}$", name):
        name = name[:-1]
    return name


def _bare(word: str) -> str:
    """A word without its possessive, lower-cased ("Tuesday's" -> "tuesday")."""
    return re.sub(r"['’]s$", "", word).lower()


def _opening_words(words: list[str]) -> str:
    """`\\b(?:w1|w2)` as a literal-first alternation; with no words, `\\b` as before."""
    return word_alternation(words) if words else r"\b"


class ProvenanceRules:
    """Compiled place, group and attribution patterns."""

    def __init__(self, vocabulary: Vocabulary, not_names: set[str]):
        self.places = AliasTable(vocabulary.places)
        spellings = [s for c, ss in vocabulary.places.items() for s in [c, *(ss or [])]]
        self.known_place = re.compile(word_alternation(spellings)) if spellings else None
        cap = r"[A-Z][\w'’.-]*"
        prepositions = word_alternation(vocabulary.place_prepositions)
        self.place_after_preposition = re.compile(
            rf"(?:{prepositions})\s+(?:the\s+)?(?P<place>{cap}(?:[ -]{cap}){{0,2}})"
        )
        self.not_names = {w.lower() for w in not_names}

        groups = vocabulary.groups
        self.groups = {
            spelling: canonical
            for canonical, group in groups.items()
            for spelling in group.spellings
        }
        self.group_category = {name: group.category for name, group in groups.items()}
        self.group_category_applies_to = set(vocabulary.group_category_applies_to)
        self.possessive = re.compile(
            word_alternation(vocabulary.group_possessives, ignore_case=True)
        )
        self.group = (
            re.compile(rf"(?<![\w-])(?:{alternation(list(self.groups))})(?![\w-])")
            if self.groups
            else None
        )

        self._attribution(vocabulary.attribution, cap)

    def _attribution(self, config: Attribution, cap: str) -> None:
        """The speaker patterns: named speakers, pronouns and unnamed roles."""
        verbs = alternation(config.verbs)
        self.name_connectors = {w.lower() for w in config.name_connectors}
        connectors = alternation(config.name_connectors)
        max_words = config.max_name_words
        name = rf"{cap}(?:\s+(?:(?:{connectors})\s+)*{cap}){{0,{max_words - 1}}}"
        pronouns = alternation(config.pronouns)
        # Each branch opens with a literal or a character class, which `re` rules out at a
        # glance; an optional "(?:the\s+)?" in front would be entered at every position.
        speaker = rf"(?P<who>the\s+{name}|{name}|(?:{pronouns}))"
        roles = alternation(config.roles)
        # "a senior SDF official", "SDF and coalition officials", "the war monitor"
        role = (
            rf"(?P<who>(?:[Aa][Nn]?\s+|[Tt][Hh][Ee]\s+|(?=[A-Z]))(?:[\w’'-]+\s+){{0,4}}(?:{roles}))"
        )
        # Patterns that open with a listed word open with it as a literal-first alternation,
        # which `re` scans for quickly (see text.word_alternation).
        before = _opening_words(config.verbs_before_speaker)
        according = _opening_words(config.according_to)
        auxiliaries = [
            r"\s+".join(re.escape(word) for word in phrase.split())
            for phrase in sorted(config.auxiliaries, key=len, reverse=True)
        ]
        auxiliary = rf"(?:(?:{'|'.join(auxiliaries)})\s+)?" if auxiliaries else ""
        self.pronouns = {p.lower() for p in config.pronouns}
        self.dropped_words = set(config.leading_words_dropped)
        self.speakers = AliasTable(config.speakers)
        # Every attribution pattern needs one of these words: sentences without any are
        # not searched (most are not).
        cue_words = [
            *config.verbs,
            *config.verbs_before_speaker,
            *config.according_to,
        ]
        self.attribution_cue = re.compile(word_alternation(cue_words))
        # Tried in order; a named speaker wins over a pronoun or an unnamed role. A pattern
        # whose match must end in text that opens with a literal or a word is tried only in
        # sentences where a search finds that ending: the pattern itself, opening with a
        # name, is tried at every capital.
        aside = rf",\s+[^,]{{3,80}},\s+(?:{verbs})\b"
        told = rf"\s+{auxiliary}(?:{verbs})\b"
        self.attribution_patterns = [
            # according to the Syrian Observatory for Human Rights (not "according to IS ideology")
            (re.compile(rf"(?:{according})\s+{speaker}(?=\s*(?:[,.;:)\"”]|$))"), None),
            # Mostafa Bali, head of the SDF media office, said
            (re.compile(rf"{speaker}{aside}"), re.compile(aside)),
            # Mustafa Bali said / the Observatory said / Reuters reports / he told Reuters
            (re.compile(rf"{speaker}{told}"), None),
            # said Mustafa Bali / said the Syrian Observatory
            (re.compile(rf"(?:{before})\s+(?:on\s+\w+\s+)?{speaker}"), None),
            # a senior SDF official said / the war monitor says
            (re.compile(rf"{role}{told}"), re.compile(rf"(?:{roles}){told}")),
            (re.compile(rf"(?:{according})\s+{role}"), None),
        ]

    # -- attribution ------------------------------------------------------------------------

    def speaker(self, sentence: str) -> str | None:
        """The named speaker of a sentence, a pronoun, or None."""
        if not self.attribution_cue.search(sentence):
            return None
        fallback = None
        for pattern, ending in self.attribution_patterns:
            if ending is not None and not ending.search(sentence):
                continue
            for match in pattern.finditer(sentence):
                who = self._before_a_date(_trim(match.group("who"), self.dropped_words))
                if who.lower() in self.pronouns:
                    fallback = fallback or who.lower()
                    continue
                if who.split()[0].lower() in self.not_names and len(who.split()) == 1:
                    continue
                if who[0].islower():  # an unnamed role: keep looking for a name
                    fallback = fallback if fallback and fallback not in self.pronouns else who
                    continue
                return self.speakers.normalise(who)
        return fallback

    def _before_a_date(self, who: str) -> str:
        """A name stops before a weekday or month ("Mustafa Bali on Monday" -> "Mustafa Bali"),
        with the connector that leads to it."""
        words = who.split()
        for k in range(1, len(words)):
            if _bare(words[k]) in self.not_names:
                kept = words[:k]
                while len(kept) > 1 and kept[-1].lower() in self.name_connectors:
                    kept.pop()
                return " ".join(kept)
        return who

    def is_pronoun(self, who: str | None) -> bool:
        return who is not None and who.lower() in self.pronouns

    # -- place and affiliation --------------------------------------------------------------

    def place(self, sentence: str, at: int) -> str | None:
        """The place nearest character `at` of the sentence."""
        candidates: list[tuple[int, str]] = []
        if self.known_place:
            candidates += [
                (abs(m.start() - at), self.places.normalise(m.group(0)))
                for m in self.known_place.finditer(sentence)
            ]
        if not candidates:
            for m in self.place_after_preposition.finditer(sentence):
                name = m.group("place")
                if _bare(name.split()[0]) not in self.not_names and name not in self.groups:
                    candidates.append((abs(m.start("place") - at), self.places.normalise(name)))
        return min(candidates)[1] if candidates else None

    def affiliation(self, span: str, before: str = "") -> str | None:
        """The armed group or force a span names ("Some 200 Daesh fighters" -> Islamic State),
        or, for "its own fighters", the last one named `before` it in the sentence."""
        if self.group is None:
            return None
        match = self.group.search(span)
        if match:
            return self.groups[match.group(0)]
        if self.possessive.search(span):
            named = list(self.group.finditer(before))
            return self.groups[named[-1].group(0)] if named else None
        return None

    def category_of(self, affiliation: str | None, category: str) -> str:
        """Fighters of a state or allied force are troops; a militia's soldiers combatants."""
        if affiliation and category in self.group_category_applies_to:
            return self.group_category.get(affiliation) or category
        return category
