"""Number forms seen on real pages: one test per form, with the span, low/high, qualifier and
entity it must give (docs/ANNOTATION.md decides what a figure is)."""

from __future__ import annotations

import pytest

from newsfigures.config import Project
from newsfigures.extract.figures import Figure, extract_figures
from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.text import lines


@pytest.fixture(scope="module")
def grammar(project: Project) -> FigureGrammar:
    return FigureGrammar(project)


def figures_in(text: str, grammar: FigureGrammar) -> list[Figure]:
    """The figures of `text`, each line a paragraph."""
    return extract_figures(text, lines(text), None, grammar)


def rows(text: str, grammar: FigureGrammar) -> list[tuple[str, int, int, str, str | None]]:
    return [
        (f.span, f.value_low, f.value_high, f.qualifier, f.entity)
        for f in figures_in(text, grammar)
    ]


def test_a_capital_scale_suffix(grammar: FigureGrammar) -> None:
    text = "300K flee to Chad as Darfur violence spreads"
    [figure] = figures_in(text, grammar)
    assert (figure.span, figure.value_low, figure.value_high, figure.qualifier) == (
        "300K",
        300_000,
        300_000,
        "exact",
    )
    assert figure.entity == "people"


def test_a_capitalised_scale_word(grammar: FigureGrammar) -> None:
    text = "Some 2.5 Million people have been forced from their homes."
    assert rows(text, grammar) == [
        ("Some 2.5 Million people", 2_500_000, 2_500_000, "approx", "people")
    ]


def test_as_high_as_is_an_upper_bound(grammar: FigureGrammar) -> None:
    text = "An official said the number of dead could be as high as 9,000 people."
    assert rows(text, grammar) == [("as high as 9,000 people", 9000, 9000, "at_most", "people")]


def test_a_lower_and_an_upper_bound_are_one_range(grammar: FigureGrammar) -> None:
    text = "Sources gave a range of at least 70 and as many as 90 dead."
    assert rows(text, grammar) == [("at least 70 and as many as 90 dead", 70, 90, "range", "dead")]


def test_a_family_of_six_counts_its_members(grammar: FigureGrammar) -> None:
    text = "Among the arrivals was a family of six who had slept in their car."
    [figure] = figures_in(text, grammar)
    assert (figure.span, figure.value_low, figure.value_high, figure.qualifier) == (
        "a family of six",
        6,
        6,
        "exact",
    )
    assert (figure.entity, figure.category) == ("family", "civilians")


def test_kin_after_an_adjective(grammar: FigureGrammar) -> None:
    text = "Among the dead were four young nephews of a local trader."
    [figure] = figures_in(text, grammar)
    assert (figure.span, figure.value_low, figure.qualifier, figure.entity) == (
        "four young nephews",
        4,
        "exact",
        "nephews",
    )
    assert figure.category == "civilians"


def test_a_sub_count_of_them(grammar: FigureGrammar) -> None:
    text = "The fighting displaced 300 people, 120 of them women, the agency said."
    assert rows(text, grammar) == [
        ("300 people", 300, 300, "exact", "people"),
        ("120 of them women", 120, 120, "exact", "women"),
    ]
    # With no noun of its own, a sub-count counts the group it is part of.
    text = (
        "At least 55 people were pulled from the water. Thirteen of them were treated in hospital."
    )
    assert rows(text, grammar)[1] == ("Thirteen of them", 13, 13, "exact", "people")


def test_counts_listed_under_a_heading(grammar: FigureGrammar) -> None:
    text = "Deaths by district (DoDMA, 15 March): Blantyre City (12), Chikwawa (7)."
    found = figures_in(text, grammar)
    assert [(f.span, f.value_low, f.qualifier, f.event) for f in found] == [
        ("12", 12, "exact", "kill"),
        ("7", 7, "exact", "kill"),
    ]
    # The heading on a line of its own names what the items count.
    text = "Cadres who surrendered, by outfit:\nAdivasi Dragon Fighters (178), CPI-Maoist (1)."
    assert [(f.span, f.entity, f.category, f.event) for f in figures_in(text, grammar)] == [
        ("178", "Cadres", "combatants", "surrender"),
        ("1", "Cadres", "combatants", "surrender"),
    ]
    # A heading that names no one and no happening lists no counts.
    assert figures_in("Results by round: Team A (3), Team B (2).", grammar) == []


def test_several_dozen_and_a_few_hundred_are_vague(grammar: FigureGrammar) -> None:
    assert rows("Several dozen fighters surrendered.", grammar) == [
        ("Several dozen fighters", 12, 99, "vague", "fighters")
    ]
    assert rows("Only a few hundred people stayed behind.", grammar) == [
        ("Only a few hundred people", 100, 999, "vague", "people")
    ]


def test_an_iso_date_in_a_sentence_is_no_figure(grammar: FigureGrammar) -> None:
    text = "Some 300 families fled on 2023-09-12 after the attack."
    assert rows(text, grammar) == [("Some 300 families", 300, 300, "approx", "families")]
    assert figures_in("Data were last reconciled on 2023-03-15T14:00Z.", grammar) == []


def test_footnote_digits_glued_to_a_word_are_no_count(grammar: FigureGrammar) -> None:
    text = "Aid reached 300 families3 in the camps."
    assert rows(text, grammar) == [("300 families", 300, 300, "exact", "families")]


def test_footnote_digits_glued_to_a_year_are_no_count(grammar: FigureGrammar) -> None:
    text = "Some 4,000 people were killed in 2019.4 Most of the dead were men."
    assert rows(text, grammar) == [("Some 4,000 people", 4000, 4000, "approx", "people")]


@pytest.mark.parametrize(
    ("text", "span", "qualifier"),
    [
        ("Volunteers put the figure closer to 11,000 people.", "closer to 11,000 people", "approx"),
        ("The death toll has risen above 17,000, officials said.", "above 17,000", "at_least"),
        ("Floods Death Toll Crosses 1,100 in Sindh", "Crosses 1,100", "at_least"),
        ("Of the 17 vehicles, only seven reached the beach.", "only seven", "exact"),
    ],
)
def test_qualifier_words(grammar: FigureGrammar, text: str, span: str, qualifier: str) -> None:
    assert (span, qualifier) in [(f.span, f.qualifier) for f in figures_in(text, grammar)]


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("More than 33 million - roughly one in seven Pakistanis - were affected.", [33_000_000]),
        ("The hotspot holds 1,850 people, more than four times its capacity.", [1850]),
        ("(Adds numbers from other countries in paragraphs 4-6, toll in paragraphs 2, 5)", []),
    ],
)
def test_proportions_multipliers_and_references_are_no_counts(
    grammar: FigureGrammar, text: str, counts: list[int]
) -> None:
    assert [f.value_low for f in figures_in(text, grammar)] == counts


def test_a_predicate_noun_says_what_is_counted(grammar: FigureGrammar) -> None:
    assert rows("Of the dead, 386 were children.", grammar) == [
        ("386", 386, 386, "exact", "children")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Twelve of the most seriously injured were airlifted to Surkhet.",
            [("Twelve of the most seriously injured", 12, 12, "exact", "injured")],
        ),
        (
            "Residents said 90 of the roughly 200 people who lived there had died.",
            [
                ("90", 90, 90, "exact", "people"),
                ("roughly 200 people", 200, 200, "approx", "people"),
            ],
        ),
    ],
)
def test_of_the_names_the_group_a_sub_count_is_part_of(
    grammar: FigureGrammar, text: str, expected: list[tuple[str, int, int, str, str]]
) -> None:
    assert rows(text, grammar) == expected


def test_the_value_of_a_running_total_counts_the_total_s_noun(grammar: FigureGrammar) -> None:
    text = "Flights came, bringing the number of Nigerians repatriated from Libya in July to 489."
    [figure] = figures_in(text, grammar)
    assert (figure.span, figure.value_low, figure.entity, figure.event) == (
        "489",
        489,
        "Nigerians",
        "repatriate",
    )
    text = "The death toll from the powerful earthquake in Morocco has climbed to 2,122, officials said."
    [figure] = figures_in(text, grammar)
    assert (figure.span, figure.entity, figure.event) == ("2,122", "people", "kill")


def test_an_earlier_value_of_a_count(grammar: FigureGrammar) -> None:
    text = "At least 949 people were kidnapped in 2021, up from 796 in the whole of 2020."
    assert rows(text, grammar) == [
        ("At least 949 people", 949, 949, "at_least", "people"),
        ("796", 796, 796, "exact", "people"),
    ]


def test_members_count_as_what_they_are_members_of(grammar: FigureGrammar) -> None:
    [figure] = figures_in("Sixty members of the National Guard were sent to the county.", grammar)
    assert (figure.span, figure.category) == ("Sixty members of the National Guard", "troops")
    [figure] = figures_in("The final 12 members of a missionary group are free.", grammar)
    assert (figure.span, figure.category) == ("12 members", "people")


def test_quoted_words_between_a_number_and_its_noun(grammar: FigureGrammar) -> None:
    text = 'Officials say 2,300 "high-risk" foreign women are held in an annexe.'
    assert rows(text, grammar) == [
        ('2,300 "high-risk" foreign women', 2300, 2300, "exact", "women")
    ]


def test_a_number_right_after_a_heading_naming_the_counted(grammar: FigureGrammar) -> None:
    assert rows("Migrants: 1,200 land on Lampedusa in 24 hours", grammar) == [
        ("1,200", 1200, 1200, "exact", "Migrants")
    ]
