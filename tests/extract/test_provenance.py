"""Provenance of a figure: who said it (attribution), where (place) and whose forces it
counts (affiliation)."""

from __future__ import annotations

import pytest
from support import figures_in

from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.provenance import AliasTable, ProvenanceRules


def test_provenance_who_where_and_whose(grammar: FigureGrammar) -> None:
    text = (
        "Mostafa Bali, head of the SDF media office, said some 200 Daesh fighters had left Baghuz. "
        "In the past three days the terrorists endured casualties, he told Reuters. "
        "“About 200 terrorists surrendered today.” "
        "Regime fire killed four civilians in Khan Sheikhun, according to the Syrian Observatory for Human Rights."
    )
    found = {f.span: f for f in figures_in(text, grammar)}
    fighters = found["some 200 Daesh fighters"]
    assert (fighters.attribution, fighters.place, fighters.affiliation) == (
        "Mustafa Bali",
        "Baghouz",
        "Islamic State",
    )
    assert found["four civilians"].attribution == "the Syrian Observatory for Human Rights"
    assert found["four civilians"].place == "Khan Sheikhun"


@pytest.fixture(scope="module")
def rules(grammar: FigureGrammar) -> ProvenanceRules:
    return grammar.provenance


def test_an_alias_table_gives_the_canonical_name_whatever_the_case() -> None:
    places = AliasTable({"Baghouz": ["Baghuz", "al-Baghuz"], "Syria": None})
    assert places.normalise("baghuz") == places.normalise("AL-BAGHUZ") == "Baghouz"
    assert places.normalise("baghouz") == "Baghouz"
    assert places.normalise("Hajin") == "Hajin"  # unknown: as written
    assert "syria" in places and "Raqqa" not in places


# -- who said it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Mustafa Bali said 200 fighters left.", "Mustafa Bali"),
        # Another spelling of a declared speaker is recorded under the declared name.
        ("Mostafa Bali, head of the SDF media office, said 200 fighters left.", "Mustafa Bali"),
        ("The fighters left, said Abdel Karim Omar.", "Abdulkarim Omar"),
        (
            "About 300 civilians fled, according to the Syrian Observatory for Human Rights.",
            "the Syrian Observatory for Human Rights",
        ),
        ("The Observatory had earlier said 300 people died.", "The Observatory"),
        ("Reuters reports 300 died.", "Reuters"),
        # An opening conjunction is not part of the name; an initialism keeps its stops.
        ("And SDF officials said 200 left.", "SDF officials"),
        ("The U.S. said 200 troops would leave.", "The U.S."),
        # Unnamed speakers: the role as written.
        ("A senior SDF official said 200 fighters left.", "A senior SDF official"),
        ("the war monitor says 200 died", "the war monitor"),
        # A pronoun, for the figures stage to resolve to the last named speaker.
        ("He told Reuters that 200 fighters left.", "he"),
        # No reporting verb, or "according to" something that is not a speaker.
        ("Some 200 fighters left Baghuz.", None),
        ("According to IS ideology, they fought on.", None),
    ],
)
def test_the_speaker_of_a_sentence(
    rules: ProvenanceRules, sentence: str, speaker: str | None
) -> None:
    assert rules.speaker(sentence) == speaker


def test_a_named_speaker_wins_over_a_role_or_a_pronoun(rules: ProvenanceRules) -> None:
    assert rules.speaker("A senior official said 200 left, Mustafa Bali told Reuters.") == (
        "Mustafa Bali"
    )
    assert rules.speaker("He said 200 left, according to Mustafa Bali.") == "Mustafa Bali"


@pytest.mark.parametrize(
    "sentence",
    [
        "Mostafa Bali, head of the SDF media office, said 200 fighters left.",
        "A senior SDF official had earlier said 200 fighters left.",
        "Rami Abdel Rahman, who heads the Observatory, says 200 died.",
        "The medics said, on Monday, that 200 died.",
    ],
)
def test_an_attribution_pattern_is_skipped_only_where_it_cannot_match(
    rules: ProvenanceRules, sentence: str
) -> None:
    # The ending a pattern is looked for by first is part of every match of it.
    for pattern, ending in rules.attribution_patterns:
        if ending is not None and pattern.search(sentence):
            assert ending.search(sentence)
    assert any(p.search(sentence) for p, ending in rules.attribution_patterns if ending)


def test_pronouns_are_known_whatever_their_case(rules: ProvenanceRules) -> None:
    assert rules.is_pronoun("He") and rules.is_pronoun("they")
    assert not rules.is_pronoun("Mustafa Bali") and not rules.is_pronoun(None)


def test_a_weekday_after_the_speaker_is_not_part_of_the_name(rules: ProvenanceRules) -> None:
    assert rules.speaker("Some 200 fighters surrendered, said Mustafa Bali on Monday.") == (
        "Mustafa Bali"
    )


# -- where ---------------------------------------------------------------------------------------


def test_the_place_nearest_the_figure_normalised(rules: ProvenanceRules) -> None:
    sentence = "Fighters left Baghuz for Deir ez-Zor."
    assert rules.place(sentence, 0) == "Baghouz"
    assert rules.place(sentence, sentence.index("Deir")) == "Deir Ezzor"
    assert rules.place("They fled from Kiev to Poland.", 0) == "Kyiv"


def test_a_place_not_declared_is_the_capitalised_name_after_a_preposition(
    rules: ProvenanceRules,
) -> None:
    assert rules.place("At least 40 people were killed in Hajin on Tuesday.", 0) == "Hajin"
    # A declared place wins over any other name.
    assert rules.place("They walked from Hajin towards Baghuz.", 0) == "Baghouz"
    # Not after a place preposition, or a month, weekday or armed group: no place.
    assert rules.place("Some 300 civilians fled to Hajin.", 0) is None
    assert rules.place("They fled in March and in Sunday prayers.", 0) is None
    assert rules.place("They fled from IS fighters.", 0) is None
    assert rules.place("No place is named here.", 0) is None


def test_a_weekday_with_a_possessive_is_not_a_place(rules: ProvenanceRules) -> None:
    assert rules.place("At least 40 people were killed in Tuesday's attack.", 0) is None


# -- whose forces --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "affiliation"),
    [
        ("Some 200 Daesh fighters", "Islamic State"),
        ("300 ISIS-K militants", "Islamic State"),
        ("2,000 U.S. troops", "US forces"),
        ("531 Ukrainian fighters", "Ukrainian forces"),
        ("thousands of refugees", None),
        # Spellings are matched as written: "Isis" is not "ISIS".
        ("300 Isis men", None),
    ],
)
def test_the_affiliation_a_span_names(
    rules: ProvenanceRules, span: str, affiliation: str | None
) -> None:
    assert rules.affiliation(span) == affiliation


def test_a_group_s_category_replaces_only_fighters_and_troops(rules: ProvenanceRules) -> None:
    assert rules.category_of("US forces", "combatants") == "troops"
    assert rules.category_of("Islamic State", "troops") == "combatants"
    # "Ukrainian refugees" stay people; no group, no change.
    assert rules.category_of("Ukrainian forces", "people") == "people"
    assert rules.category_of(None, "troops") == "troops"
