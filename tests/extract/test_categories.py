"""Category from the counted noun and whose side it is on, by the declared groups."""

from __future__ import annotations

import pytest
from support import figures_in

from newsfigures.extract.grammar import FigureGrammar


def _category(sentence: str, grammar: FigureGrammar, starts: str) -> str:
    [figure] = [f for f in figures_in(sentence, grammar) if f.span.startswith(starts)]
    return figure.category


@pytest.mark.parametrize(
    ("sentence", "starts", "category"),
    [
        ("Some 200 Daesh fighters surrendered.", "Some 200", "combatants"),
        ("About 300 Kurdish fighters were killed.", "About 300", "troops"),
        ("Dozens of government soldiers were wounded.", "Dozens", "troops"),
        ("Hundreds of rebels fled the town.", "Hundreds", "combatants"),
        ("The SDF said it had lost 655 of its own fighters.", "655", "troops"),
        ("Kurdish forces arrested 125 suspected Islamic State members.", "125", "combatants"),
        (
            "The army deployed about 1,500 soldiers and several helicopters.",
            "about 1,500",
            "troops",
        ),
        ("The town of about 40,000 was shelled.", "about 40,000", "people"),
    ],
)
def test_the_side_decides_between_troops_and_combatants(
    grammar: FigureGrammar, sentence: str, starts: str, category: str
) -> None:
    assert _category(sentence, grammar, starts) == category


def test_a_bare_number_refers_back_only_to_a_compatible_noun(grammar: FigureGrammar) -> None:
    """A count of the wounded never refers back to helicopters, of people never to trucks."""
    text = "Two helicopters landed at the base. About 40 were wounded in the crash."
    [_, wounded] = figures_in(text, grammar)
    assert wounded.span == "About 40" and wounded.category != "vehicles"


def test_a_part_of_a_count_shares_its_side(grammar: FigureGrammar) -> None:
    text = "At least 13 foreign soldiers were killed, among them nine South Africans."
    [_, nine] = figures_in(text, grammar)
    assert nine.category == "troops" and nine.event == "kill"


def test_its_own_reads_the_group_only_for_forces(grammar: FigureGrammar) -> None:
    text = "US President Trump urged European powers to take back hundreds of their citizens."
    [citizens] = figures_in(text, grammar)
    assert citizens.affiliation is None and citizens.category == "people"
