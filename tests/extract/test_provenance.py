"""Provenance of a figure: who said it, where, and whose forces it counts."""

from __future__ import annotations

from support import figures_in

from newsfigures.extract.grammar import FigureGrammar


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
