"""Role patterns: the event of the count's own verb or noun, whatever stands near it."""

from __future__ import annotations

import pytest
from support import figures_in

from newsfigures.extract.grammar import FigureGrammar
from newsfigures.extract.roles import Role, RoleMatcher, SentenceFigures, parse
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
        # a verb and its particle around the count
        ("The navy had flown 300 people of many nationalities out of the port.", "300", "evacuate"),
        ("Firefighters brought a family of four out alive from the house.", "family", "rescue"),
        # what a place can hold is no detention
        ("The camp was built to hold fewer than 900 people.", "fewer than 900", None),
        # a total whose value's qualifier stands for "to"
        (
            "The death toll from the floods in the south has climbed above 2,300.",
            "above 2,300",
            "kill",
        ),
        # the main verb past the words that name the count and a participle that describes it
        (
            "The last 9 members of a church group abducted near the border weeks ago are free.",
            "9 members",
            "release",
        ),
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
    sentence = "Three cargo planes carrying tents and body bags landed at the airport."
    assert _event_of(sentence, "Three", grammar) is None


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


def _matcher(*patterns: str, event: str | None = None) -> RoleMatcher:
    """Roles over a small vocabulary: two event words, an adverb class and a clause word."""
    cues, adverbs = PhraseTable(), PhraseTable()
    cues.add("killed", "kill")
    cues.add("taken hostage", "detain")
    adverbs.add("still", "ADVERB")
    adverbs.add("reportedly", "ADVERB")
    roles = [Role(f"r{i}", *parse(p), event) for i, p in enumerate(patterns)]
    return RoleMatcher(roles, {"ADVERB": adverbs}, {"ADVERB": ("ly",)}, cues, {}, 3, {",", "but"})


def _read(matcher: RoleMatcher, text: str, figures: list[tuple[int, int]], which: int):
    tokens = tokenize(text)
    found = matcher.event(SentenceFigures(tokens, dict(figures)), *figures[which], "people")
    return (found[0].name, found[1]) if found else None


def test_a_compiled_role_reads_phrases_classes_and_suffixes_outwards_from_the_figure() -> None:
    matcher = _matcher("EVENT ADVERB* COUNT", "COUNT ADVERB* EVENT")
    # backwards from the figure: an adverb by its ending, then a two-word event
    assert _read(matcher, "were taken hostage seemingly 40", [(4, 5)], 0) == ("r0", "detain")
    assert _read(matcher, "40 still killed", [(0, 1)], 0) == ("r1", "kill")
    assert _read(matcher, "40 were killed", [(0, 1)], 0) is None


def test_a_gap_stops_at_a_clause_word_and_at_another_figure() -> None:
    matcher = _matcher("COUNT GAP EVENT")
    assert _read(matcher, "40 in the old town killed", [(0, 1)], 0) is None  # four: too far
    assert _read(matcher, "40 in town killed", [(0, 1)], 0) == ("r0", "kill")
    assert _read(matcher, "40 , town killed", [(0, 1)], 0) is None
    assert _read(matcher, "40 and 30 killed", [(0, 1), (2, 3)], 0) is None


def test_another_figure_is_passed_whole_and_backwards_with_the_word_that_joins_it() -> None:
    matcher = _matcher("EVENT FIGURE* COUNT", "COUNT FIGURE* EVENT")
    text = "killed 12 soldiers and 30 civilians"
    assert _read(matcher, text, [(1, 3), (4, 6)], 1) == ("r0", "kill")
    # forwards a figure is passed without a joiner: "40 30 killed" only
    assert _read(matcher, "40 30 killed", [(0, 1), (1, 2)], 0) == ("r1", "kill")
    assert _read(matcher, "40 and 30 killed", [(0, 1), (2, 3)], 0) is None


def test_a_frame_without_an_event_word_gives_its_declared_event() -> None:
    matcher = _matcher("pulled COUNT from", event="rescue")
    assert _read(matcher, "pulled 40 from the rubble", [(1, 2)], 0) == ("r0", "rescue")
    assert _read(matcher, "pulled 40 out", [(1, 2)], 0) is None
