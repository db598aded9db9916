"""What happened to the counted: the nearest event cue, or the counted noun's own words."""

from __future__ import annotations

import pytest
from support import figures_in

from newsfigures.extract.grammar import FigureGrammar


def test_events_follow_the_nearest_cue(grammar: FigureGrammar) -> None:
    cases = {
        "Regime rocket fire killed four civilians.": "kill",
        "The SDF had captured around 800 foreign insurgents.": "detain",
        "The promised withdrawal of some 2,000 troops who have deployed into Syria.": "withdraw",
        "Dozens of trucks headed towards the village.": None,
    }
    for sentence, event in cases.items():
        assert figures_in(sentence, grammar)[0].event == event, sentence


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("Hundreds of foreigners, wounded Palestinians and others crossed into Egypt.", "flee"),
        ("Divers recovered 111 bodies from the sea.", "kill"),
        ("Boko Haram still holds 197 girls in captivity.", "detain"),
        ("Britain airlifted about 3,200 people from Kabul.", "evacuate"),
    ],
)
def test_events_from_verbs_before_adjectives_and_from_the_counted_noun(
    grammar: FigureGrammar, sentence: str, event: str
) -> None:
    assert figures_in(sentence, grammar)[0].event == event
