"""What a number counts: the noun after it, or the noun a bare number refers back to."""

from __future__ import annotations

from support import figures_in

from newsfigures.extract.grammar import FigureGrammar


def test_implied_entity_comes_from_the_closest_noun_before(grammar: FigureGrammar) -> None:
    text = (
        "Some 200 Daesh fighters surrendered, but around 1,000 may still be holding out. "
        "As many as 2,000 people made it out. But he said possibly 1,000 more remain."
    )
    found = {f.span: f for f in figures_in(text, grammar)}
    assert found["around 1,000"].entity == "fighters" and found["around 1,000"].entity_implied
    assert found["around 1,000"].event == "remain"
    assert found["possibly 1,000 more"].category == "people"
