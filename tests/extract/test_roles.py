"""Role patterns: the event of the count's own verb or noun, whatever stands near it."""

from __future__ import annotations

import pytest
from support import figures_in

from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.roles import parse
from newsfigures.extract.tokens import PhraseTable, tokenize


def _event_of(sentence: str, span_start: str, grammar: FigureGrammar) -> str | None:
    [figure] = [f for f in figures_in(sentence, grammar) if span_start in f.span]
    return figure.event


@pytest.mark.parametrize(
    ("sentence", "count", "event"),
    [
        # subject, past its auxiliaries and hedges
        ("At least 40 people were reported killed in the shelling.", "At least 40", "kill"),
        ("Some 300 fighters are believed to have surrendered.", "Some 300", "surrender"),
        # object
        ("Rescuers evacuated nearly 5,000 from the old city.", "nearly 5,000", "evacuate"),
        # coordinated verbs: each count takes its own
        ("The strike killed 15 and wounded 30 others.", "15", "kill"),
        ("The strike killed 15 and wounded 30 others.", "30", "injure"),
        # a verb that belongs to another noun does not count
        ("Gunmen who had kidnapped the teachers released 42 pupils.", "42 pupils", "release"),
        # the main verb past a participle that describes the count
        (
            "The last 531 fighters holed up in the plant had surrendered by evening.",
            "531 fighters",
            "surrender",
        ),
        # a predicate noun and running totals
        ("By nightfall 312 were dead.", "312", "kill"),
        ("The death toll rose to 410 on Tuesday.", "410", "kill"),
        ("The toll in both towns climbed to more than 1,700.", "more than 1,700", "kill"),
        # relative clause and "N of them"
        ("Aid workers counted the 1,200 who had reached the camp.", "1,200", "flee"),
        ("About 9,000 were displaced and 700 of the children are still missing.", "700", "missing"),
        # frames around the count
        ("Fishermen pulled 47 people alive from the sea.", "47 people", "rescue"),
        ("The fighting has driven 2.6 million people from their homes.", "2.6 million", "flee"),
        # a part of a count takes the whole's event
        ("The militia freed 230 captives, among them 17 women.", "17 women", "release"),
        # a count that is only there, or only what a place holds
        ("There are still about 300 fighters in the village.", "about 300", "remain"),
        ("The border town of about 40,000 was shelled.", "about 40,000", None),
    ],
)
def test_the_event_is_the_count_s_own(
    grammar: FigureGrammar, sentence: str, count: str, event: str | None
) -> None:
    assert _event_of(sentence, count, grammar) == event


def test_coordinated_subjects_share_their_verb(grammar: FigureGrammar) -> None:
    sentence = "About 320 foreign passport holders and 76 wounded Palestinians fled on Wednesday."
    assert [f.event for f in figures_in(sentence, grammar)] == ["flee", "flee"]


def test_what_a_cue_means_depends_on_who_is_counted(grammar: FigureGrammar) -> None:
    assert _event_of("About 2,200 Marines were flown to the island.", "About 2,200", grammar) == (
        "deploy"
    )
    assert _event_of("Some 300 civilians were flown to the capital.", "Some 300", grammar) == (
        "evacuate"
    )
    assert _event_of("About 40 troops flew out on Friday.", "About 40", grammar) == "withdraw"


def test_a_thing_does_nothing_when_it_reaches_a_port(grammar: FigureGrammar) -> None:
    assert (
        _event_of("Twenty-six boats reached the island overnight.", "Twenty-six", grammar) is None
    )


def test_a_count_whose_verb_is_no_event_word_had_something_happen(grammar: FigureGrammar) -> None:
    assert _event_of("More than 300 nurses have caught the virus.", "More than 300", grammar) == (
        "other"
    )
    # ... but not a thing, and not when its own words say what happened
    assert _event_of("Dozens of buses waited at the checkpoint.", "Dozens", grammar) is None
    assert _event_of("Thousands of captured soldiers were marched away.", "Thousands", grammar) == (
        "detain"
    )


def test_patterns_split_around_the_count() -> None:
    before, after = parse("EVENT ADVERB* COUNT PARTITIVE? of")
    assert [s.name for s in before] == ["EVENT", "ADVERB"]
    assert before[1].repeats and before[1].optional
    assert [(s.name, s.optional) for s in after] == [("PARTITIVE", True), ("of", False)]


def test_phrase_tables_give_every_phrase_at_a_place_and_their_lengths() -> None:
    table = PhraseTable()
    for phrase in ("still", "still in", "still in custody"):
        table.add(phrase, phrase)
    tokens = tokenize("were still in custody")
    assert [length for length, _ in table.all_at(tokens, 1)] == [3, 2, 1]
    assert table.lengths == [3, 2, 1]
